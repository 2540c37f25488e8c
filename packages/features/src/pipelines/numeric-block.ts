import { FeatureError, FeatureErrorCode } from '../errors';
import { StandardScaler, type StandardScalerState } from '../encoders/standard-scaler';
import { RunningMoments } from '../encoders/running-moments';

/** How one numeric feature is read off a raw record (before standardization). */
export interface NumericSpec<R> {
  name: string;
  /** Add a 0/1 missing column after the value. */
  missingIndicator?: boolean;
  /** The raw value; NaN when unknown (imputed with the training mean, i.e. z = 0). */
  value: (record: R) => number;
}

/**
 * Several numeric features of a record, each z-scored by its own StandardScaler (see there for the formula and
 * the missing-value rule). The specs are code; only the fitted scalers are state, saved by feature name.
 */
export class NumericBlock<R> {
  private constructor(
    private readonly specs: readonly NumericSpec<R>[],
    private readonly scalers: readonly StandardScaler[],
  ) {}

  static fit<R>(specs: readonly NumericSpec<R>[], records: Iterable<R>): NumericBlock<R> {
    const moments = specs.map(() => new RunningMoments());
    for (const r of records) specs.forEach((s, k) => moments[k].push(s.value(r)));
    return new NumericBlock(
      specs,
      specs.map((s, k) => StandardScaler.fromMoments(moments[k], { missingIndicator: s.missingIndicator })),
    );
  }

  get width(): number {
    return this.scalers.reduce((w, s) => w + s.width, 0);
  }

  columnNames(): string[] {
    return this.specs.flatMap((s, k) => this.scalers[k].columnNames(s.name));
  }

  scaler(name: string): StandardScaler {
    const k = this.specs.findIndex((s) => s.name === name);
    if (k < 0) throw new FeatureError(FeatureErrorCode.BAD_OPTION, `no numeric feature "${name}"`);
    return this.scalers[k];
  }

  /** The raw (unscaled) value of feature `name` for a record. */
  raw(name: string, record: R): number {
    const spec = this.specs.find((s) => s.name === name);
    if (!spec) throw new FeatureError(FeatureErrorCode.BAD_OPTION, `no numeric feature "${name}"`);
    return spec.value(record);
  }

  encode(record: R, out: Float32Array, offset: number): void {
    let o = offset;
    for (let k = 0; k < this.specs.length; k++) {
      const scaler = this.scalers[k];
      scaler.encode(this.specs[k].value(record), out, o);
      o += scaler.width;
    }
  }

  toJSON(): { [name: string]: StandardScalerState } {
    return Object.fromEntries(this.specs.map((s, k) => [s.name, this.scalers[k].toJSON()]));
  }

  static fromJSON<R>(specs: readonly NumericSpec<R>[], json: unknown): NumericBlock<R> {
    if (typeof json !== 'object' || json === null)
      throw new FeatureError(FeatureErrorCode.BAD_STATE, 'numeric block: expected an object of scalers');
    const states = json as Record<string, unknown>;
    return new NumericBlock(
      specs,
      specs.map((s) => {
        if (!(s.name in states))
          throw new FeatureError(FeatureErrorCode.BAD_STATE, `numeric block: no scaler for "${s.name}"`);
        return StandardScaler.fromJSON(states[s.name]);
      }),
    );
  }
}
