import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Client, type Pool } from 'pg';
import { createPgPool, databaseUrl } from '../connection';

export interface TestDatabase {
  /** Connection string of the new database. */
  url: string;
  pool: Pool;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

function findMigrationsDir(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'prisma', 'migrations');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`prisma/migrations not found above ${__dirname}`);
    dir = parent;
  }
}

/**
 * A throw-away PostgreSQL database for a test suite, on the server of DATABASE_URL, with every migration
 * of prisma/migrations applied in order: the same SQL `prisma migrate deploy` runs, without its 10 s exit.
 */
export async function createTestDatabase(baseUrl: string = databaseUrl()): Promise<TestDatabase> {
  const name = `recsys_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new URL(baseUrl);
  admin.pathname = '/postgres';
  const adminClient = new Client({ connectionString: admin.toString() });
  await adminClient.connect();
  try {
    await adminClient.query(`CREATE DATABASE "${name}"`);
  } finally {
    await adminClient.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const pool = createPgPool(url.toString());
  const migrations = findMigrationsDir();
  for (const entry of readdirSync(migrations).sort()) {
    const file = path.join(migrations, entry, 'migration.sql');
    if (existsSync(file)) await pool.query(readFileSync(file, 'utf8'));
  }
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      const c = new Client({ connectionString: admin.toString() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
