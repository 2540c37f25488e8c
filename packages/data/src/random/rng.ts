import { xoroshiro128plus, type RandomGenerator } from 'pure-rand';

const TWO_POW_32 = 4294967296;

/** murmur3's 32-bit finaliser: every input bit flips each output bit with probability ≈ ½. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Outputs discarded from a fresh generator: xoroshiro128+'s first outputs are near-linear in its seed. */
const WARM_UP_DRAWS = 4;

/**
 * The platform's seeded random source: pure-rand's xoroshiro128+ behind the few draws that splitters,
 * samplers, the synthetic generator and model initialisation need. The same seed gives the same
 * sequence on every machine and Node version; Math.random is never used where a result must repeat.
 */
export class Rng {
  private readonly gen: RandomGenerator;
  private spareNormal: number | null = null;

  constructor(readonly seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`Rng: seed must be an integer, got ${seed}`);
    // Seeds 1, 2, 3... would otherwise start nearly identical streams (their first draws correlate
    // at r = -1): scramble the seed and skip the first outputs.
    this.gen = xoroshiro128plus(fmix32(seed | 0));
    for (let i = 0; i < WARM_UP_DRAWS; i++) this.gen.unsafeNext();
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  next(): number {
    const hi = (this.gen.unsafeNext() >>> 0) >>> 5; // 27 bits
    const lo = (this.gen.unsafeNext() >>> 0) >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform float in [0, 1) with 32 random bits: half the cost of `next`, for hot loops. */
  nextFast(): number {
    return (this.gen.unsafeNext() >>> 0) / TWO_POW_32;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** A standard normal draw (Marsaglia's polar method). */
  normal(): number {
    if (this.spareNormal !== null) {
      const s = this.spareNormal;
      this.spareNormal = null;
      return s;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * m;
    return u * m;
  }

  /** Shuffles `a` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A new generator whose stream is a deterministic function of this one's seed and `stream`. */
  fork(stream: number): Rng {
    return new Rng(fmix32(fmix32(this.seed ^ 0x9e3779b9) ^ Math.imul(stream + 1, 0x9e3779b9)));
  }
}
