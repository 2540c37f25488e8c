import { Queue, type ConnectionOptions } from 'bullmq';
import {
  DEFAULT_JOB_OPTIONS,
  DEFAULT_QUEUE_PREFIX,
  JobName,
  parsePayload,
  QueueName,
  type TrainingPayloadInput,
} from './contract';
import { JobError, queueUnavailable } from './errors';

/** The queues a training job can go to: CPU nodes, or GPU nodes (consumed where WORKER_GPU=true). */
export type TrainingQueueName = typeof QueueName.TRAINING | typeof QueueName.TRAINING_GPU;

export interface TrainingJobProducerOptions {
  /**
   * An ioredis client, shared: the producer never closes it. Or connection options: each queue the
   * producer uses opens a connection of its own, closed by close().
   */
  connection: ConnectionOptions;
  /** The queues' Redis key namespace; producers and workers must agree (QUEUE_PREFIX). */
  prefix?: string;
  /** How long one enqueueTraining waits for Redis before it fails with QUEUE_UNAVAILABLE. */
  timeoutMs?: number;
  /** Connection errors the queues report while Redis is away (they also retry); ignored by default. */
  onError?: (error: Error) => void;
}

/**
 * What enqueueTraining takes: a training payload (TrainingPayloadInput) whose model type and protocol
 * may still be any string, as they come from an API or a command line; the contract checks them.
 */
export type TrainingJobRequest = Omit<TrainingPayloadInput, 'modelType' | 'protocol'> & {
  modelType: string;
  protocol?: string;
};

export interface EnqueueTrainingOptions {
  /** Queue it for GPU nodes (training-gpu) instead of CPU nodes (training). */
  gpu?: boolean;
}

export interface EnqueuedTrainingJob {
  jobId: string;
  queue: TrainingQueueName;
}

/** What callers of the producer depend on (a fake in a test can stand in for it). */
export interface TrainingJobEnqueuer {
  enqueueTraining(input: TrainingJobRequest, opts?: EnqueueTrainingOptions): Promise<EnqueuedTrainingJob>;
}

export const DEFAULT_ENQUEUE_TIMEOUT_MS = 5_000;

/**
 * Queues `train` jobs for the worker, the one way every producer (the subgraph, schedules, scripts) does
 * it: the payload is validated against the contract first, so a malformed one (an unknown model or
 * parameter, a wrong type) is refused with INVALID_PAYLOAD before anything is queued, and every job gets
 * the contract's retry policy and retention (DEFAULT_JOB_OPTIONS).
 *
 * Redis that cannot be reached within `timeoutMs` gives QUEUE_UNAVAILABLE (retryable). The producer
 * waits for the connection before adding, so a job refused that way was not queued; only a connection
 * lost in the middle of the add itself can leave the job queued after all.
 */
export class TrainingJobProducer implements TrainingJobEnqueuer {
  private readonly queues = new Map<TrainingQueueName, Queue>();
  private readonly connection: ConnectionOptions;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly onError: (error: Error) => void;
  /** Queues given up on, still closing. */
  private readonly retiring = new Set<Promise<void>>();
  private closing: Promise<void> | null = null;

  constructor(options: TrainingJobProducerOptions) {
    this.connection = options.connection;
    this.prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_ENQUEUE_TIMEOUT_MS;
    this.onError = options.onError ?? (() => undefined);
  }

  /**
   * Validates `input` (INVALID_PAYLOAD naming every bad field, nothing queued) and adds it as a `train`
   * job to `training`, or to `training-gpu` with `gpu`.
   */
  async enqueueTraining(
    input: TrainingJobRequest,
    opts: EnqueueTrainingOptions = {},
  ): Promise<EnqueuedTrainingJob> {
    if (this.closing !== null) throw new Error('the training job producer is closed');
    const payload = parsePayload(JobName.TRAIN, input);
    const name: TrainingQueueName = opts.gpu ? QueueName.TRAINING_GPU : QueueName.TRAINING;
    const queue = this.queue(name);
    const ready = queue.waitUntilReady().catch((error: unknown) => {
      // A connection that gave up (refused, closed) is never ready again: the next request starts afresh.
      // One still reconnecting is kept, and answers once Redis is back.
      this.retire(name, queue);
      throw error;
    });
    await this.withinDeadline(ready, `cannot reach the ${name} queue`);
    const job = await this.withinDeadline(
      queue.add(JobName.TRAIN, payload, DEFAULT_JOB_OPTIONS),
      `cannot add to the ${name} queue`,
    );
    if (job.id === undefined) throw new Error(`the ${name} queue gave the job no id`);
    return { jobId: job.id, queue: name };
  }

  /** Closes the queues (and the connections they opened; a shared client stays open). Idempotent. */
  close(): Promise<void> {
    this.closing ??= Promise.all([
      ...[...this.queues.values()].map((queue) => queue.close()),
      ...this.retiring,
    ]).then(() => undefined);
    return this.closing;
  }

  private retire(name: TrainingQueueName, queue: Queue): void {
    if (this.queues.get(name) === queue) this.queues.delete(name);
    const closed = queue.close().catch(() => undefined);
    this.retiring.add(closed);
    void closed.then(() => this.retiring.delete(closed));
  }

  private queue(name: TrainingQueueName): Queue {
    let queue = this.queues.get(name);
    if (queue === undefined) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      // Without a listener, a connection error would be thrown from the EventEmitter.
      queue.on('error', this.onError);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** `work`, or QUEUE_UNAVAILABLE when it fails or takes longer than the timeout. */
  private async withinDeadline<T>(work: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(queueUnavailable(`${what}: no answer from Redis within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([work, deadline]);
    } catch (error) {
      if (error instanceof JobError) throw error;
      throw queueUnavailable(`${what}: ${error instanceof Error ? error.message : String(error)}`, error);
    } finally {
      clearTimeout(timer);
    }
  }
}
