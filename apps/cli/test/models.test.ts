import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createPrismaClient, createTestDatabase, type PrismaClient, type TestDatabase } from '@recsys/db';
import { LocalArtifactStore, ModelRegistry, type ModelVersionRecord } from '@recsys/registry';
import { JobName, QueueName, type DeadLetterEntry } from '@recsys/training';
import { ExitCode, runCli } from '../src';
import { testContext } from './support/test-context';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('recsys models, train, tune and jobs', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let registry: ModelRegistry;
  let work: string;
  let artifactDir: string;
  let redis: Redis;
  const prefix = `test-cli-${randomUUID().slice(0, 8)}`;
  const saved = { ...process.env };

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    work = await mkdtemp(path.join(os.tmpdir(), 'recsys-cli-models-'));
    artifactDir = path.join(work, 'trained');
    await mkdir(artifactDir, { recursive: true });
    await writeFile(path.join(artifactDir, 'manifest.json'), '{}');
    registry = new ModelRegistry({ prisma, store: new LocalArtifactStore(path.join(work, 'store')) });
    await prisma.dataset.create({ data: { id: 'marketplace', source: 'marketplace' } });
    await prisma.user.createMany({
      data: [
        { datasetId: 'marketplace', id: 'alice', role: 'ADMIN' },
        { datasetId: 'marketplace', id: 'bob', role: 'USER' },
      ],
    });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    Object.assign(process.env, {
      DATABASE_URL: db.url,
      RECSYS_ARTIFACTS: path.join(work, 'store'),
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      RECSYS_PROMOTION_GATES: '',
    });
  });

  afterAll(async () => {
    process.env = saved;
    for (const name of [QueueName.TRAINING, QueueName.TUNING, QueueName.DEAD_LETTER]) {
      const queue = new Queue(name, { connection: redis, prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await redis.quit();
    await prisma.$disconnect();
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const ctx = testContext(db.pool);
    const code = await runCli(args, ctx);
    return { code, out: ctx.stdout.join('\n'), err: ctx.stderrLines.join('\n') };
  }

  function register(placement: string, ndcg: number, protocol = 'holdout'): Promise<ModelVersionRecord> {
    return registry.register({
      modelType: 'als',
      placement,
      datasetId: 'ml-100k',
      dataFingerprint: 'f'.repeat(64),
      params: { factors: 16 },
      metrics: { 'ndcg@10': ndcg },
      protocol,
      artifactDir,
      createdBy: 'test',
    });
  }

  describe('models', () => {
    let production: ModelVersionRecord;
    let worse: ModelVersionRecord;
    let better: ModelVersionRecord;

    beforeAll(async () => {
      production = await register('home', 0.45);
      await registry.setStage(production.id, 'PRODUCTION', { actor: 'setup' });
      worse = await register('home', 0.44);
      better = await register('home', 0.5);
    });

    it('lists versions, filtered', async () => {
      const all = await cli(['models', 'list', '--placement', 'home']);
      expect(all.code).toBe(ExitCode.OK);
      expect(all.out.split('\n')).toHaveLength(3);
      expect(all.out).toContain('ndcg@10 0.4500');
      const json = await cli(['models', 'list', '--stage', 'PRODUCTION', '--json']);
      expect(json.out.split('\n').map((l) => (JSON.parse(l) as ModelVersionRecord).id)).toEqual([
        production.id,
      ]);
    });

    it('refuses to promote a worse candidate (exit 3, nothing changed)', async () => {
      const refused = await cli(['models', 'promote', worse.id, '--actor', 'carol']);
      expect(refused.code).toBe(ExitCode.INVALID_INPUT);
      expect(refused.err).toContain(
        'candidate does not beat production: ndcg@10 0.4400 vs production 0.4500',
      );
      expect((await registry.production('home'))?.id).toBe(production.id);
    });

    it('refuses --force from a non-admin and without a reason', async () => {
      const bob = await cli(['models', 'promote', worse.id, '--actor', 'bob', '--force', '--reason', 'x']);
      expect(bob.code).toBe(ExitCode.USAGE);
      expect(bob.err).toContain('only an ADMIN may force');
      const noReason = await cli(['models', 'promote', worse.id, '--actor', 'alice', '--force']);
      expect(noReason.code).toBe(ExitCode.USAGE);
      expect(noReason.err).toContain('needs a reason');
    });

    it('lets an ADMIN force it, audited as forced; history prints it; rollback undoes it', async () => {
      const forced = await cli([
        'models',
        'promote',
        worse.id,
        '--actor',
        'alice',
        '--force',
        '--reason',
        'A/B test won',
      ]);
      expect(forced.code).toBe(ExitCode.OK);
      expect(forced.out).toContain('FORCED past the gate');
      const audit = (await registry.history({ versionId: worse.id })).at(-1);
      expect(audit).toMatchObject({ toStage: 'PRODUCTION', actor: 'alice', forced: true });
      expect(audit?.reason).toMatch(/^A\/B test won \(forced past the gate: /);

      const history = await cli(['models', 'history', 'home']);
      expect(history.code).toBe(ExitCode.OK);
      expect(history.out).toMatch(/als@2 +CANDIDATE → PRODUCTION +by alice {2}FORCED {2}A\/B test won/);

      const rollback = await cli(['models', 'rollback', 'home', '--actor', 'alice', '--reason', 'oops']);
      expect(rollback.code).toBe(ExitCode.OK);
      expect(rollback.out).toContain(`to als@1 (${production.id})`);
      expect((await registry.production('home'))?.id).toBe(production.id);
    });

    it('promotes a better candidate, the verdict printed; unknown versions exit 4', async () => {
      const promoted = await cli(['models', 'promote', better.id, '--actor', 'carol', '--reason', 'retrain']);
      expect(promoted.code).toBe(ExitCode.OK);
      expect(promoted.out).toContain('als@3 is now PRODUCTION on "home"');
      expect(promoted.out).toContain('gate: ndcg@10 0.5000 vs production 0.4500 (+11.11%');
      const missing = await cli(['models', 'promote', randomUUID(), '--actor', 'carol']);
      expect(missing.code).toBe(ExitCode.NOT_FOUND);
    });

    it('refuses metrics of another protocol, naming both', async () => {
      const other = await register('home', 0.9, 'loo-sampled');
      const refused = await cli(['models', 'promote', other.id, '--actor', 'carol']);
      expect(refused.code).toBe(ExitCode.INVALID_INPUT);
      expect(refused.err).toContain('not comparable');
    });
  });

  describe('train, tune and jobs (producers only: no worker here)', () => {
    it('queues a validated training job', async () => {
      const queued = await cli([
        'train',
        '--model',
        'als',
        '--dataset',
        'ml-100k',
        '--params',
        '{"factors":8}',
        '--json',
      ]);
      expect(queued.code).toBe(ExitCode.OK);
      const { jobId } = JSON.parse(queued.out) as { jobId: string };
      const queue = new Queue(QueueName.TRAINING, { connection: redis, prefix });
      const job = await queue.getJob(jobId);
      expect(job?.name).toBe(JobName.TRAIN);
      expect(job?.data).toMatchObject({
        modelType: 'als',
        datasetId: 'ml-100k',
        params: { factors: 8 },
        protocol: 'holdout',
      });
      expect(job?.opts.attempts).toBe(3);
      await queue.close();
    });

    it('refuses a bad payload before queueing, naming the field', async () => {
      const bad = await cli(['train', '--model', 'als', '--dataset', 'ml-100k', '--params', '{"factorz":8}']);
      expect(bad.code).toBe(ExitCode.USAGE);
      expect(bad.err).toContain('params: als: unknown parameter(s) "factorz"');
      const tune = await cli(['tune', '--model', 'popularity', '--dataset', 'ml-100k']);
      expect(tune.code).toBe(ExitCode.USAGE);
      expect(tune.err).toContain('modelType');
    });

    it('queues a search and schedules retraining', async () => {
      const tune = await cli([
        'tune',
        '--model',
        'als',
        '--dataset',
        'ml-100k',
        '--trials',
        '8',
        '--parallel',
        '2',
        '--sampler',
        'random',
      ]);
      expect(tune.code).toBe(ExitCode.OK);
      expect(tune.out).toMatch(/^queued tune job \S+ on tuning$/);
      const scheduled = await cli([
        'train',
        '--model',
        'ease',
        '--dataset',
        'ml-100k',
        '--cron',
        '0 3 * * *',
      ]);
      expect(scheduled.out).toBe('scheduled "train:ease:ml-100k:home" on training: 0 3 * * *');
      const schedules = await cli(['jobs', 'schedules', '--json']);
      expect(JSON.parse(schedules.out)).toEqual([
        expect.objectContaining({ queue: 'training', id: 'train:ease:ml-100k:home', pattern: '0 3 * * *' }),
      ]);
      expect((await cli(['jobs', 'unschedule', 'train:ease:ml-100k:home'])).code).toBe(ExitCode.OK);
      expect((await cli(['jobs', 'unschedule', 'train:ease:ml-100k:home'])).code).toBe(ExitCode.NOT_FOUND);
    });

    it('lists the dead-letter queue', async () => {
      expect((await cli(['jobs', 'dead-letter'])).out).toBe('no dead-lettered jobs');
      const entry: DeadLetterEntry = {
        queue: 'training',
        jobId: '42',
        name: 'train',
        data: { modelType: 'als' },
        failedReason: 'boom',
        attemptsMade: 3,
        unrecoverable: false,
        failedAt: new Date(0).toISOString(),
        workerId: 'w',
      };
      const dlq = new Queue(QueueName.DEAD_LETTER, { connection: redis, prefix });
      await dlq.add(JobName.DEAD_LETTER, entry);
      await dlq.close();
      const listed = await cli(['jobs', 'dead-letter']);
      expect(listed.out).toContain('training/42 (train)  attempts 3');
      expect(listed.out).toContain('boom');
    });
  });
});
