import { importSource, movieLens100k } from '@recsys/data';
import { createTestDatabase, type TestDatabase } from '@recsys/db';

declare global {
  var workerTestDatabase: TestDatabase | undefined;
}

/** Creates the suites' database (migrated, MovieLens 100K imported) and hands its URL to them. */
export default async function globalSetup(): Promise<void> {
  const db = await createTestDatabase();
  try {
    await importSource(db.pool, movieLens100k());
  } catch (error) {
    await db.drop();
    throw error;
  }
  globalThis.workerTestDatabase = db;
  process.env.WORKER_TEST_DATABASE_URL = db.url;
}
