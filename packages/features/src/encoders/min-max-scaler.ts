import { FEATURE_STATE_VERSION, StateReader } from '../state';
import { checkSpan } from './dense-span';
import { RunningMoments } from './running-moments';
import type { ScalerOptions } from './standard-scaler';

export interface MinMaxScalerOptions extends ScalerOptions {
  /** Clip serving values outside the training range into [0, 1]. Default true. */
  clip?: boolean;
}

export type MinMaxScalerState = {
  kind: 'min-max-scaler';
  formatVersion: number;
  min: number;
  max: number;
  mean: number;
  count: number;
  clip: boolean;
  missingIndicator: boolean;
};

/**
 * Min-max scaling with the training range:
 *
 *   s(x) = (x − min) / (max − min), clipped to [0, 1] unless `clip: false`
 *
 * A missing value (NaN, ±Infinity) is imputed with the training mean, s(mean), plus an optional
 * missing-indicator column. A constant column (max = min) maps to 0; no finite training value gives min = 0,
 * max = 1, mean = 0.
 */
export class MinMaxScaler {
  private constructor(
    readonly min: number,
    readonly max: number,
    readonly mean: number,
    readonly count: number,
    readonly clip: boolean,
    readonly missingIndicator: boolean,
  ) {}

  static fit(values: Iterable<number>, options: MinMaxScalerOptions = {}): MinMaxScaler {
    const m = new RunningMoments().pushAll(values);
    const any = m.count > 0;
    return new MinMaxScaler(
      any ? m.min : 0,
      any ? m.max : 1,
      any ? m.mean : 0,
      m.count,
      options.clip ?? true,
      options.missingIndicator ?? false,
    );
  }

  get width(): number {
    return this.missingIndicator ? 2 : 1;
  }

  columnNames(name: string): string[] {
    return this.missingIndicator ? [name, `${name}_missing`] : [name];
  }

  scale(x: number): number {
    const v = Number.isFinite(x) ? x : this.mean;
    const range = this.max - this.min;
    if (!(range > 0)) return 0;
    const s = (v - this.min) / range;
    return this.clip ? Math.min(1, Math.max(0, s)) : s;
  }

  encode(x: number, out: Float32Array, offset: number): void {
    checkSpan(out, offset, this.width, 'MinMaxScaler');
    out[offset] = this.scale(x);
    if (this.missingIndicator) out[offset + 1] = Number.isFinite(x) ? 0 : 1;
  }

  toJSON(): MinMaxScalerState {
    return {
      kind: 'min-max-scaler',
      formatVersion: FEATURE_STATE_VERSION,
      min: this.min,
      max: this.max,
      mean: this.mean,
      count: this.count,
      clip: this.clip,
      missingIndicator: this.missingIndicator,
    };
  }

  static fromJSON(json: unknown): MinMaxScaler {
    const r = StateReader.open(json, 'min-max-scaler');
    return new MinMaxScaler(
      r.number('min'),
      r.number('max'),
      r.number('mean'),
      r.integer('count'),
      r.boolean('clip'),
      r.boolean('missingIndicator'),
    );
  }
}
