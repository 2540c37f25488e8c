import { Pool, type PoolConfig } from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

/** The connection string used when DATABASE_URL is not set: the local development database. */
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/recsys';

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL && env.DATABASE_URL.length > 0 ? env.DATABASE_URL : DEFAULT_DATABASE_URL;
}

/** The typed Prisma client over the pg driver adapter (no native query engine). */
export function createPrismaClient(connectionString: string = databaseUrl()): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
}

/**
 * A plain pg pool, for what Prisma cannot do: COPY in and out, and streaming reads of whole tables.
 */
export function createPgPool(
  connectionString: string = databaseUrl(),
  options: PoolConfig = {},
  onIdleError: (error: Error) => void = () => undefined,
): Pool {
  const pool = new Pool({ connectionString, max: 4, ...options });
  // An idle client can die (server restart, database dropped, network); pg then emits 'error' on the
  // pool, which would crash the process without a listener. The pool already discards that client.
  pool.on('error', onIdleError);
  return pool;
}
