import os from 'node:os';
import path from 'node:path';
import { createPgPool, createPrismaClient } from '@recsys/db';
import { ExperimentService } from '@recsys/experiments';
import { ModelRegistry, createArtifactStore } from '@recsys/registry';
import { createInferenceEngine, registryModelEvents, registryModelSource } from '@recsys/serving';
import { TrainingJobProducer } from '@recsys/training';
import { Redis } from 'ioredis';
import { loadEnv } from './env';
import { createLogger } from './ops/logger';
import { createMetrics } from './ops/metrics';
import { serverOptionsFromEnv } from './options-from-env';
import { createSubgraphServer } from './server';

/** The longest a shutdown may take before the process exits anyway (past the drain grace period). */
const SHUTDOWN_DEADLINE_MARGIN_MS = 5_000;

/**
 * The subgraph process: reads the environment, connects PostgreSQL, Redis and the model registry, starts
 * the engine and the server, and shuts all of it down on SIGTERM or SIGINT.
 */
async function main(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({ level: env.LOG_LEVEL });
  const pool = createPgPool(env.DATABASE_URL, { max: 10 });
  const prisma = createPrismaClient(env.DATABASE_URL);
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
  redis.on('error', (error: Error) => logger.warn({ err: error }, 'redis connection error'));

  const store = createArtifactStore({ ...process.env, RECSYS_ARTIFACTS: env.RECSYS_ARTIFACTS });
  const registry = new ModelRegistry({
    prisma,
    store,
    logger: { warn: (message, details) => logger.warn(details ?? {}, message) },
  });
  const cacheDir = env.RECSYS_ARTIFACT_CACHE ?? path.join(os.homedir(), '.recsys', 'artifact-cache');
  const metrics = createMetrics();
  const engine = await createInferenceEngine({
    pool,
    redis,
    datasetId: env.RECSYS_DATASET,
    modelSource: registryModelSource(registry, store, cacheDir, { datasetId: env.RECSYS_DATASET, logger }),
    modelEvents: registryModelEvents(redis, logger),
    logger,
    onEvent: metrics.onEngineEvent,
  });
  // Mutation.requestRetraining's queue, on the same Redis connection (the producer does not close it).
  const trainingJobs = new TrainingJobProducer({
    connection: redis,
    prefix: env.QUEUE_PREFIX,
    onError: (error) => logger.warn({ err: error }, 'training queue error'),
  });
  // A/B experiments of the dataset served: assignment, exposure log (written in batches), ADMIN API.
  const experiments = new ExperimentService({ prisma, datasetId: env.RECSYS_DATASET, logger });
  const server = createSubgraphServer(
    { engine, redis, logger, metrics, trainingJobs, experiments },
    serverOptionsFromEnv(env),
  );
  await server.start();

  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(
      () => {
        logger.error('shutdown took too long; exiting');
        process.exit(1);
      },
      env.SHUTDOWN_DELAY_MS + env.SHUTDOWN_GRACE_MS + SHUTDOWN_DEADLINE_MARGIN_MS,
    );
    deadline.unref();
    try {
      await server.stop();
      // After the drain: every list served has queued its exposure; write them all before exiting.
      await experiments.close();
      await trainingJobs.close();
      await Promise.allSettled([pool.end(), prisma.$disconnect(), redis.quit()]);
      logger.info('shut down');
      logger.flush();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
