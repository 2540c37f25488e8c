import type { Pool } from 'pg';
import { createPgPool, databaseUrl } from '@recsys/db';

/**
 * What commands need from the outside world, injected so tests can run the real commands against a
 * throw-away database and read what they print.
 */
export interface CliContext {
  out: (text: string) => void;
  err: (text: string) => void;
  /** The pool of DATABASE_URL, opened on first use and closed by `close`. */
  pool(): Pool;
  close(): Promise<void>;
  stderr: NodeJS.WriteStream;
}

export function createCliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  let pool: Pool | null = null;
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
    pool() {
      pool ??= createPgPool(databaseUrl(env));
      return pool;
    },
    async close() {
      await pool?.end();
      pool = null;
    },
    stderr: process.stderr,
  };
}
