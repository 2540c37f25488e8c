import { loadDatasetFromPostgres } from '../src/dataset/load-from-postgres';
import { userItemMatrix } from '../src/matrix/user-item-matrix';
import { syntheticInteractionLog } from '../src/synthetic/synthetic-log';
import { benchDatabase } from './bench-database';
import { SYNTHETIC_10M } from './import.bench';
import { peakRssMb, roundTo, type BenchResult } from '@recsys/benchmarking';

/**
 * The CSR of the 10M-event synthetic marketplace built from memory: the events are generated first
 * (not timed), then `userItemMatrix` builds the binary user × item matrix. Peak RSS covers both.
 */
export function csrFromMemory10MBench(): BenchResult {
  const { log, users, items } = syntheticInteractionLog(SYNTHETIC_10M);
  const before = peakRssMb();
  const started = performance.now();
  const csr = userItemMatrix(log, users.size, items.size, { value: 'binary' });
  return {
    seconds: roundTo((performance.now() - started) / 1000),
    events: log.length,
    nnz: csr.indptr[csr.rows],
    peakRssBeforeBuildMb: before,
    peakRssMb: peakRssMb(),
  };
}

/**
 * The same CSR read from PostgreSQL (run after `synthetic10M` left the data in the bench database):
 * streaming COPY of the interactions into the typed-array log, then the matrix; both timed.
 */
export async function csrFromPostgres10MBench(): Promise<BenchResult> {
  const pool = benchDatabase();
  try {
    const started = performance.now();
    const dataset = await loadDatasetFromPostgres(pool, 'synthetic');
    const loaded = performance.now();
    const csr = userItemMatrix(dataset.log, dataset.users.size, dataset.items.size, { value: 'binary' });
    return {
      seconds: roundTo((performance.now() - started) / 1000),
      loadSeconds: roundTo((loaded - started) / 1000),
      events: dataset.log.length,
      nnz: csr.indptr[csr.rows],
      peakRssMb: peakRssMb(),
    };
  } finally {
    await pool.end();
  }
}
