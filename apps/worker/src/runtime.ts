import { mkdir } from 'node:fs/promises';
import { FlowProducer, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createPgPool, createPrismaClient } from '@recsys/db';
import { createArtifactStore, ModelRegistry } from '@recsys/registry';
import { createTracker } from '@recsys/tracking';
import { DatasetCache, QueueName, type JobDeps } from '@recsys/training';
import { DeadLetter } from './dead-letter';
import { consumedQueues, workerIdOf, type WorkerEnv } from './env';
import type { Logger } from './logger';
import { evaluationProcessor } from './processors/evaluation';
import { trainingProcessor } from './processors/training';
import { trialProcessor, tuneProcessor } from './processors/tuning';
import { WorkerManager } from './worker-manager';

export interface WorkerRuntime {
  workerId: string;
  manager: WorkerManager;
  /** Closes the workers (gracefully unless `force`), then every connection. */
  close(force?: boolean): Promise<void>;
}

/**
 * Wires a worker process: Redis (queues, registry announcements), PostgreSQL (datasets, registry,
 * embedded tracking), the artifact store and tracker the environment describes, and one BullMQ worker
 * per consumed queue. `source` is the raw environment, for the settings other packages read themselves
 * (RECSYS_ARTIFACTS, S3_*, MLFLOW_*).
 */
export async function startWorker(
  env: WorkerEnv,
  logger: Logger,
  source: NodeJS.ProcessEnv = process.env,
): Promise<WorkerRuntime> {
  const workerId = workerIdOf(env);
  const connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const publisher = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
  for (const redis of [connection, publisher]) {
    redis.on('error', (error: Error) => logger.warn({ err: error }, 'redis connection error'));
  }
  const pool = createPgPool(env.DATABASE_URL);
  const prisma = createPrismaClient(env.DATABASE_URL);
  const store = createArtifactStore(source);
  const registry = new ModelRegistry({
    prisma,
    store,
    redis: publisher,
    logger: { warn: (message, details) => logger.warn(details ?? {}, message) },
  });
  await mkdir(env.WORKER_WORK_DIR, { recursive: true });
  const deps: JobDeps = {
    registry,
    tracker: createTracker(source, { prisma, store }),
    datasets: new DatasetCache({ pool: () => pool, ttlMs: env.WORKER_DATASET_CACHE_MS }),
    workDir: env.WORKER_WORK_DIR,
    workerId,
  };
  const flow = new FlowProducer({ connection, prefix: env.QUEUE_PREFIX });
  const deadLetterQueue = new Queue(QueueName.DEAD_LETTER, { connection, prefix: env.QUEUE_PREFIX });
  const interval = env.WORKER_PROGRESS_INTERVAL_MS;
  const manager = new WorkerManager({
    connection,
    prefix: env.QUEUE_PREFIX,
    queues: consumedQueues(env),
    concurrency: env.WORKER_CONCURRENCY,
    lockDurationMs: env.WORKER_LOCK_DURATION_MS,
    stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: env.WORKER_MAX_STALLED_COUNT,
    processors: {
      train: trainingProcessor(deps, interval, logger),
      evaluate: evaluationProcessor(deps, interval, logger),
      tune: tuneProcessor(deps, flow, interval, logger),
      trial: trialProcessor(deps, interval, logger),
    },
    deadLetter: new DeadLetter(deadLetterQueue, workerId, logger),
    logger,
    workerId,
  });
  await manager.start();
  return {
    workerId,
    manager,
    async close(force = false) {
      await manager.close(force);
      await Promise.allSettled([flow.close(), deadLetterQueue.close()]);
      await Promise.allSettled([pool.end(), prisma.$disconnect(), connection.quit(), publisher.quit()]);
    },
  };
}
