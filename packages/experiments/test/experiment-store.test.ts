import { createPrismaClient } from '@recsys/db';
import {
  ExperimentError,
  ExperimentErrorCode,
  ExperimentService,
  ExperimentStore,
  type ExperimentErrorCode as Code,
} from '../src';
import { experimentsDatabase, registerVersion, twoArms, type ExperimentsDatabase } from './support/database';

/*
 * Experiments in a real PostgreSQL database (a throw-away one with every migration applied): creation
 * against the registry's versions, the life cycle, the overlap rule under concurrent starts, and
 * assignments that survive a restart.
 */

let database: ExperimentsDatabase;
let store: ExperimentStore;
let alsId: string;

beforeAll(async () => {
  database = await experimentsDatabase();
  store = new ExperimentStore({ prisma: database.prisma, policies: ['production', 'thompson'] });
  alsId = await registerVersion(database.prisma, 'als', 1, 'PRODUCTION');
  await registerVersion(database.prisma, 'ease', 1, 'ARCHIVED');
  await registerVersion(database.prisma, 'ease', 2, 'CANDIDATE');
});

afterAll(async () => {
  await database?.close();
});

async function rejection(work: Promise<unknown>): Promise<ExperimentError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof ExperimentError) return error;
    throw error;
  }
  throw new Error('it was accepted');
}

async function expectRejected(work: Promise<unknown>, code: Code, message: RegExp): Promise<void> {
  const error = await rejection(work);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
}

describe('ExperimentStore.create', () => {
  it('stores a DRAFT with its variants in order, a model version named by label resolved to its id', async () => {
    const experiment = await store.create(
      { ...twoArms('create-ok', 'home', 'als@1'), description: 'ALS against production' },
      'admin-1',
    );
    expect(experiment).toMatchObject({
      name: 'create-ok',
      description: 'ALS against production',
      placement: 'home',
      status: 'draft',
      primaryMetric: 'ctr',
      guardrailMetrics: ['conversion'],
      minSampleSize: 100,
      alpha: 0.05,
      createdBy: 'admin-1',
      startAt: null,
      startedAt: null,
    });
    expect(experiment.variants.map((v) => [v.position, v.name, v.share, v.policy, v.modelVersionId])).toEqual(
      [
        [0, 'control', 0.5, 'production', null],
        [1, 'treatment', 0.5, null, alsId],
      ],
    );
    expect(await store.get('create-ok')).toEqual(experiment);
  });

  it('takes a model version by its id too', async () => {
    const experiment = await store.create(twoArms('create-by-id', 'home', alsId), 'admin-1');
    expect(experiment.variants[1].modelVersionId).toBe(alsId);
  });

  it('refuses an unknown model version, an archived one, an unknown policy, and a name in use', async () => {
    await expectRejected(
      store.create(twoArms('bad-version', 'home', 'als@9'), 'admin-1'),
      ExperimentErrorCode.UNKNOWN_MODEL_VERSION,
      /model version "als@9" is not in the registry/,
    );
    await expectRejected(
      store.create(twoArms('bad-version', 'home', '00000000-0000-0000-0000-000000000000'), 'admin-1'),
      ExperimentErrorCode.UNKNOWN_MODEL_VERSION,
      /not in the registry/,
    );
    const archived = await rejection(store.create(twoArms('bad-version', 'home', 'ease@1'), 'admin-1'));
    expect(archived.code).toBe(ExperimentErrorCode.ARCHIVED_MODEL_VERSION);
    expect(archived.field).toBe('variants[1].modelVersion');
    expect(archived.message).toBe('model version "ease@1" (ease@1) is ARCHIVED');
    const policy = await rejection(
      store.create(
        {
          ...twoArms('bad-policy', 'home', 'als@1'),
          variants: [
            { name: 'control', share: 0.5, policy: 'production' },
            { name: 'bandit', share: 0.5, policy: 'epsilon-greedy' },
          ],
        },
        'admin-1',
      ),
    );
    expect(policy.code).toBe(ExperimentErrorCode.UNKNOWN_POLICY);
    expect(policy.message).toBe('unknown policy "epsilon-greedy" (known: production, thompson)');
    await store.create(twoArms('taken', 'home', 'als@1'), 'admin-1');
    await expectRejected(
      store.create(twoArms('taken', 'search', 'ease@2'), 'admin-2'),
      ExperimentErrorCode.EXPERIMENT_EXISTS,
      /an experiment named "taken" already exists/,
    );
    expect(await store.get('bad-version')).toBeNull();
    expect(await store.get('bad-policy')).toBeNull();
  });
});

describe('ExperimentStore life cycle', () => {
  it('starts a draft now, refuses a second start, stops it for good', async () => {
    await store.create(twoArms('cycle', 'cycle_page', 'als@1'), 'admin-1');
    const before = Date.now();
    const running = await store.start('cycle', 'admin-2');
    expect(running.status).toBe('running');
    expect(running.startedBy).toBe('admin-2');
    expect(running.startAt!.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(running.startAt).toEqual(running.startedAt);
    await expectRejected(
      store.start('cycle', 'admin-1'),
      ExperimentErrorCode.INVALID_STATUS_CHANGE,
      /"cycle" is running; only a draft can be started/,
    );
    expect((await store.running()).map((e) => e.name)).toContain('cycle');

    const stopped = await store.stop('cycle', 'admin-3');
    expect(stopped).toMatchObject({ status: 'stopped', stoppedBy: 'admin-3' });
    expect(stopped.endAt).toEqual(stopped.stoppedAt);
    await expectRejected(
      store.stop('cycle', 'admin-1'),
      ExperimentErrorCode.INVALID_STATUS_CHANGE,
      /already stopped/,
    );
    await expectRejected(
      store.start('cycle', 'admin-1'),
      ExperimentErrorCode.INVALID_STATUS_CHANGE,
      /is stopped/,
    );
    await expectRejected(
      store.start('nope', 'admin-1'),
      ExperimentErrorCode.EXPERIMENT_NOT_FOUND,
      /no experiment named "nope"/,
    );
    expect((await store.list('stopped')).map((e) => e.name)).toContain('cycle');
    expect((await store.list('running')).map((e) => e.name)).not.toContain('cycle');
  });

  it('refuses to start a second experiment on a placement over an overlapping period, allows a later one', async () => {
    await store.create(twoArms('first', 'overlap_page', 'als@1'), 'admin-1');
    await store.create(twoArms('second', 'overlap_page', 'ease@2'), 'admin-1');
    await store.create(twoArms('elsewhere', 'other_page', 'ease@2'), 'admin-1');
    await store.start('first', 'admin-1');
    const overlap = await rejection(store.start('second', 'admin-1'));
    expect(overlap.code).toBe(ExperimentErrorCode.OVERLAPPING_EXPERIMENT);
    expect(overlap.message).toBe(
      'experiment "first" already runs on placement "overlap_page" with no end; stop it or give "second" a period that does not overlap',
    );
    expect((await store.get('second'))!.status).toBe('draft');
    await expect(store.start('elsewhere', 'admin-1')).resolves.toMatchObject({ status: 'running' });

    // Once "first" stops, its period is closed and "second" may run.
    await store.stop('first', 'admin-1');
    await expect(store.start('second', 'admin-1')).resolves.toMatchObject({ status: 'running' });
  });

  it('lets periods that do not overlap run one after the other on a placement', async () => {
    const inAWeek = new Date(Date.now() + 7 * 86_400_000);
    const inTwoWeeks = new Date(Date.now() + 14 * 86_400_000);
    await store.create(twoArms('now', 'dated_page', 'als@1', { endAt: inAWeek }), 'admin-1');
    await store.create(
      twoArms('later', 'dated_page', 'ease@2', { startAt: inAWeek, endAt: inTwoWeeks }),
      'admin-1',
    );
    await store.create(
      twoArms('clash', 'dated_page', 'ease@2', { startAt: new Date(Date.now() + 86_400_000) }),
      'admin-1',
    );
    await store.start('now', 'admin-1');
    const later = await store.start('later', 'admin-1');
    expect(later.startAt).toEqual(inAWeek); // a planned start in the future is kept
    const clash = await rejection(store.start('clash', 'admin-1'));
    expect(clash.code).toBe(ExperimentErrorCode.OVERLAPPING_EXPERIMENT);
  });

  it('refuses to start when a variant’s model version was archived after creation', async () => {
    const id = await registerVersion(database.prisma, 'item-knn', 1, 'CANDIDATE');
    await store.create(twoArms('archived-later', 'archive_page', 'item-knn@1'), 'admin-1');
    await database.prisma.modelVersion.update({ where: { id }, data: { stage: 'ARCHIVED' } });
    await expectRejected(
      store.start('archived-later', 'admin-1'),
      ExperimentErrorCode.ARCHIVED_MODEL_VERSION,
      /is ARCHIVED/,
    );
    expect((await store.get('archived-later'))!.status).toBe('draft');
  });

  it('lets exactly one of two concurrent starts on one placement win (advisory lock), every time', async () => {
    // Two clients: two connections, so the starts really run at the same time.
    const otherPrisma = createPrismaClient(database.db.url);
    const other = new ExperimentStore({ prisma: otherPrisma });
    try {
      for (let round = 0; round < 5; round++) {
        const placement = `race_${round}`;
        await store.create(twoArms(`race-a-${round}`, placement, 'als@1'), 'admin-1');
        await store.create(twoArms(`race-b-${round}`, placement, 'ease@2'), 'admin-1');
        const outcomes = await Promise.allSettled([
          store.start(`race-a-${round}`, 'admin-1'),
          other.start(`race-b-${round}`, 'admin-2'),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const lost = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
        expect((lost.reason as ExperimentError).code).toBe(ExperimentErrorCode.OVERLAPPING_EXPERIMENT);
        const running = (await store.running()).filter((e) => e.placement === placement);
        expect(running).toHaveLength(1);
      }
    } finally {
      await otherPrisma.$disconnect();
    }
  });
});

describe('assignments across restarts', () => {
  it('gives every user the same variant after the service restarts on a fresh connection', async () => {
    await store.create(
      {
        ...twoArms('restart', 'restart_page', 'als@1'),
        variants: [
          { name: 'control', share: 0.6, policy: 'production' },
          { name: 'als', share: 0.3, modelVersion: 'als@1' },
          { name: 'ease-canary', share: 0.1, modelVersion: 'ease@2', canary: true },
        ],
      },
      'admin-1',
    );
    const users = Array.from({ length: 3000 }, (_, i) => `u${i}`);
    const first = new ExperimentService({ prisma: database.prisma, datasetId: 'marketplace' });
    await first.start('restart', 'admin-1');
    const before = await Promise.all(
      users.map(async (u) => (await first.assign('restart_page', u))!.variant.name),
    );
    await first.close();

    const prisma = createPrismaClient(database.db.url);
    try {
      const second = new ExperimentService({ prisma, datasetId: 'marketplace' });
      const after = await Promise.all(
        users.map(async (u) => (await second.assign('restart_page', u))!.variant.name),
      );
      expect(after).toEqual(before);
      expect(new Set(after)).toEqual(new Set(['control', 'als', 'ease-canary']));
      expect(await second.assign('no_such_page', 'u1')).toBeNull();
      await second.close();
    } finally {
      await prisma.$disconnect();
    }
  });
});
