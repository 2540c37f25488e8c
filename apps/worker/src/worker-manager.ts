import { UnrecoverableError, WaitingChildrenError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { isPermanentFailure, QUEUE_JOBS, type PayloadJobName, type WorkQueueName } from '@recsys/training';
import { DeadLetter } from './dead-letter';
import type { Logger } from './logger';
import type { JobProcessor } from './processors/processor';

export interface WorkerManagerOptions {
  /** A connection with `maxRetriesPerRequest: null` (BullMQ duplicates it for blocking commands). */
  connection: Redis;
  prefix: string;
  queues: readonly WorkQueueName[];
  /** Jobs one process runs at once per queue. */
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  processors: Readonly<Record<PayloadJobName, JobProcessor>>;
  deadLetter: DeadLetter;
  logger: Logger;
  workerId: string;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One BullMQ worker per consumed queue, every processor wrapped the same way: the job routed by name
 * (a name the queue does not take fails at once), logged, permanent failures turned into BullMQ's
 * UnrecoverableError (no retry), and every final failure copied to the dead-letter queue.
 */
export class WorkerManager {
  private readonly workers: Worker[] = [];

  constructor(private readonly options: WorkerManagerOptions) {}

  async start(): Promise<void> {
    const o = this.options;
    for (const queue of o.queues) {
      const worker = new Worker(queue, (job, token, signal) => this.process(queue, job, token, signal), {
        connection: o.connection,
        prefix: o.prefix,
        name: o.workerId,
        concurrency: o.concurrency,
        lockDuration: o.lockDurationMs,
        stalledInterval: o.stalledIntervalMs,
        maxStalledCount: o.maxStalledCount,
        autorun: false,
      });
      worker.on('failed', (job, error) => {
        if (job) void this.onFailed(job, error);
      });
      worker.on('stalled', (jobId) =>
        o.logger.warn({ queue, jobId }, 'job stalled: its lock expired, back to the queue'),
      );
      worker.on('error', (error) => o.logger.error({ err: error, queue }, 'worker error'));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    for (const worker of this.workers) void worker.run();
    o.logger.info({ queues: o.queues, concurrency: o.concurrency, prefix: o.prefix }, 'worker started');
  }

  /**
   * Stops taking jobs. Graceful: waits for the active jobs to finish. Forced: aborts them (their signal)
   * and returns at once; their locks expire and another worker's stalled check takes them over.
   */
  async close(force = false): Promise<void> {
    if (force) for (const worker of this.workers) worker.cancelAllJobs('worker shutting down');
    await Promise.all(this.workers.map((w) => w.close(force)));
  }

  private async process(
    queue: WorkQueueName,
    job: Job,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const allowed = QUEUE_JOBS[queue];
    const name = allowed.find((n) => n === job.name);
    if (name === undefined) {
      throw new UnrecoverableError(`queue "${queue}" takes ${allowed.join(', ')} jobs, not "${job.name}"`);
    }
    const log = this.options.logger.child({
      queue,
      jobId: job.id,
      job: job.name,
      attempt: job.attemptsMade + 1,
    });
    const started = performance.now();
    log.info('job started');
    try {
      const result = await this.options.processors[name](job, token, signal);
      log.info({ seconds: (performance.now() - started) / 1000 }, 'job completed');
      return result;
    } catch (error) {
      if (error instanceof WaitingChildrenError) {
        log.info('waiting for child jobs');
        throw error;
      }
      if (isPermanentFailure(error)) {
        log.warn({ reason: errorMessage(error) }, 'job failed for good (no retry)');
        throw new UnrecoverableError(errorMessage(error));
      }
      log.warn({ err: error }, 'job attempt failed');
      throw error;
    }
  }

  private async onFailed(job: Job, error: Error): Promise<void> {
    try {
      if (await DeadLetter.isFinal(job, error)) await this.options.deadLetter.record(job, error);
    } catch (err) {
      this.options.logger.error({ err, jobId: job.id }, 'could not check a failed job');
    }
  }
}
