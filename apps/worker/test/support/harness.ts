import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue, QueueEvents, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createPrismaClient, type PrismaClient } from '@recsys/db';
import { createArtifactStore, ModelRegistry } from '@recsys/registry';
import { DEFAULT_JOB_OPTIONS, QueueName, type WorkQueueName } from '@recsys/training';
import { loadEnv } from '../../src/env';
import { startWorker, type WorkerRuntime } from '../../src/runtime';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MAIN = path.join(__dirname, '..', '..', 'dist', 'main.js');

export function testDatabaseUrl(): string {
  const url = process.env.WORKER_TEST_DATABASE_URL;
  if (!url) throw new Error('WORKER_TEST_DATABASE_URL is unset: run the suites through jest (global setup)');
  return url;
}

/**
 * One suite's world: its own queue prefix (so suites and tests never see each other's jobs), its own
 * artifact folder, the shared database, and clients to inspect what the workers did.
 */
export class Harness {
  readonly prefix = `test-${randomUUID().slice(0, 8)}`;
  readonly redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  readonly prisma: PrismaClient;
  readonly registry: ModelRegistry;
  private readonly queues = new Map<string, Queue>();
  private readonly events = new Map<string, QueueEvents>();
  private readonly runtimes: WorkerRuntime[] = [];
  private readonly children: ChildProcess[] = [];

  private constructor(readonly workDir: string) {
    this.prisma = createPrismaClient(testDatabaseUrl());
    this.registry = new ModelRegistry({ prisma: this.prisma, store: createArtifactStore(this.env()) });
  }

  static async create(): Promise<Harness> {
    return new Harness(await mkdtemp(path.join(os.tmpdir(), 'recsys-worker-test-')));
  }

  /** The environment of this suite's workers (in-process or child processes). */
  env(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL,
      QUEUE_PREFIX: this.prefix,
      RECSYS_ARTIFACTS: path.join(this.workDir, 'artifacts'),
      WORKER_WORK_DIR: path.join(this.workDir, 'work'),
      WORKER_PROGRESS_INTERVAL_MS: '0',
      MLFLOW_TRACKING_URI: '',
      LOG_LEVEL: 'warn',
      ...overrides,
    };
  }

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async queueEvents(name: WorkQueueName): Promise<QueueEvents> {
    let events = this.events.get(name);
    if (!events) {
      const url = new URL(REDIS_URL);
      events = new QueueEvents(name, {
        connection: { host: url.hostname, port: Number(url.port || 6379) },
        prefix: this.prefix,
      });
      this.events.set(name, events);
      await events.waitUntilReady();
    }
    return events;
  }

  /** Adds a job with the contract's options (overridable: short back-offs in tests). */
  async add(queue: WorkQueueName, name: string, data: unknown, options: JobsOptions = {}): Promise<Job> {
    await this.queueEvents(queue);
    return this.queue(queue).add(name, data, { ...DEFAULT_JOB_OPTIONS, ...options });
  }

  async waitFor(job: Job, queue: WorkQueueName, timeoutMs = 90_000): Promise<unknown> {
    return job.waitUntilFinished(await this.queueEvents(queue), timeoutMs);
  }

  /** A worker in this process (the suite's prefix and artifact folder). */
  async startWorker(overrides: Record<string, string> = {}): Promise<WorkerRuntime> {
    const env = this.env(overrides);
    const runtime = await startWorker(loadEnv(env), pino({ level: env.LOG_LEVEL ?? 'warn' }), env);
    this.runtimes.push(runtime);
    return runtime;
  }

  /** A worker process running the built worker (`node dist/main.js`); its output is kept in `output`. */
  spawnWorker(overrides: Record<string, string> = {}): { child: ChildProcess; output: string[] } {
    const child = spawn(process.execPath, [MAIN], {
      env: this.env(overrides),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    this.children.push(child);
    return { child, output };
  }

  deadLetters(): Promise<Job[]> {
    return this.queue(QueueName.DEAD_LETTER).getJobs(['waiting']);
  }

  async close(): Promise<void> {
    for (const child of this.children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.allSettled(this.runtimes.map((r) => r.close(true)));
    await Promise.allSettled([...this.events.values()].map((e) => e.close()));
    for (const queue of this.queues.values()) {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await this.redis.quit();
    await this.prisma.$disconnect();
    await rm(this.workDir, { recursive: true, force: true });
  }
}

/** Resolves when `child` exits (with its code or signal). */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Polls `check` until it returns a value other than undefined. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
