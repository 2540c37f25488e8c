import type { Rng } from '@recsys/data';

/**
 * Weight initialisers drawing from the platform's seeded Rng, so a model's starting point is the same
 * on every backend and machine (tfjs's own initialisers draw on the backend).
 */
export type Initializer =
  /** N(0, std²): the NCF paper's embedding initialisation (std 0.01). */
  | { kind: 'normal'; std: number }
  /** Glorot & Bengio 2010: U(−l, l), l = √(6 / (fanIn + fanOut)) (Keras's dense default). */
  | { kind: 'glorot-uniform' }
  /** LeCun uniform, U(−l, l), l = √(3 / fanIn): He et al. 2017's prediction layer. */
  | { kind: 'lecun-uniform' }
  | { kind: 'zeros' };

/** Values for a [rows, cols] weight (fanIn = rows, fanOut = cols); a 1-D shape has fanIn = its size. */
export function initialValues(init: Initializer, shape: readonly number[], rng: Rng): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const fanIn = shape[0] ?? 1;
  const fanOut = shape.length > 1 ? shape[shape.length - 1] : 1;
  switch (init.kind) {
    case 'zeros':
      return out;
    case 'normal':
      for (let i = 0; i < size; i++) out[i] = rng.normal() * init.std;
      return out;
    case 'glorot-uniform': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) out[i] = rng.uniform(-limit, limit);
      return out;
    }
    case 'lecun-uniform': {
      const limit = Math.sqrt(3 / fanIn);
      for (let i = 0; i < size; i++) out[i] = rng.uniform(-limit, limit);
      return out;
    }
  }
}
