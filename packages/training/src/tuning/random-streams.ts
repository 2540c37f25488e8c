import { Rng } from '@recsys/data';

/** murmur3's 32-bit finaliser: every input bit flips each output bit with probability ≈ ½. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Outputs discarded from a fresh generator: xoroshiro128+'s first outputs are near-linear in its seed. */
const WARM_UP_DRAWS = 4;

/**
 * An independent random stream for (seed, ...path), e.g. (sampler seed, trial number). `Rng.fork` is
 * not used here: it derives child seeds linearly from the stream index, and since a fresh
 * xoroshiro128+ state's first outputs follow its seed closely, sibling forks' first draws move in
 * lock-step (two dimensions sampled from `fork(0)` and `fork(1)` came out perfectly correlated). Hashing
 * the path with fmix32 and skipping the first draws gives streams that look independent.
 */
export function streamRng(seed: number, ...path: number[]): Rng {
  let h = fmix32((seed ^ 0x9e3779b9) >>> 0);
  for (const p of path) h = fmix32((h ^ Math.imul(p + 1, 0x9e3779b9)) >>> 0);
  const rng = new Rng(h | 0);
  for (let i = 0; i < WARM_UP_DRAWS; i++) rng.next();
  return rng;
}
