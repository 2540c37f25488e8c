import { ImportIssues } from '@recsys/db';
import { importSource } from '../src/import/import-source';
import { movieLens100k } from '../src/sources/movielens-100k';
import { syntheticMarketplace } from '../src/synthetic/marketplace-source';
import { freshBenchDatabase } from './bench-database';
import { peakRssMb, roundTo, type BenchResult } from '@recsys/benchmarking';

/** The synthetic marketplace used by the 10M benchmarks. */
export const SYNTHETIC_10M = { seed: 42, users: 100_000, services: 2_000, interactions: 10_000_000 } as const;

/** Seconds to import MovieLens 100K (943 users, 1,682 services, 100,000 ratings) into an empty database. */
export async function ml100kImportBench(): Promise<BenchResult> {
  const pool = await freshBenchDatabase();
  try {
    const started = performance.now();
    const result = await importSource(pool, movieLens100k());
    return {
      seconds: roundTo((performance.now() - started) / 1000),
      interactions: result.interactions.inserted,
      peakRssMb: peakRssMb(),
    };
  } finally {
    await pool.end();
  }
}

/**
 * The synthetic marketplace at 10M interactions: seconds to generate the row stream alone, then seconds to
 * import it into PostgreSQL (COPY into staging, merge). Leaves the data in `recsys_bench` for
 * `csrFromPostgres10M`.
 */
export async function synthetic10MBench(): Promise<BenchResult> {
  const source = syntheticMarketplace(SYNTHETIC_10M);
  let generated = 0;
  const genStart = performance.now();
  const rows = source.rows(new ImportIssues());
  for (const _ of rows.interactions ?? []) generated++;
  const generationSeconds = (performance.now() - genStart) / 1000;

  const pool = await freshBenchDatabase();
  try {
    const started = performance.now();
    const result = await importSource(pool, source);
    return {
      interactions: generated,
      generationSeconds: roundTo(generationSeconds),
      importSeconds: roundTo((performance.now() - started) / 1000),
      inserted: result.interactions.inserted,
      peakRssMb: peakRssMb(),
    };
  } finally {
    await pool.end();
  }
}
