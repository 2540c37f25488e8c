import { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { Queue, QueueEvents, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import {
  DEFAULT_JOB_OPTIONS,
  DEFAULT_QUEUE_PREFIX,
  DeadLetterEntrySchema,
  isWorkQueueName,
  JobError,
  JobErrorCode,
  JobProgressSchema,
  QueueName,
  WORK_QUEUES,
  type JobProgress,
  type WorkQueueName,
} from '@recsys/training';
import { CliError, ExitCode } from '../cli-error';
import type { CliContext } from '../context';
import { positiveInt } from '../options';

/**
 * `recsys jobs ...`, and the queue plumbing `recsys train` and `recsys tune` share: the queues are
 * those of REDIS_URL under QUEUE_PREFIX (the worker's settings of the same names).
 */

export interface QueueSettings {
  redisUrl: string;
  prefix: string;
}

export function queueSettings(env: NodeJS.ProcessEnv = process.env): QueueSettings {
  return {
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    prefix: env.QUEUE_PREFIX || DEFAULT_QUEUE_PREFIX,
  };
}

/** A Redis URL as connection options (redis://[user:password@]host:port[/db]). */
export function redisOptions(url: string): {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
} {
  const u = new URL(url);
  const db = Number(u.pathname.slice(1));
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
  };
}

/** Runs `work` with a Redis connection of its own (queue settings' URL), closed afterwards. */
async function withRedis<T>(work: (redis: Redis, prefix: string) => Promise<T>): Promise<T> {
  const settings = queueSettings();
  const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new CliError(
      `cannot reach Redis at ${settings.redisUrl}: ${(error as Error).message}`,
      ExitCode.FAILURE,
    );
  }
  try {
    return await work(redis, settings.prefix);
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

/** Runs `work` with a Queue of `name` on the given connection; the queue is closed afterwards. */
async function onQueue<T>(
  redis: Redis,
  prefix: string,
  name: string,
  work: (queue: Queue) => Promise<T>,
): Promise<T> {
  const queue = new Queue(name, { connection: redis, prefix });
  try {
    return await work(queue);
  } finally {
    await queue.close();
  }
}

/** Runs `work` with a Queue of `name` on a connection of its own, closed afterwards. */
export function withQueue<T>(name: string, work: (queue: Queue, redis: Redis) => Promise<T>): Promise<T> {
  return withRedis((redis, prefix) => onQueue(redis, prefix, name, (queue) => work(queue, redis)));
}

/** A contract error (INVALID_PAYLOAD) as a usage error: the job is refused before it is queued. */
export function payloadError(error: unknown): unknown {
  if (error instanceof JobError && error.code === JobErrorCode.INVALID_PAYLOAD)
    return new CliError(error.message);
  return error;
}

interface ProgressView {
  show(progress: JobProgress): void;
  stop(): void;
}

function describeProgress(p: JobProgress): string {
  const parts: string[] = [];
  if (p.fold) parts.push(`fold ${p.fold}`);
  if (p.epoch !== undefined) parts.push(`epoch ${p.epoch}${p.epochs ? `/${p.epochs}` : ''}`);
  if (p.loss !== undefined) parts.push(`loss ${p.loss.toPrecision(4)}`);
  if (p.metric) parts.push(`${p.metric.name} ${p.metric.value.toFixed(4)}`);
  if (p.trialsDone !== undefined) parts.push(`trials ${p.trialsDone}/${p.trialsTotal ?? '?'}`);
  if (p.bestValue !== undefined && p.bestValue !== null) parts.push(`best ${p.bestValue.toFixed(4)}`);
  return parts.join(', ');
}

/** A bar per phase on a terminal (stderr); elsewhere one line per phase and per epoch. */
function progressView(stream: NodeJS.WriteStream): ProgressView {
  let phase = '';
  if (!stream.isTTY) {
    let lastLine = '';
    return {
      show(p) {
        const line = `${p.phase}${describeProgress(p) ? ` (${describeProgress(p)})` : ''}`;
        if (p.phase !== phase || (p.epoch !== undefined && line !== lastLine)) stream.write(`${line}\n`);
        phase = p.phase;
        lastLine = line;
      },
      stop() {},
    };
  }
  let bar: SingleBar | null = null;
  return {
    show(p) {
      if (p.phase !== phase || !bar) {
        // A phase that is over is done, however far its last report got.
        bar?.update(100);
        bar?.stop();
        phase = p.phase;
        bar = new SingleBar(
          { stream, format: `${p.phase.padEnd(9)} [{bar}] {percentage}% | {detail}`, hideCursor: true },
          Presets.shades_classic,
        );
        bar.start(100, 0, { detail: '' });
      }
      bar.update(Math.round(100 * p.fraction), { detail: describeProgress(p) });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

export interface EnqueueOptions {
  wait?: boolean;
  json?: boolean;
  jobOptions?: JobsOptions;
}

/**
 * Adds one job (the contract's retry policy) and prints its id; with `wait`, follows its progress
 * (QueueEvents 'progress', a bar on a terminal) and prints its result, exiting 1 when it fails.
 */
export async function enqueue(
  ctx: CliContext,
  queueName: WorkQueueName,
  jobName: string,
  payload: object,
  options: EnqueueOptions,
): Promise<unknown> {
  const settings = queueSettings();
  return withQueue(queueName, async (queue) => {
    let events: QueueEvents | null = null;
    if (options.wait) {
      // QueueEvents blocks on its connection: options (not a client), so it opens and closes its own.
      events = new QueueEvents(queueName, {
        connection: redisOptions(settings.redisUrl),
        prefix: settings.prefix,
      });
      await events.waitUntilReady();
    }
    try {
      const job = await queue.add(jobName, payload, { ...DEFAULT_JOB_OPTIONS, ...options.jobOptions });
      if (!events) {
        ctx.out(
          options.json
            ? JSON.stringify({ queue: queueName, jobId: job.id })
            : `queued ${jobName} job ${job.id} on ${queueName}`,
        );
        return { jobId: job.id };
      }
      if (!options.json) ctx.err(`queued ${jobName} job ${job.id} on ${queueName}; waiting for a worker...`);
      const view = progressView(ctx.stderr);
      events.on('progress', ({ jobId, data }) => {
        const progress = jobId === job.id ? JobProgressSchema.safeParse(data) : null;
        if (progress?.success) view.show(progress.data);
      });
      try {
        const result: unknown = await job.waitUntilFinished(events);
        view.stop();
        ctx.out(JSON.stringify(result, null, options.json ? undefined : 2));
        return result;
      } catch (error) {
        view.stop();
        throw new CliError(`job ${job.id} failed: ${(error as Error).message}`, ExitCode.FAILURE);
      }
    } finally {
      await events?.close();
    }
  });
}

/** `recsys jobs ...`: the dead-letter queue and the retraining schedules. */
export function jobsCommand(ctx: CliContext): Command {
  const jobs = new Command('jobs').description(
    'Inspect the job queues: failed jobs and retraining schedules',
  );

  jobs
    .command('dead-letter')
    .description('List the jobs that failed for good (attempts exhausted, or refused without retry)')
    .option('--limit <n>', 'newest entries shown', positiveInt('--limit'), 50)
    .option('--json', 'print one JSON object per entry')
    .action(async (opts: { limit: number; json?: boolean }) => {
      const entries = await withQueue(QueueName.DEAD_LETTER, async (queue) => {
        const found = await queue.getJobs(['waiting', 'delayed', 'prioritized'], 0, opts.limit - 1, false);
        return found.map((job) => ({ id: job.id, entry: DeadLetterEntrySchema.safeParse(job.data) }));
      });
      const valid = entries.flatMap(({ entry }) => (entry.success ? [entry.data] : []));
      if (opts.json) {
        for (const entry of valid) ctx.out(JSON.stringify(entry));
        return;
      }
      if (valid.length === 0) {
        ctx.out('no dead-lettered jobs');
        return;
      }
      for (const e of valid) {
        ctx.out(
          `${e.failedAt}  ${e.queue}/${e.jobId} (${e.name})  attempts ${e.attemptsMade}${e.unrecoverable ? ', not retried' : ''}\n    ${e.failedReason}`,
        );
      }
    });

  jobs
    .command('schedules')
    .description('List the repeatable (cron) retraining jobs')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      // One connection for every queue.
      const rows = await withRedis(async (redis, prefix) => {
        const found = [];
        for (const name of WORK_QUEUES) {
          const schedulers = await onQueue(redis, prefix, name, (queue) => queue.getJobSchedulers());
          for (const s of schedulers) {
            found.push({
              queue: name,
              id: s.key,
              pattern: s.pattern ?? null,
              next: s.next ? new Date(s.next).toISOString() : null,
            });
          }
        }
        return found;
      });
      if (opts.json) ctx.out(JSON.stringify(rows));
      else if (rows.length === 0) ctx.out('no schedules: add one with `recsys train ... --cron "0 3 * * *"`');
      else
        for (const r of rows)
          ctx.out(`${r.queue.padEnd(13)} ${r.id.padEnd(40)} ${r.pattern ?? ''}  next ${r.next ?? '-'}`);
    });

  jobs
    .command('unschedule')
    .description('Remove a retraining schedule')
    .argument('<id>', 'the schedule id (see `recsys jobs schedules`)')
    .option('--queue <name>', 'its queue', QueueName.TRAINING)
    .action(async (id: string, opts: { queue: string }) => {
      if (!isWorkQueueName(opts.queue))
        throw new CliError(`unknown queue "${opts.queue}" (known: ${WORK_QUEUES.join(', ')})`);
      const removed = await withQueue(opts.queue, (queue) => queue.removeJobScheduler(id));
      if (!removed) throw new CliError(`no schedule "${id}" on ${opts.queue}`, ExitCode.NOT_FOUND);
      ctx.out(`removed schedule "${id}"`);
    });

  return jobs;
}
