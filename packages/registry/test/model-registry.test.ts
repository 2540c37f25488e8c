import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  LocalArtifactStore,
  ModelRegistry,
  RegistryErrorCode,
  type ArtifactStore,
  type ModelVersionRecord,
} from '../src';
import {
  readFolder,
  registerInput,
  registryDatabase,
  removeDir,
  tempDir,
  writeArtifactFolder,
  type RegistryDatabase,
} from './support/fixtures';

describe('ModelRegistry', () => {
  let database: RegistryDatabase;
  let work: string;
  let root: string;
  let source: string;
  let sourceFiles: Record<string, Buffer>;
  let registry: ModelRegistry;

  beforeAll(async () => {
    database = await registryDatabase();
    work = await tempDir('registry');
    root = path.join(work, 'artifacts');
    source = path.join(work, 'trained');
    sourceFiles = await writeArtifactFolder(source, 'trained');
    registry = new ModelRegistry({ prisma: database.prisma, store: new LocalArtifactStore(root) });
  });

  afterAll(async () => {
    await database.close();
    await removeDir(work);
  });

  describe('register', () => {
    it('numbers 5 concurrent registers of one type 1..5, each with its own artifact', async () => {
      const records = await Promise.all(
        Array.from({ length: 5 }, () =>
          registry.register(registerInput(source, { modelType: 'concurrent' })),
        ),
      );
      expect(records.map((r) => r.version).sort()).toEqual([1, 2, 3, 4, 5]);
      for (const r of records) {
        expect(r.stage).toBe('CANDIDATE');
        expect(r.artifactUri).toMatch(new RegExp(`^file://${root}/concurrent/v${r.version}-[0-9a-f]{8}$`));
        expect(await readFolder(fileURLToPath(r.artifactUri), Object.keys(sourceFiles))).toEqual(sourceFiles);
      }
      expect(await readdir(path.join(root, 'concurrent'))).toHaveLength(5);
      // Another type starts at 1.
      expect((await registry.register(registerInput(source, { modelType: 'other' }))).version).toBe(1);
    });

    it('stores what it was given and writes the first audit row', async () => {
      const r = await registry.register(registerInput(source, { modelType: 'stored', placement: 'search' }));
      expect(r).toMatchObject({
        modelType: 'stored',
        version: 1,
        placement: 'search',
        datasetId: 'ml-100k',
        params: { k: 50, shrink: 10 },
        metrics: { 'ndcg@10': 0.31, 'recall@10': 0.22 },
        protocol: 'holdout',
        createdBy: 'trainer',
        canaryPercent: null,
        promotedAt: null,
      });
      expect(await registry.get(r.id)).toEqual(r);
      expect(await registry.history({ versionId: r.id })).toEqual([
        expect.objectContaining({
          fromStage: null,
          toStage: 'CANDIDATE',
          actor: 'trainer',
          placement: 'search',
        }),
      ]);
      expect((await registry.list({ modelType: 'stored' })).map((v) => v.id)).toEqual([r.id]);
    });

    it('deletes the uploaded artifact when the insert fails: no row, no artifact', async () => {
      // A real database failure after the upload: a trigger rejecting this model type's rows.
      await database.db.pool.query(`
        CREATE FUNCTION reject_broken() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'insert rejected for test'; END $$ LANGUAGE plpgsql;
        CREATE TRIGGER reject_broken BEFORE INSERT ON "ModelVersion"
          FOR EACH ROW WHEN (NEW."modelType" = 'broken') EXECUTE FUNCTION reject_broken();`);
      const local = new LocalArtifactStore(root);
      const puts: string[] = [];
      const spying: ArtifactStore = {
        put: async (dir, key) => {
          const uri = await local.put(dir, key);
          puts.push(uri);
          return uri;
        },
        fetch: (uri, cacheDir) => local.fetch(uri, cacheDir),
        delete: (uri) => local.delete(uri),
      };
      const failing = new ModelRegistry({ prisma: database.prisma, store: spying });
      await expect(failing.register(registerInput(source, { modelType: 'broken' }))).rejects.toThrow(
        /insert rejected for test/,
      );
      expect(puts).toHaveLength(1);
      expect(await readdir(path.join(root, 'broken'))).toEqual([]);
      expect(await registry.list({ modelType: 'broken' })).toEqual([]);
    });

    it('returns the version a job already registered, also when its retries race', async () => {
      const input = registerInput(source, {
        modelType: 'job',
        sourceJobId: 'train:42',
        trackingRunId: 'run-1',
      });
      const first = await registry.register(input);
      expect(first).toMatchObject({ sourceJobId: 'train:42', trackingRunId: 'run-1', version: 1 });
      expect((await registry.register(input)).id).toBe(first.id);
      expect((await registry.findBySourceJob('train:42'))?.id).toBe(first.id);
      expect(await registry.findBySourceJob('train:43')).toBeNull();

      const retry = registerInput(source, { modelType: 'job', sourceJobId: 'train:44' });
      const racing = await Promise.all([
        registry.register(retry),
        registry.register(retry),
        registry.register(retry),
      ]);
      expect(new Set(racing.map((r) => r.id)).size).toBe(1);
      expect(await registry.list({ modelType: 'job' })).toHaveLength(2);
      expect(await readdir(path.join(root, 'job'))).toHaveLength(2);
    });

    it('rejects non-finite metrics before uploading anything', async () => {
      await expect(
        registry.register(registerInput(source, { modelType: 'nan', metrics: { 'ndcg@10': Number.NaN } })),
      ).rejects.toMatchObject({ code: RegistryErrorCode.INVALID_INPUT });
      await expect(readdir(path.join(root, 'nan'))).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });

  describe('stages', () => {
    async function candidate(placement: string): Promise<ModelVersionRecord> {
      return registry.register(registerInput(source, { modelType: `m-${placement}`, placement }));
    }

    it('promoting archives the previous production version in the same change, audited', async () => {
      const v1 = await candidate('promote');
      const v2 = await candidate('promote');
      const p1 = await registry.setStage(v1.id, 'PRODUCTION', { actor: 'alice', reason: 'first' });
      expect(p1).toMatchObject({ stage: 'PRODUCTION', promotedBy: 'alice' });
      expect(p1.promotedAt).toBeInstanceOf(Date);
      const p2 = await registry.setStage(v2.id, 'PRODUCTION', {
        actor: 'bob',
        reason: 'better ndcg',
        forced: true,
      });
      expect(p2.stage).toBe('PRODUCTION');
      expect((await registry.get(v1.id)).stage).toBe('ARCHIVED');
      expect((await registry.production('promote'))?.id).toBe(v2.id);
      const history = await registry.history({ placement: 'promote' });
      expect(history.map((h) => [h.versionId, h.fromStage, h.toStage, h.actor, h.forced])).toEqual([
        [v1.id, null, 'CANDIDATE', 'trainer', false],
        [v2.id, null, 'CANDIDATE', 'trainer', false],
        [v1.id, 'CANDIDATE', 'PRODUCTION', 'alice', false],
        [v1.id, 'PRODUCTION', 'ARCHIVED', 'bob', true],
        [v2.id, 'CANDIDATE', 'PRODUCTION', 'bob', true],
      ]);
      expect(history[2].reason).toBe('first');
      expect(history[3].reason).toBe(`replaced by m-promote v2: better ndcg`);
      expect(history[4].reason).toBe('better ndcg');
    });

    it('holds the one-production-per-placement index, also under concurrent promotions', async () => {
      const versions = await Promise.all([candidate('race'), candidate('race'), candidate('race')]);
      const promoted = await Promise.all(
        versions.map((v) => registry.setStage(v.id, 'PRODUCTION', { actor: 'ops' })),
      );
      expect(promoted.every((p) => p.stage === 'PRODUCTION')).toBe(true);
      const stages = (await registry.list({ placement: 'race' })).map((v) => v.stage).sort();
      expect(stages).toEqual(['ARCHIVED', 'ARCHIVED', 'PRODUCTION']);
      // The index itself: a second PRODUCTION row in the placement is refused by PostgreSQL.
      const archived = (await registry.list({ placement: 'race', stage: 'ARCHIVED' }))[0];
      await expect(
        database.prisma.modelVersion.update({ where: { id: archived.id }, data: { stage: 'PRODUCTION' } }),
      ).rejects.toThrow();
    });

    it('checks the stage rules and the canary share', async () => {
      const v = await candidate('rules');
      await expect(registry.setStage(v.id, 'CANDIDATE', { actor: 'ops' })).rejects.toMatchObject({
        code: RegistryErrorCode.INVALID_STAGE_CHANGE,
      });
      await expect(registry.setStage(v.id, 'CANARY', { actor: 'ops' })).rejects.toMatchObject({
        code: RegistryErrorCode.INVALID_STAGE_CHANGE,
      });
      await expect(
        registry.setStage(v.id, 'SHADOW', { actor: 'ops', canaryPercent: 5 }),
      ).rejects.toMatchObject({
        code: RegistryErrorCode.INVALID_STAGE_CHANGE,
      });
      await expect(registry.setStage(v.id, 'SHADOW', { actor: ' ' })).rejects.toMatchObject({
        code: RegistryErrorCode.INVALID_STAGE_CHANGE,
      });
      const canary = await registry.setStage(v.id, 'CANARY', { actor: 'ops', canaryPercent: 5 });
      expect(canary).toMatchObject({ stage: 'CANARY', canaryPercent: 5 });
      expect(
        (await registry.setStage(v.id, 'CANARY', { actor: 'ops', canaryPercent: 25 })).canaryPercent,
      ).toBe(25);
      const prod = await registry.setStage(v.id, 'PRODUCTION', { actor: 'ops' });
      expect(prod.canaryPercent).toBeNull();
      await expect(
        registry.setStage(v.id, 'CANARY', { actor: 'ops', canaryPercent: 5 }),
      ).rejects.toMatchObject({
        code: RegistryErrorCode.INVALID_STAGE_CHANGE,
      });
      await expect(
        registry.setStage('00000000-0000-0000-0000-000000000000', 'SHADOW', { actor: 'ops' }),
      ).rejects.toMatchObject({ code: RegistryErrorCode.VERSION_NOT_FOUND });
      await expect(registry.get('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({
        code: RegistryErrorCode.VERSION_NOT_FOUND,
      });
    });

    it('rollback re-promotes the previous production version and archives the current one', async () => {
      await expect(registry.rollback('rollback', 'ops')).rejects.toMatchObject({
        code: RegistryErrorCode.NO_ROLLBACK_TARGET,
      });
      const v1 = await candidate('rollback');
      const v2 = await candidate('rollback');
      const v3 = await candidate('rollback');
      await registry.setStage(v1.id, 'PRODUCTION', { actor: 'ops' });
      await registry.setStage(v2.id, 'PRODUCTION', { actor: 'ops' });
      // An archived version that never served is not a rollback target.
      await registry.setStage(v3.id, 'ARCHIVED', { actor: 'ops' });
      const restored = await registry.rollback('rollback', 'oncall', 'v2 hurts CTR');
      expect(restored.id).toBe(v1.id);
      expect(restored.stage).toBe('PRODUCTION');
      expect((await registry.get(v2.id)).stage).toBe('ARCHIVED');
      expect((await registry.production('rollback'))?.id).toBe(v1.id);
      const last = (await registry.history({ placement: 'rollback' })).slice(-2);
      expect(last.map((h) => [h.versionId, h.toStage, h.actor, h.reason])).toEqual([
        [v2.id, 'ARCHIVED', 'oncall', `replaced by m-rollback v1: rollback: v2 hurts CTR`],
        [v1.id, 'PRODUCTION', 'oncall', 'rollback: v2 hurts CTR'],
      ]);
      // Rolling back again undoes the rollback.
      expect((await registry.rollback('rollback', 'oncall')).id).toBe(v2.id);
    });

    it('fetches a version artifact as a local folder', async () => {
      const v = await candidate('fetch');
      const dir = await registry.fetchArtifact(v, path.join(work, 'cache'));
      expect(await readFolder(dir, Object.keys(sourceFiles))).toEqual(sourceFiles);
    });
  });
});
