import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_QUEUE_PREFIX, isWorkQueueName, QueueName, type WorkQueueName } from '@recsys/training';

const flag = z
  .enum(['true', 'false', '1', '0'])
  .default('false')
  .transform((v) => v === 'true' || v === '1');

const queueList = z
  .string()
  .default(`${QueueName.TRAINING},${QueueName.EVALUATION},${QueueName.TUNING}`)
  .transform((text, ctx): WorkQueueName[] => {
    const names = [
      ...new Set(
        text
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
      ),
    ];
    const queues: WorkQueueName[] = [];
    for (const name of names) {
      if (isWorkQueueName(name)) queues.push(name);
      else ctx.addIssue({ code: 'custom', message: `unknown queue "${name}"` });
    }
    if (names.length === 0) ctx.addIssue({ code: 'custom', message: 'no queue to consume' });
    return queues;
  });

/** Every setting the worker reads from its environment, validated once at start-up. */
export const EnvSchema = z.object({
  REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6379'),
  DATABASE_URL: z.string().min(1).default('postgresql://postgres@127.0.0.1:5432/recsys'),
  /** The Redis key namespace of the queues; producers (the CLI) must use the same. */
  QUEUE_PREFIX: z.string().min(1).default(DEFAULT_QUEUE_PREFIX),
  /** The queues this node consumes, comma-separated: training, evaluation, tuning, training-gpu. */
  WORKER_QUEUES: queueList,
  /** A node with a GPU: also consumes `training-gpu` (see README, "GPU nodes"). */
  WORKER_GPU: flag,
  /** Jobs one process runs at once, per queue. CPU-bound trials need one process per core instead. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** How results and tracked runs name this worker; `host:pid` when unset. */
  WORKER_ID: z.string().min(1).optional(),
  /**
   * How long a job's lock lasts without renewal; renewed every half of it while the event loop turns.
   * A job whose process dies is taken over once its lock has expired and a stalled check has run.
   */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1000).default(60_000),
  /** How often this worker looks for stalled jobs (locks that expired). */
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(30_000),
  /** Stalls a job survives before it fails for good. */
  WORKER_MAX_STALLED_COUNT: z.coerce.number().int().min(0).default(1),
  /** Temporary artifacts; `<tmp>/recsys-worker` when unset. */
  WORKER_WORK_DIR: z.string().min(1).default(path.join(os.tmpdir(), 'recsys-worker')),
  /** How long a dataset read from PostgreSQL is reused by later jobs (the trials of a search). */
  WORKER_DATASET_CACHE_MS: z.coerce.number().int().min(0).default(300_000),
  /** The shortest gap between two progress updates of one job. */
  WORKER_PROGRESS_INTERVAL_MS: z.coerce.number().int().min(0).default(250),
  /** The TF.js backend deep models run on (node-gpu, webgpu, node, wasm, cpu; default the best present): read by @recsys/deep's backend ladder from the environment. */
  TFJS_BACKEND: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type WorkerEnv = z.output<typeof EnvSchema>;

export class EnvError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid environment: ${issues.join('; ')}`);
    this.name = 'EnvError';
  }
}

/** Parses the environment; throws an EnvError naming every bad variable. Empty variables count as unset. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return parsed.data;
}

/** The queues the node consumes: WORKER_QUEUES, plus `training-gpu` on a GPU node. */
export function consumedQueues(env: Pick<WorkerEnv, 'WORKER_QUEUES' | 'WORKER_GPU'>): WorkQueueName[] {
  const queues = [...env.WORKER_QUEUES];
  if (env.WORKER_GPU && !queues.includes(QueueName.TRAINING_GPU)) queues.push(QueueName.TRAINING_GPU);
  return queues;
}

export function workerIdOf(env: Pick<WorkerEnv, 'WORKER_ID'>): string {
  return env.WORKER_ID ?? `${os.hostname()}:${process.pid}`;
}
