import type { Logger } from './logger';

export interface ShutdownOptions {
  /** Closes the worker: graceful (waits for active jobs) or forced (gives them up to the stalled check). */
  close(force: boolean): Promise<void>;
  logger: Logger;
  /** @defaultValue process.exit */
  exit?: (code: number) => void;
  /** @defaultValue ['SIGTERM', 'SIGINT'] */
  signals?: readonly NodeJS.Signals[];
}

/**
 * The first SIGTERM (or SIGINT) closes the worker gracefully: it takes no new job and waits for the
 * active ones to finish, then exits 0. A second signal forces: active jobs are cancelled and left to
 * another worker (their locks expire and the stalled check moves them back to the queue), exit 1.
 */
export function installShutdown(options: ShutdownOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const { logger } = options;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!stopping) {
      stopping = true;
      logger.info({ signal }, 'closing: no new jobs, waiting for the active ones (signal again to force)');
      options.close(false).then(
        () => {
          logger.info('closed');
          exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'graceful close failed');
          exit(1);
        },
      );
      return;
    }
    logger.warn({ signal }, 'forcing close: active jobs are given up to the stalled-job check');
    options.close(true).finally(() => exit(1));
  };
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) process.on(signal, onSignal);
}
