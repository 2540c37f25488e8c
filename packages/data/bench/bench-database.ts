import { Client } from 'pg';
import { createPgPool, databaseUrl } from '@recsys/db';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';

/** The benchmark database: DATABASE_URL's server, database `recsys_bench`, migrated. */
export const BENCH_DATABASE = 'recsys_bench';

function urlOf(db: string): string {
  const url = new URL(databaseUrl());
  url.pathname = `/${db}`;
  return url.toString();
}

/** Drops and recreates `recsys_bench` with every migration applied, and returns a pool on it. */
export async function freshBenchDatabase(): Promise<Pool> {
  const admin = new Client({ connectionString: urlOf('postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${BENCH_DATABASE}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${BENCH_DATABASE}"`);
  } finally {
    await admin.end();
  }
  const pool = benchDatabase();
  const migrations = path.resolve(__dirname, '..', '..', '..', '..', 'prisma', 'migrations');
  for (const entry of readdirSync(migrations).sort()) {
    const file = path.join(migrations, entry, 'migration.sql');
    if (existsSync(file)) await pool.query(readFileSync(file, 'utf8'));
  }
  return pool;
}

/** A pool on the existing benchmark database. */
export function benchDatabase(): Pool {
  return createPgPool(urlOf(BENCH_DATABASE));
}
