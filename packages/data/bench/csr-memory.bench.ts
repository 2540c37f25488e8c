import { buildCsr, nnz } from '../src/matrix/csr';
import { Rng } from '../src/random/rng';
import { peakRssMb, roundTo, type BenchResult } from '@recsys/benchmarking';

export interface CsrMemoryBenchOptions {
  events: number;
  users: number;
  items: number;
  /** Zipf exponent of item popularity: P(item of rank k) ∝ 1 / k^s. */
  zipf: number;
  seed: number;
}

const DEFAULTS: CsrMemoryBenchOptions = {
  events: 10_000_000,
  users: 100_000,
  items: 20_000,
  zipf: 1.0,
  seed: 42,
};

/**
 * Time and peak memory to build the binary user × item CSR of 10M synthetic in-memory events:
 * users uniform, items Zipf-distributed (inverse CDF by binary search), duplicates merged with `max`.
 * `peakRssBeforeBuildMb` is the peak after generating the input, so the build's own share is the difference.
 */
export function csrMemoryBench(options: Partial<CsrMemoryBenchOptions> = {}): BenchResult {
  const o = { ...DEFAULTS, ...options };
  const rng = new Rng(o.seed);
  const cdf = new Float64Array(o.items);
  let total = 0;
  for (let k = 0; k < o.items; k++) cdf[k] = total += 1 / Math.pow(k + 1, o.zipf);
  const users = new Int32Array(o.events);
  const items = new Int32Array(o.events);
  for (let e = 0; e < o.events; e++) {
    users[e] = Math.floor(rng.nextFast() * o.users);
    const x = rng.nextFast() * total;
    let lo = 0;
    let hi = o.items - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    items[e] = lo;
  }
  const rssBefore = peakRssMb();
  const t0 = process.hrtime.bigint();
  const m = buildCsr(o.users, o.items, users, items, undefined, { duplicates: 'max' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    events: o.events,
    users: o.users,
    items: o.items,
    nnz: nnz(m),
    seconds: roundTo(seconds),
    eventsPerSecond: Math.round(o.events / seconds),
    peakRssBeforeBuildMb: rssBefore,
    peakRssMb: peakRssMb(),
  };
}
