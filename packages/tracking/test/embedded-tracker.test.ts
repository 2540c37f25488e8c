import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPrismaClient, createTestDatabase, type PrismaClient, type TestDatabase } from '@recsys/db';
import { LocalArtifactStore } from '@recsys/registry';
import { EmbeddedTracker, TrackingErrorCode, type TrackedRun } from '../src';

const T0 = new Date('2026-03-01T12:00:00.000Z');

async function writeFolder(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
}

describe('EmbeddedTracker (PostgreSQL and a local artifact store)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let work: string;
  let store: LocalArtifactStore;
  let tracker: EmbeddedTracker;
  let clock: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    work = await mkdtemp(path.join(os.tmpdir(), 'recsys-tracking-embedded-'));
    store = new LocalArtifactStore(path.join(work, 'store'));
    clock = T0.getTime();
    // Each call of the clock is one second later, so start and end times order runs.
    tracker = new EmbeddedTracker({ prisma, store, now: () => new Date((clock += 1000)) });
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('records a run: parameters, tags, metric histories, status and end time', async () => {
    const run = await tracker.startRun({ experiment: 'als', runName: 'als-1', tags: { model: 'als' } });
    await run.logParams({ factors: 64, regularization: 0.01, use_bias: true, solver: 'cg' });
    for (let epoch = 0; epoch < 4; epoch++) {
      await run.logMetrics({ loss: 1 / (epoch + 1), 'ndcg@10': 0.1 * epoch }, epoch);
    }
    await run.setTags({ stage: 'train' });
    await run.setTags({ stage: 'eval', dataset: 'ml-100k' });
    await run.end();

    const record = await tracker.getRun(run.id);
    expect(record).toMatchObject({
      id: run.id,
      experimentId: run.experimentId,
      name: 'als-1',
      status: 'FINISHED',
      params: { factors: '64', regularization: '0.01', use_bias: 'true', solver: 'cg' },
      tags: { model: 'als', stage: 'eval', dataset: 'ml-100k' },
      metrics: { loss: 0.25, 'ndcg@10': expect.closeTo(0.3, 10) },
      artifactUri: null,
    });
    expect(record!.endedAt!.getTime()).toBeGreaterThan(record!.startedAt.getTime());

    const loss = await tracker.metricHistory(run.id, 'loss');
    expect(loss.map((p) => [p.step, p.value])).toEqual([
      [0, 1],
      [1, 0.5],
      [2, 1 / 3],
      [3, 0.25],
    ]);
    expect(loss.every((p) => p.key === 'loss' && p.timestamp instanceof Date)).toBe(true);
    expect(await tracker.metricHistory(run.id, 'missing')).toEqual([]);
  });

  it('orders a history by step, then timestamp, then logging order, and takes the latest per key', async () => {
    const run = await tracker.startRun({ experiment: 'ordering' });
    await run.logMetrics({ m: 3 }, 2, new Date('2026-01-01T00:00:03Z'));
    await run.logMetrics({ m: 1 }, 0, new Date('2026-01-01T00:00:05Z'));
    await run.logMetrics({ m: 22 }, 1, new Date('2026-01-01T00:00:09Z'));
    await run.logMetrics({ m: 21 }, 1, new Date('2026-01-01T00:00:01Z'));
    await run.logMetrics({ m: 23 }, 1, new Date('2026-01-01T00:00:09Z'));
    expect((await tracker.metricHistory(run.id, 'm')).map((p) => p.value)).toEqual([1, 21, 22, 23, 3]);
    expect((await tracker.getRun(run.id))?.metrics).toEqual({ m: 3 });
  });

  it('keeps parameters immutable: the same value is a no-op, another value PARAM_CONFLICT', async () => {
    const run = await tracker.startRun({ experiment: 'immutability' });
    await run.logParams({ k: 10, lr: 0.1 });
    await run.logParams({ k: '10' });
    await expect(run.logParams({ k: 11, extra: 'x' })).rejects.toMatchObject({
      code: TrackingErrorCode.PARAM_CONFLICT,
      message: expect.stringContaining('"k": logged "10", now "11"'),
    });
    // Nothing of the refused call is stored.
    expect((await tracker.getRun(run.id))?.params).toEqual({ k: '10', lr: '0.1' });
    await expect(run.logParams({ long: 'x'.repeat(6001) })).rejects.toMatchObject({
      code: TrackingErrorCode.INVALID_INPUT,
    });
  });

  it('keeps every key of concurrent parameter calls', async () => {
    const run = await tracker.startRun({ experiment: 'immutability' });
    await Promise.all(Array.from({ length: 8 }, (_, i) => run.logParams({ [`p${i}`]: i })));
    expect(Object.keys((await tracker.getRun(run.id))?.params ?? {}).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `p${i}`),
    );
  });

  it('refuses non-finite metrics and non-integer steps', async () => {
    const run = await tracker.startRun({ experiment: 'validation' });
    await expect(run.logMetrics({ x: Number.POSITIVE_INFINITY })).rejects.toMatchObject({
      code: TrackingErrorCode.INVALID_INPUT,
    });
    await expect(run.logMetrics({ x: 1 }, 0.5)).rejects.toMatchObject({
      code: TrackingErrorCode.INVALID_INPUT,
    });
    await expect(run.logMetrics({ x: 1 }, 2 ** 31)).rejects.toMatchObject({
      code: TrackingErrorCode.INVALID_INPUT,
    });
    expect(await tracker.metricHistory(run.id, 'x')).toEqual([]);
  });

  it('stores artifact folders under tracking/<runId>/<path>, lists and fetches them', async () => {
    const run = await tracker.startRun({ experiment: 'artifacts' });
    const model = path.join(work, 'model');
    await writeFolder(model, { 'manifest.json': '{"format":"als"}', 'weights/items.bin': 'abcd' });
    const report = path.join(work, 'report');
    await writeFolder(report, { 'metrics.csv': 'k,ndcg\n10,0.3\n' });

    const logged = await run.logArtifacts(model);
    expect(logged).toEqual({
      path: 'model',
      uri: store.uriOf(`tracking/${run.id}/model`),
      files: ['manifest.json', 'weights/items.bin'],
      sizeBytes: 20,
    });
    await run.logArtifacts(report, 'eval/report');

    const listed = await tracker.listArtifacts(run.id);
    expect(listed.map((a) => [a.path, a.uri, a.sizeBytes])).toEqual([
      ['eval/report', store.uriOf(`tracking/${run.id}/eval/report`), 14],
      ['model', store.uriOf(`tracking/${run.id}/model`), 20],
    ]);
    expect(fileURLToPath(listed[1].uri)).toBe(path.join(work, 'store', 'tracking', run.id, 'model'));

    const fetched = await tracker.fetchArtifacts(run.id, 'model', path.join(work, 'cache'));
    expect(await readFile(path.join(fetched, 'weights', 'items.bin'), 'utf8')).toBe('abcd');
    expect(await readFile(path.join(fetched, 'manifest.json'), 'utf8')).toBe('{"format":"als"}');
    await expect(tracker.fetchArtifacts(run.id, 'nope', work)).rejects.toMatchObject({
      code: TrackingErrorCode.ARTIFACT_MISSING,
    });
  });

  it('refuses artifact paths that are taken, nested in or around a logged path, or malformed', async () => {
    const run: TrackedRun = await tracker.startRun({ experiment: 'artifacts' });
    const dir = path.join(work, 'some-folder');
    await writeFolder(dir, { 'a.txt': 'a' });
    await run.logArtifacts(dir, 'out/model');
    for (const taken of ['out/model', 'out/model/inner', 'out']) {
      await expect(run.logArtifacts(dir, taken)).rejects.toMatchObject({
        code: TrackingErrorCode.ARTIFACT_PATH_TAKEN,
      });
    }
    await run.logArtifacts(dir, 'out/model2');
    for (const bad of ['../escape', 'a//b', 'with space', '']) {
      await expect(run.logArtifacts(dir, bad)).rejects.toMatchObject({
        code: TrackingErrorCode.INVALID_INPUT,
      });
    }
    await expect(run.logArtifacts(path.join(work, 'does-not-exist'), 'x')).rejects.toMatchObject({
      code: TrackingErrorCode.ARTIFACT_MISSING,
    });
    expect((await tracker.listArtifacts(run.id)).map((a) => a.path)).toEqual(['out/model', 'out/model2']);
  });

  it('lists the runs of an experiment, newest first, and none for an unknown one', async () => {
    const first = await tracker.startRun({ experiment: 'listing', runName: 'first' });
    const second = await tracker.startRun({ experiment: 'listing', runName: 'second' });
    await tracker.startRun({ experiment: 'listing-other', runName: 'elsewhere' });
    await first.logMetrics({ auc: 0.7 });
    await first.end('FAILED');
    await second.end('KILLED');
    const runs = await tracker.listRuns('listing');
    expect(runs.map((r) => [r.name, r.status, r.metrics])).toEqual([
      ['second', 'KILLED', {}],
      ['first', 'FAILED', { auc: 0.7 }],
    ]);
    expect(new Set(runs.map((r) => r.experimentId)).size).toBe(1);
    expect(await tracker.listRuns('no-such-experiment')).toEqual([]);
  });

  it('creates one experiment for concurrent first runs of a name', async () => {
    const runs = await Promise.all(
      Array.from({ length: 5 }, () => tracker.startRun({ experiment: 'concurrent' })),
    );
    expect(new Set(runs.map((r) => r.experimentId)).size).toBe(1);
    expect(await tracker.listRuns('concurrent')).toHaveLength(5);
  });

  it('answers RUN_NOT_FOUND for writes to a run that is gone, null for reads', async () => {
    const run = await tracker.startRun({ experiment: 'gone' });
    await prisma.trackingRun.delete({ where: { id: run.id } });
    expect(await tracker.getRun(run.id)).toBeNull();
    const notFound = { code: TrackingErrorCode.RUN_NOT_FOUND };
    await expect(run.logParams({ a: 1 })).rejects.toMatchObject(notFound);
    await expect(run.logMetrics({ a: 1 })).rejects.toMatchObject(notFound);
    await expect(run.setTags({ a: '1' })).rejects.toMatchObject(notFound);
    await expect(run.end()).rejects.toMatchObject(notFound);
    const dir = path.join(work, 'gone-run-folder');
    await writeFolder(dir, { 'a.txt': 'a' });
    await expect(run.logArtifacts(dir, 'm')).rejects.toMatchObject(notFound);
  });

  it('declares the model registry unsupported and records nothing', async () => {
    const result = await tracker.registerModelVersion('als', 'run', 'file:///x');
    expect(result).toEqual({ supported: false, reason: expect.stringContaining('@recsys/registry') });
    expect(await tracker.setAlias('als', 'champion', '1')).toMatchObject({ supported: false });
  });
});
