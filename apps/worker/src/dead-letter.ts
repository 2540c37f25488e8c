import type { Job, Queue } from 'bullmq';
import { JobName, type DeadLetterEntry } from '@recsys/training';
import type { Logger } from './logger';

/**
 * The dead-letter queue: every job that failed for good (attempts exhausted, or failed without retry)
 * is copied there with its failure, once (the copy's id is the job's queue, id and creation time).
 * Nothing consumes it: `recsys jobs dead-letter` lists it.
 */
export class DeadLetter {
  constructor(
    private readonly queue: Queue,
    private readonly workerId: string,
    private readonly logger: Logger,
  ) {}

  /** Whether the failure of `job` with `error` is its last (nothing will retry it). */
  static async isFinal(job: Job, error: Error): Promise<boolean> {
    if (error.name === 'UnrecoverableError') return true;
    if (job.attemptsMade >= (job.opts.attempts ?? 1)) return true;
    return job.isFailed();
  }

  async record(job: Job, error: Error): Promise<void> {
    const entry: DeadLetterEntry = {
      queue: job.queueName,
      jobId: job.id ?? '',
      name: job.name,
      data: job.data,
      failedReason: job.failedReason || error.message,
      attemptsMade: job.attemptsMade,
      unrecoverable: error.name === 'UnrecoverableError',
      failedAt: new Date(job.finishedOn ?? Date.now()).toISOString(),
      workerId: this.workerId,
    };
    try {
      await this.queue.add(JobName.DEAD_LETTER, entry, {
        jobId: `${job.queueName}-${job.id ?? 'none'}-${job.timestamp}`,
        removeOnComplete: true,
      });
      this.logger.warn(
        { queue: entry.queue, jobId: entry.jobId, reason: entry.failedReason },
        'job dead-lettered',
      );
    } catch (err) {
      this.logger.error(
        { err, queue: entry.queue, jobId: entry.jobId },
        'could not dead-letter a failed job',
      );
    }
  }
}
