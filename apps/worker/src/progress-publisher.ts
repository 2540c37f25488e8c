import type { JobProgress } from '@recsys/training';
import type { Logger } from './logger';

/** The part of a BullMQ job the publisher writes to. */
export interface ProgressTarget {
  updateProgress(progress: JobProgress): Promise<void>;
}

export interface ProgressPublisher {
  publish(progress: JobProgress): void;
  /** Writes the latest held-back update and waits for every write. */
  flush(): Promise<void>;
}

/**
 * Forwards a job's progress to `job.updateProgress` (Redis, then QueueEvents 'progress' for the CLI) at
 * most once per `intervalMs`, except that a change of phase or epoch is always written. Writes are
 * serialised; a failed write is logged, never thrown into the training.
 */
export function progressPublisher(
  job: ProgressTarget,
  intervalMs: number,
  logger: Logger,
): ProgressPublisher {
  let chain: Promise<void> = Promise.resolve();
  let lastAt = 0;
  let last: JobProgress | null = null;
  let pending: JobProgress | null = null;
  const write = (progress: JobProgress): void => {
    lastAt = Date.now();
    last = progress;
    pending = null;
    chain = chain
      .then(() => job.updateProgress(progress))
      .catch((error: unknown) => logger.warn({ err: error }, 'could not publish job progress'));
  };
  return {
    publish(progress) {
      const changed =
        last === null ||
        last.phase !== progress.phase ||
        last.epoch !== progress.epoch ||
        last.fold !== progress.fold;
      if (changed || Date.now() - lastAt >= intervalMs) write(progress);
      else pending = progress;
    },
    async flush() {
      if (pending) write(pending);
      await chain;
    },
  };
}
