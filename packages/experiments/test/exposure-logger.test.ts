import { randomUUID } from 'node:crypto';
import {
  ExperimentErrorCode,
  ExperimentStore,
  ExposureLogger,
  isExperimentError,
  prismaExposureSink,
  type Experiment,
  type ExposureInput,
  type ExposureSink,
} from '../src';
import { experimentsDatabase, registerVersion, twoArms, type ExperimentsDatabase } from './support/database';

/*
 * The exposure log against PostgreSQL: batches written off the request path, everything written on
 * close (graceful shutdown), idempotent on (variant, request id), failed writes kept and retried.
 */

let database: ExperimentsDatabase;
let experiment: Experiment;
let sink: ExposureSink;

beforeAll(async () => {
  database = await experimentsDatabase();
  await registerVersion(database.prisma, 'als', 1);
  const store = new ExperimentStore({ prisma: database.prisma });
  experiment = await store.create(twoArms('logged', 'home', 'als@1'), 'admin-1');
  sink = prismaExposureSink(database.prisma, 'marketplace');
});

afterAll(async () => {
  await database?.close();
});

beforeEach(async () => {
  await database.prisma.experimentExposure.deleteMany({});
});

/** An exposure of the experiment's variant `position` for a fresh (or the given) request id. */
function exposure(position = 0, requestId: string = randomUUID()): ExposureInput {
  const variant = experiment.variants[position];
  return {
    experimentId: experiment.id,
    variantId: variant.id,
    userId: `user-${requestId.slice(0, 6)}`,
    requestId,
    placement: 'home',
    modelVersionId: variant.modelVersionId,
    modelVersion: 'als@1',
    shown: true,
    assignmentProbability: variant.share,
    items: [
      { serviceId: 's1', position: 1, score: 0.9, propensity: 1 },
      { serviceId: 's2', position: 2, score: 0.5, propensity: 1 },
    ],
    servedAt: new Date('2026-11-27T12:00:00Z'),
  };
}

const rows = (): Promise<number> => database.prisma.experimentExposure.count();

/** A sink over the real one that refuses its first `failures` batches. */
function flakySink(failures: number): ExposureSink & { calls: number } {
  return {
    calls: 0,
    async insert(batch) {
      this.calls += 1;
      if (this.calls <= failures) throw new Error(`connection refused (call ${this.calls})`);
      return sink.insert(batch);
    },
  };
}

describe('ExposureLogger', () => {
  it('keeps exposures in memory until the interval, and writes every one of them on close', async () => {
    const logger = new ExposureLogger(sink, { batchSize: 1000, flushIntervalMs: 3_600_000 });
    for (let i = 0; i < 250; i++) logger.log(exposure(i % 2));
    expect(await rows()).toBe(0);
    expect(logger.stats()).toEqual({ logged: 250, written: 0, duplicates: 0, dropped: 0, pending: 250 });
    await logger.close();
    expect(await rows()).toBe(250);
    expect(logger.stats()).toEqual({ logged: 250, written: 250, duplicates: 0, dropped: 0, pending: 0 });
    const stored = await database.prisma.experimentExposure.findFirst({
      where: { variantId: experiment.variants[1].id },
    });
    expect(stored).toMatchObject({
      experimentId: experiment.id,
      datasetId: 'marketplace',
      placement: 'home',
      modelVersion: 'als@1',
      modelVersionId: experiment.variants[1].modelVersionId,
      shown: true,
      assignmentProbability: 0.5,
      items: [
        { serviceId: 's1', position: 1, score: 0.9, propensity: 1 },
        { serviceId: 's2', position: 2, score: 0.5, propensity: 1 },
      ],
    });
  });

  it('refuses exposures after close, with a code', async () => {
    const logger = new ExposureLogger(sink);
    await logger.close();
    let caught: unknown;
    try {
      logger.log(exposure());
    } catch (error) {
      caught = error;
    }
    expect(isExperimentError(caught, ExperimentErrorCode.LOGGER_CLOSED)).toBe(true);
  });

  it('writes a batch as soon as it is full, in batches of batchSize', async () => {
    const sizes: number[] = [];
    const logger = new ExposureLogger(
      {
        insert: (batch) => {
          sizes.push(batch.length);
          return sink.insert(batch);
        },
      },
      { batchSize: 100, flushIntervalMs: 3_600_000 },
    );
    for (let i = 0; i < 230; i++) logger.log(exposure());
    await logger.flush();
    expect(await rows()).toBe(230);
    expect(sizes).toEqual([100, 100, 30]);
    await logger.close();
  });

  it('writes on its own once the interval passes', async () => {
    const logger = new ExposureLogger(sink, { flushIntervalMs: 20 });
    for (let i = 0; i < 5; i++) logger.log(exposure());
    for (let wait = 0; wait < 100 && (await rows()) < 5; wait++) await new Promise((r) => setTimeout(r, 50));
    expect(await rows()).toBe(5);
    await logger.close();
  });

  it('is idempotent on (variant, request id): a replayed request lands once', async () => {
    const requestId = randomUUID();
    const first = new ExposureLogger(sink);
    first.log(exposure(0, requestId));
    first.log(exposure(0, requestId));
    first.log(exposure(1, requestId)); // the same request seen by another variant (a shadow) is its own row
    await first.close();
    expect(first.stats()).toMatchObject({ logged: 3, written: 2, duplicates: 1 });
    const second = new ExposureLogger(sink);
    second.log(exposure(0, requestId));
    await second.close();
    expect(second.stats()).toMatchObject({ written: 0, duplicates: 1 });
    expect(await rows()).toBe(2);
  });

  it('keeps a batch the database refused and writes it on the next attempt', async () => {
    const flaky = flakySink(3);
    const errors: string[] = [];
    const logger = new ExposureLogger(flaky, {
      batchSize: 50,
      flushIntervalMs: 3_600_000,
      closeAttempts: 3,
      logger: { warn: () => undefined, error: (_d, message) => errors.push(message) },
    });
    for (let i = 0; i < 120; i++) logger.log(exposure());
    await expect(logger.flush()).rejects.toThrow(/connection refused/);
    expect(logger.stats().pending).toBe(120);
    // Refused: the background flush begun when 50 were queued, the flush above, close()'s first attempt.
    await logger.close();
    expect(flaky.calls).toBe(3 + 3); // then three batches of 50, 50, 20
    expect(await rows()).toBe(120);
    expect(logger.stats()).toMatchObject({ written: 120, dropped: 0, pending: 0 });
    expect(errors).toEqual([]);
  });

  it('reports what it could not write when the database stays away, without hanging', async () => {
    const errors: { details: Record<string, unknown>; message: string }[] = [];
    const logger = new ExposureLogger(flakySink(1_000), {
      batchSize: 10,
      maxPending: 20,
      flushIntervalMs: 3_600_000,
      closeAttempts: 2,
      logger: { warn: () => undefined, error: (details, message) => errors.push({ details, message }) },
    });
    for (let i = 0; i < 25; i++) logger.log(exposure());
    await logger.close();
    expect(logger.stats()).toEqual({ logged: 25, written: 0, duplicates: 0, dropped: 25, pending: 0 });
    expect(errors.map((e) => e.message)).toContain(
      'exposure log closed with exposures the database would not take',
    );
    expect(errors.some((e) => e.message.startsWith('exposure log over its limit'))).toBe(true);
    expect(await rows()).toBe(0);
  });
});
