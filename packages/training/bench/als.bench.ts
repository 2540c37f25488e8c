import { peakRssMb, roundTo, type BenchResult } from '@recsys/benchmarking';
import { syntheticInteractionLog, type InteractionDataset } from '@recsys/data';
import { AlsModel } from '@recsys/models';
import { loadDataset } from '../src';

/**
 * Seconds per ALS iteration (both half-steps), from the gaps between the per-iteration progress reports,
 * so set-up (matrix build, worker start) is not counted. Median of the measured iterations.
 */
async function secondsPerIteration(
  dataset: InteractionDataset,
  iterations: number,
): Promise<{ median: number }> {
  const stamps: number[] = [];
  await new AlsModel().fit(
    dataset,
    { factors: 64, iterations },
    { onProgress: (p) => p.epoch !== undefined && stamps.push(performance.now()) },
  );
  const gaps: number[] = [];
  for (let i = 1; i < stamps.length; i++) gaps.push((stamps[i] - stamps[i - 1]) / 1000);
  gaps.sort((a, b) => a - b);
  return { median: gaps[Math.floor(gaps.length / 2)] };
}

/** ALS, 64 factors, on MovieLens 100K: target under 0.2 s per iteration. */
export async function alsMl100kBench(): Promise<BenchResult> {
  const r = await secondsPerIteration(await loadDataset('ml-100k'), 6);
  return { secondsPerIteration: roundTo(r.median), targetSeconds: 0.2, peakRssMb: peakRssMb() };
}

function synthetic(interactions: number, users: number): InteractionDataset {
  const { log, users: u, items } = syntheticInteractionLog({ seed: 7, interactions, users, services: 2_000 });
  return { name: `synthetic-${interactions}`, users: u, items, log };
}

/** ALS, 64 factors, on 1M synthetic marketplace interactions (20,000 users, 2,000 services). */
export async function als1MBench(): Promise<BenchResult> {
  const data = synthetic(1_000_000, 20_000);
  const r = await secondsPerIteration(data, 4);
  return { secondsPerIteration: roundTo(r.median), events: data.log.length, peakRssMb: peakRssMb() };
}

/** ALS, 64 factors, on 10M synthetic marketplace interactions (100,000 users, 2,000 services). */
export async function als10MBench(): Promise<BenchResult> {
  const data = synthetic(10_000_000, 100_000);
  const r = await secondsPerIteration(data, 3);
  return { secondsPerIteration: roundTo(r.median), events: data.log.length, peakRssMb: peakRssMb() };
}
