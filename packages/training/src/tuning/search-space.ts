import type { Rng } from '@recsys/data';
import { TuningError, TuningErrorCode } from './errors';

/** A value a categorical dimension may take: JSON scalars only, so configurations stay serialisable. */
export type CategoricalChoice = string | number | boolean;

/** x with log x uniform on [log low, log high]: scale-free parameters (learning rates, penalties). */
export interface LogUniformDimension {
  type: 'loguniform';
  low: number;
  high: number;
}

/** x uniform on [low, high]. */
export interface UniformDimension {
  type: 'uniform';
  low: number;
  high: number;
}

/**
 * An integer in [low, high], both inclusive. `log: true` spreads draws evenly over log x (factors,
 * neighbour counts), as Optuna's IntDistribution(log=True): x = round(exp(u)), u uniform on
 * [log(low − ½), log(high + ½)].
 */
export interface IntDimension {
  type: 'int';
  low: number;
  high: number;
  log?: boolean;
}

/** One of `choices`, each equally likely a priori. */
export interface CategoricalDimension {
  type: 'categorical';
  choices: readonly CategoricalChoice[];
}

export type Dimension = LogUniformDimension | UniformDimension | IntDimension | CategoricalDimension;
export type NumericDimension = LogUniformDimension | UniformDimension | IntDimension;

/** Parameter name → dimension. Names must be keys of the model's params schema. */
export type SearchSpace = Readonly<Record<string, Dimension>>;

/** One configuration: parameter name → value. Plain JSON, ready for `createModel(name).parseParams`. */
export type TrialParams = Record<string, CategoricalChoice>;

function invalid(name: string, problem: string): TuningError {
  return new TuningError(TuningErrorCode.INVALID_SEARCH_SPACE, `search space: "${name}" ${problem}`);
}

/** Throws INVALID_SEARCH_SPACE naming the parameter when `dim` is not a well-formed dimension. */
export function validateDimension(name: string, dim: Dimension): void {
  switch (dim.type) {
    case 'loguniform':
    case 'uniform':
    case 'int': {
      if (!Number.isFinite(dim.low) || !Number.isFinite(dim.high)) {
        throw invalid(name, `needs finite bounds, got [${dim.low}, ${dim.high}]`);
      }
      if (!(dim.low < dim.high))
        throw invalid(name, `needs low < high, got low ${dim.low}, high ${dim.high}`);
      if (dim.type === 'int' && (!Number.isInteger(dim.low) || !Number.isInteger(dim.high))) {
        throw invalid(name, `is an int dimension with non-integer bounds [${dim.low}, ${dim.high}]`);
      }
      if (isLogScale(dim) && dim.low <= 0) {
        throw invalid(name, `is on a log scale, so low must be > 0, got ${dim.low}`);
      }
      return;
    }
    case 'categorical': {
      if (!Array.isArray(dim.choices) || dim.choices.length === 0) throw invalid(name, 'has no choices');
      const seen = new Set<CategoricalChoice>();
      for (const c of dim.choices) {
        const kind = typeof c;
        if (kind !== 'string' && kind !== 'number' && kind !== 'boolean') {
          throw invalid(name, `has a choice of type ${kind}; choices are strings, numbers or booleans`);
        }
        if (kind === 'number' && !Number.isFinite(c)) throw invalid(name, `has a non-finite choice ${c}`);
        if (seen.has(c)) throw invalid(name, `lists the choice ${JSON.stringify(c)} twice`);
        seen.add(c);
      }
      return;
    }
    default: {
      const unknown: { type?: unknown } = dim;
      throw invalid(name, `has unknown type ${JSON.stringify(unknown.type)}`);
    }
  }
}

/** Throws INVALID_SEARCH_SPACE when the space is empty or any dimension is malformed. */
export function validateSearchSpace(space: SearchSpace): void {
  const names = Object.keys(space);
  if (names.length === 0) {
    throw new TuningError(TuningErrorCode.INVALID_SEARCH_SPACE, 'search space: no dimensions');
  }
  for (const name of names) validateDimension(name, space[name]);
}

export function isLogScale(dim: NumericDimension): boolean {
  return dim.type === 'loguniform' || (dim.type === 'int' && dim.log === true);
}

/** Whether `value` is a point of `dim` (in range, integral for int, one of the choices). */
export function containsValue(dim: Dimension, value: unknown): value is CategoricalChoice {
  if (dim.type === 'categorical') return dim.choices.some((c) => c === value);
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (dim.type === 'int' && !Number.isInteger(value)) return false;
  return value >= dim.low && value <= dim.high;
}

/**
 * The continuous interval a numeric dimension is searched in (the samplers' "internal" space):
 * [low, high] for floats, [low − ½, high + ½] for ints (each integer owns a unit cell, as Optuna's
 * TPE), and the natural log of those bounds on a log scale.
 */
export function internalBounds(dim: NumericDimension): { low: number; high: number } {
  const pad = dim.type === 'int' ? 0.5 : 0;
  const low = dim.low - pad;
  const high = dim.high + pad;
  return isLogScale(dim) ? { low: Math.log(low), high: Math.log(high) } : { low, high };
}

/** A value of `dim` in internal coordinates (log for log scales). */
export function toInternal(dim: NumericDimension, value: number): number {
  return isLogScale(dim) ? Math.log(value) : value;
}

/** The value of `dim` at internal coordinate `u`: exp on log scales, rounded for ints, clipped to [low, high]. */
export function fromInternal(dim: NumericDimension, u: number): number {
  let x = isLogScale(dim) ? Math.exp(u) : u;
  if (dim.type === 'int') x = Math.round(x);
  return Math.min(dim.high, Math.max(dim.low, x));
}

/**
 * The internal interval of the cell an int value owns, [v − ½, v + ½] (logged on a log scale); for a
 * float dimension, null (scored by density, not mass).
 */
export function internalCell(dim: NumericDimension, value: number): { low: number; high: number } | null {
  if (dim.type !== 'int') return null;
  return isLogScale(dim)
    ? { low: Math.log(value - 0.5), high: Math.log(value + 0.5) }
    : { low: value - 0.5, high: value + 0.5 };
}

/** One prior draw of `dim`: the distribution its type names. */
export function sampleDimension(dim: Dimension, rng: Rng): CategoricalChoice {
  switch (dim.type) {
    case 'categorical':
      return dim.choices[rng.int(dim.choices.length)];
    case 'int':
      if (dim.log !== true) return dim.low + rng.int(dim.high - dim.low + 1);
      break;
    case 'loguniform':
    case 'uniform':
      break;
  }
  const { low, high } = internalBounds(dim);
  return fromInternal(dim, rng.uniform(low, high));
}

/** One configuration drawn from the prior of every dimension, in the space's key order, from one stream. */
export function sampleSearchSpace(space: SearchSpace, rng: Rng): TrialParams {
  const params: TrialParams = {};
  for (const name of Object.keys(space)) params[name] = sampleDimension(space[name], rng);
  return params;
}
