import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { importSource, movieLens100k } from '@recsys/data';
import { createTestDatabase, type TestDatabase } from '@recsys/db';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MAIN = path.join(__dirname, '..', '..', 'dist', 'main.js');

export function benchPrefix(label: string): string {
  return `bench-${label}-${randomUUID().slice(0, 8)}`;
}

export function redisConnection(): { host: string; port: number } {
  const url = new URL(REDIS_URL);
  return { host: url.hostname, port: Number(url.port || 6379) };
}

/** A throw-away database with MovieLens 100K imported. */
export async function movieLensDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await importSource(db.pool, movieLens100k());
  return db;
}

/** A worker process (the built `dist/main.js`), resolved once it logs that it started. */
export async function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, LOG_LEVEL: 'info', MLFLOW_TRACKING_URI: '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      if (seen.includes('"worker started"')) return;
      seen += chunk.toString('utf8');
      if (seen.includes('"worker started"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it started`)));
  });
  return child;
}

export async function stopWorkerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
