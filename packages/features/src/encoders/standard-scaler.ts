import { FEATURE_STATE_VERSION, StateReader } from '../state';
import { checkSpan } from './dense-span';
import { RunningMoments } from './running-moments';

export interface ScalerOptions {
  /** Also write a 0/1 column that is 1 when the value is missing (NaN or ±Infinity). Default false. */
  missingIndicator?: boolean;
}

export type StandardScalerState = {
  kind: 'standard-scaler';
  formatVersion: number;
  mean: number;
  std: number;
  count: number;
  missing: number;
  missingIndicator: boolean;
};

/** Below this a fitted standard deviation counts as zero (a constant column), and the divisor is 1. */
const MIN_STD = 1e-12;

/**
 * z-score standardization with statistics fitted on training values:
 *
 *   z(x) = (x − μ) / σ,   μ = mean, σ = population standard deviation sqrt(Σ(x − μ)²/n) (numpy's std, ddof=0)
 *
 * Missing values (NaN, ±Infinity) are ignored by `fit` and imputed with the training mean at transform time,
 * so z = 0, with an optional missing-indicator column next to the value. A constant column (σ < 1e-12) uses
 * σ = 1, so it maps to 0. Without any finite training value μ = 0, σ = 1.
 */
export class StandardScaler {
  private constructor(
    readonly mean: number,
    readonly std: number,
    readonly count: number,
    readonly missing: number,
    readonly missingIndicator: boolean,
  ) {}

  static fit(values: Iterable<number>, options: ScalerOptions = {}): StandardScaler {
    return StandardScaler.fromMoments(new RunningMoments().pushAll(values), options);
  }

  static fromMoments(m: RunningMoments, options: ScalerOptions = {}): StandardScaler {
    return new StandardScaler(
      m.count > 0 ? m.mean : 0,
      m.count > 0 ? m.std : 1,
      m.count,
      m.missing,
      options.missingIndicator ?? false,
    );
  }

  /** Columns written by `encode`: 1, or 2 with the missing indicator. */
  get width(): number {
    return this.missingIndicator ? 2 : 1;
  }

  columnNames(name: string): string[] {
    return this.missingIndicator ? [name, `${name}_missing`] : [name];
  }

  /** z(x); 0 (the training mean) for a missing x. */
  scale(x: number): number {
    if (!Number.isFinite(x)) return 0;
    return (x - this.mean) / (this.std < MIN_STD ? 1 : this.std);
  }

  /** Inverse of `scale` for a present value. */
  unscale(z: number): number {
    return z * (this.std < MIN_STD ? 1 : this.std) + this.mean;
  }

  encode(x: number, out: Float32Array, offset: number): void {
    checkSpan(out, offset, this.width, 'StandardScaler');
    out[offset] = this.scale(x);
    if (this.missingIndicator) out[offset + 1] = Number.isFinite(x) ? 0 : 1;
  }

  toJSON(): StandardScalerState {
    return {
      kind: 'standard-scaler',
      formatVersion: FEATURE_STATE_VERSION,
      mean: this.mean,
      std: this.std,
      count: this.count,
      missing: this.missing,
      missingIndicator: this.missingIndicator,
    };
  }

  static fromJSON(json: unknown): StandardScaler {
    const r = StateReader.open(json, 'standard-scaler');
    return new StandardScaler(
      r.number('mean'),
      r.number('std'),
      r.integer('count'),
      r.integer('missing'),
      r.boolean('missingIndicator'),
    );
  }
}
