import { FeatureError, FeatureErrorCode } from '../errors';
import { FEATURE_STATE_VERSION, StateReader } from '../state';
import { checkSpan } from './dense-span';

export type CyclicalEncoderState = {
  kind: 'cyclical-encoder';
  formatVersion: number;
  period: number;
};

/**
 * A periodic quantity (hour of day, weekday, month) as a point on the unit circle, so that 23:00 and 00:00 are
 * as close as 10:00 and 11:00:
 *
 *   (sin(2π·x/P), cos(2π·x/P))
 *
 * e.g. hours (P = 24): 0 → (0, 1), 6 → (1, 0), 12 → (0, −1), 18 → (−1, 0). A missing x (NaN) gives (0, 0), the
 * centre of the circle, equally far from every time. Nothing to fit; the period is the state.
 */
export class CyclicalEncoder {
  constructor(readonly period: number) {
    if (!(Number.isFinite(period) && period > 0))
      throw new FeatureError(FeatureErrorCode.BAD_OPTION, `period must be > 0, got ${period}`);
  }

  readonly width = 2;

  columnNames(name: string): string[] {
    return [`${name}_sin`, `${name}_cos`];
  }

  encode(x: number, out: Float32Array, offset: number): void {
    checkSpan(out, offset, 2, 'CyclicalEncoder');
    if (!Number.isFinite(x)) {
      out[offset] = 0;
      out[offset + 1] = 0;
      return;
    }
    const angle = (2 * Math.PI * x) / this.period;
    out[offset] = Math.sin(angle);
    out[offset + 1] = Math.cos(angle);
  }

  toJSON(): CyclicalEncoderState {
    return { kind: 'cyclical-encoder', formatVersion: FEATURE_STATE_VERSION, period: this.period };
  }

  static fromJSON(json: unknown): CyclicalEncoder {
    return new CyclicalEncoder(StateReader.open(json, 'cyclical-encoder').number('period'));
  }
}
