import * as tf from '@tensorflow/tfjs';
import { backendArrays } from '../kernels/backend-arrays';

/** Backends whose tensor memory a mask can be written into directly (see kernels/backend-arrays.ts). */
const JS_MEMORY_BACKENDS = new Set(['wasm', 'cpu']);
const TWO_TO_MINUS_32 = 1 / 0x100000000;

/** MurmurHash3's 32-bit finaliser: spreads nearby seeds (step, layer) over the whole state space. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The keep-mask of inverted dropout (Srivastava et al. 2014) for `size` units: 1/(1−rate) with
 * probability 1−rate, else 0, drawn from xorshift32 (Marsaglia 2003) seeded by `seed`. tf.dropout
 * draws each unit through tfjs's JavaScript alea generator, which took 1.2 s of an ML-100K NeuMF epoch
 * on wasm (two masks of 2,048 × 128 and × 64 per step); this takes a few integer operations per unit.
 */
export function dropoutMask(size: number, rate: number, seed: number): Float32Array {
  return fillDropoutMask(new Float32Array(size), rate, seed);
}

function fillDropoutMask(mask: Float32Array, rate: number, seed: number): Float32Array {
  const keep = 1 - rate;
  const scale = 1 / keep;
  // Keep a unit when its 32-bit draw u is below keep · 2³²: ⌊(u − threshold) / 2³²⌋ is −1 then, else 0.
  // The arithmetic form has no branch to mispredict (a compare-and-branch ran 4× slower).
  const threshold = Math.floor(keep * 0x100000000);
  let s = (mix32(seed) || 0x9e3779b9) | 0; // xorshift's state must not be 0
  for (let i = 0; i < mask.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    mask[i] = (0 - Math.floor(((s >>> 0) - threshold) * TWO_TO_MINUS_32)) * scale;
  }
  return mask;
}

/**
 * Inverted dropout with a mask from `dropoutMask`: x ⊙ mask, so the backward pass is dy ⊙ mask. The same
 * seed gives the same mask on every backend; each step and layer should pass its own seed. On wasm and
 * cpu the mask is written straight into the backend's memory (no JavaScript array per step, whose
 * garbage made V8 collect its old space dozens of times an epoch).
 */
export function seededDropout<T extends tf.Tensor>(x: T, rate: number, seed: number): T {
  if (rate <= 0) return x;
  const backend = tf.getBackend();
  let mask: tf.Tensor;
  if (JS_MEMORY_BACKENDS.has(backend)) {
    const out = backendArrays(backend, tf.backend()).allocate(x.shape, 'float32');
    fillDropoutMask(out.values as Float32Array, rate, seed);
    mask = tf.engine().makeTensorFromTensorInfo(out.info);
  } else {
    mask = tf.tensor(dropoutMask(x.size, rate, seed), x.shape, 'float32');
  }
  return tf.mul(x, mask);
}
