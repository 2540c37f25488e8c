import { loadEnv, workerIdOf } from './env';
import { createLogger } from './logger';
import { startWorker } from './runtime';
import { installShutdown } from './shutdown';

/** The worker process: environment, logger, workers, and SIGTERM/SIGINT handling. */
async function main(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({ level: env.LOG_LEVEL, workerId: workerIdOf(env) });
  const runtime = await startWorker(env, logger);
  installShutdown({ close: (force) => runtime.close(force), logger });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
