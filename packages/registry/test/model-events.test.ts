import path from 'node:path';
import { Redis } from 'ioredis';
import {
  LocalArtifactStore,
  MODEL_EVENTS_CHANNEL,
  ModelRegistry,
  parseModelStageEvent,
  subscribeModelEvents,
  type ModelStageEvent,
  type RegistryLogger,
} from '../src';
import {
  REDIS_URL,
  registerInput,
  registryDatabase,
  removeDir,
  tempDir,
  writeArtifactFolder,
  type RegistryDatabase,
} from './support/fixtures';

function recordingLogger(): RegistryLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (message) => void warnings.push(message) };
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for events');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('model stage events over Redis pub/sub', () => {
  let database: RegistryDatabase;
  let work: string;
  let source: string;
  let store: LocalArtifactStore;
  let redis: Redis;

  beforeAll(async () => {
    database = await registryDatabase();
    work = await tempDir('events');
    source = path.join(work, 'trained');
    await writeArtifactFolder(source, 'events');
    store = new LocalArtifactStore(path.join(work, 'artifacts'));
    redis = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    await redis.quit();
    await database.close();
    await removeDir(work);
  });

  it('announces every committed change, in order, to subscribers', async () => {
    const registry = new ModelRegistry({ prisma: database.prisma, store, redis });
    // The channel is shared with anything else on this Redis: keep only this test's placement.
    const placement = `events-${process.pid}-${Date.now()}`;
    const received: ModelStageEvent[] = [];
    const unsubscribe = await subscribeModelEvents(redis, (event) => {
      if (event.placement === placement) received.push(event);
    });
    try {
      const v1 = await registry.register(registerInput(source, { modelType: 'events', placement }));
      const v2 = await registry.register(registerInput(source, { modelType: 'events', placement }));
      await registry.setStage(v1.id, 'PRODUCTION', { actor: 'ops' });
      await registry.setStage(v2.id, 'PRODUCTION', { actor: 'ops' });
      await waitFor(() => received.length >= 5);
      expect(received.map((e) => [e.versionId, e.stage])).toEqual([
        [v1.id, 'CANDIDATE'],
        [v2.id, 'CANDIDATE'],
        [v1.id, 'PRODUCTION'],
        [v1.id, 'ARCHIVED'],
        [v2.id, 'PRODUCTION'],
      ]);
      for (const e of received) {
        expect(e.kind).toBe('stage-changed');
        expect(Number.isNaN(Date.parse(e.at))).toBe(false);
      }
    } finally {
      await unsubscribe();
    }
    // Unsubscribed: later changes are not delivered.
    const count = received.length;
    const v3 = await registry.register(registerInput(source, { modelType: 'events', placement }));
    await registry.setStage(v3.id, 'SHADOW', { actor: 'ops' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toHaveLength(count);
  });

  it('ignores malformed messages on the channel and survives a failing handler', async () => {
    const logger = recordingLogger();
    const placement = `malformed-${process.pid}-${Date.now()}`;
    const received: ModelStageEvent[] = [];
    const unsubscribe = await subscribeModelEvents(
      redis,
      (event) => {
        if (event.placement !== placement) return;
        received.push(event);
        if (received.length === 1) throw new Error('handler failed');
      },
      { logger },
    );
    try {
      const good: ModelStageEvent = {
        kind: 'stage-changed',
        versionId: 'x',
        placement,
        stage: 'SHADOW',
        at: new Date().toISOString(),
      };
      await redis.publish(MODEL_EVENTS_CHANNEL, 'not json');
      await redis.publish(MODEL_EVENTS_CHANNEL, JSON.stringify({ ...good, stage: 'LIVE' }));
      await redis.publish(MODEL_EVENTS_CHANNEL, JSON.stringify(good));
      await redis.publish(MODEL_EVENTS_CHANNEL, JSON.stringify({ ...good, versionId: 'y' }));
      await waitFor(() => received.length >= 2);
      expect(received.map((e) => e.versionId)).toEqual(['x', 'y']);
      expect(logger.warnings).toEqual(
        expect.arrayContaining([
          'a model event handler failed',
          'ignored a malformed message on the model events channel',
        ]),
      );
    } finally {
      await unsubscribe();
    }
  });

  it('commits stage changes without Redis, and when publishing fails (logged, not thrown)', async () => {
    const withoutRedis = new ModelRegistry({ prisma: database.prisma, store });
    const a = await withoutRedis.register(
      registerInput(source, { modelType: 'no-redis', placement: 'no-redis' }),
    );
    expect((await withoutRedis.setStage(a.id, 'PRODUCTION', { actor: 'ops' })).stage).toBe('PRODUCTION');

    // Redis went away: the client's connection is closed, so every publish fails.
    const dead = new Redis(REDIS_URL);
    await dead.quit();
    const logger = recordingLogger();
    const unreachable = new ModelRegistry({
      prisma: database.prisma,
      store,
      redis: dead,
      logger,
      publishTimeoutMs: 500,
    });
    const b = await unreachable.register(
      registerInput(source, { modelType: 'no-redis', placement: 'dead-redis' }),
    );
    const promoted = await unreachable.setStage(b.id, 'PRODUCTION', { actor: 'ops' });
    expect(promoted.stage).toBe('PRODUCTION');
    expect((await unreachable.production('dead-redis'))?.id).toBe(b.id);
    expect(logger.warnings).toEqual([
      'could not publish a model stage event',
      'could not publish a model stage event',
    ]);
  });

  it('parses only well-formed events', () => {
    const event = {
      kind: 'stage-changed',
      versionId: 'v',
      placement: 'home',
      stage: 'PRODUCTION',
      at: '2026-01-01T00:00:00.000Z',
    };
    expect(parseModelStageEvent(JSON.stringify(event))).toEqual(event);
    expect(parseModelStageEvent(JSON.stringify({ ...event, kind: 'other' }))).toBeNull();
    expect(parseModelStageEvent(JSON.stringify({ ...event, at: 5 }))).toBeNull();
    expect(parseModelStageEvent('null')).toBeNull();
    expect(parseModelStageEvent('{')).toBeNull();
  });
});
