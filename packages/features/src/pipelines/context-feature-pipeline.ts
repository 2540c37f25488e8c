import { CategoricalVocabulary, type CategoricalVocabularyOptions } from '../encoders/categorical-vocabulary';
import { CyclicalEncoder } from '../encoders/cyclical-encoder';
import type { ContextRecord } from '../records/event-context';
import {
  recordOptions,
  recordOptionsFromJSON,
  recordOptionsToJSON,
  type RecordOptions,
} from '../records/record-options';
import { FeatureSchemaBuilder, type FeatureMatrix, type FeatureSchema } from '../schema';
import { FEATURE_STATE_VERSION, StateReader, type Json } from '../state';
import { localTime } from './local-time';
import { NumericBlock, type NumericSpec } from './numeric-block';
import { checkRow, transformAll, type RowTransformer } from './row-transformer';

const log1p = (x: number): number => (Number.isFinite(x) ? Math.log1p(Math.max(0, x)) : Number.NaN);

const NUMERIC_SPECS: NumericSpec<ContextRecord>[] = [
  { name: 'log_seconds_since_last', missingIndicator: true, value: (r) => log1p(r.secondsSinceLast) },
  { name: 'log_session_events', value: (r) => log1p(r.sessionEvents) },
  { name: 'log_session_seconds', value: (r) => log1p(r.sessionSeconds) },
];

const HOUR = new CyclicalEncoder(24);
const WEEKDAY = new CyclicalEncoder(7);
const MONTH = new CyclicalEncoder(12);

export interface ContextFeaturePipelineOptions {
  /** Saved with the pipeline (its sessionGapSeconds defines the session features). */
  recordOptions?: Partial<RecordOptions>;
  devices?: CategoricalVocabularyOptions;
}

/**
 * Request/event context features. Dense: local hour of day (fractional), weekday (0 = Sunday) and month
 * (0 = January) each as (sin, cos) of 2π·x/period (CyclicalEncoder, periods 24, 7, 12), then z-scored
 * log1p(seconds since the user's last activity) with `_missing` (a first event), log1p(events earlier in the
 * session) and log1p(seconds since the session began). Categorical: device (0 = OOV/missing).
 */
export class ContextFeaturePipeline implements RowTransformer<ContextRecord> {
  readonly schema: FeatureSchema;
  private readonly numericOffset: number;

  private constructor(
    readonly recordOptions: RecordOptions,
    private readonly numeric: NumericBlock<ContextRecord>,
    readonly devices: CategoricalVocabulary,
  ) {
    const b = new FeatureSchemaBuilder();
    b.addDense([
      ...HOUR.columnNames('hour'),
      ...WEEKDAY.columnNames('weekday'),
      ...MONTH.columnNames('month'),
    ]);
    this.numericOffset = b.addDense(numeric.columnNames());
    b.addCategorical('device', devices.cardinality);
    this.schema = b.build('context');
  }

  /** Fits on training contexts in one pass (a generator over a large log is fine). */
  static fit(
    records: Iterable<ContextRecord>,
    options: ContextFeaturePipelineOptions = {},
  ): ContextFeaturePipeline {
    const deviceCounts = new Map<string, number>();
    function* counting(): Generator<ContextRecord> {
      for (const r of records) {
        if (r.device != null && r.device !== '')
          deviceCounts.set(r.device, (deviceCounts.get(r.device) ?? 0) + 1);
        yield r;
      }
    }
    const numeric = NumericBlock.fit(NUMERIC_SPECS, counting());
    return new ContextFeaturePipeline(
      recordOptions(options.recordOptions),
      numeric,
      CategoricalVocabulary.fromCounts(deviceCounts, options.devices),
    );
  }

  scaler(name: string) {
    return this.numeric.scaler(name);
  }

  transform(
    r: ContextRecord,
    dense: Float32Array,
    denseOffset: number,
    categorical: Int32Array,
    categoricalOffset: number,
  ): void {
    checkRow(this.schema, dense, denseOffset, categorical, categoricalOffset);
    const t = localTime(r.timestampSeconds, r.utcOffsetHours ?? 0);
    HOUR.encode(t.hour, dense, denseOffset);
    WEEKDAY.encode(t.weekday, dense, denseOffset + 2);
    MONTH.encode(t.month, dense, denseOffset + 4);
    this.numeric.encode(r, dense, denseOffset + this.numericOffset);
    categorical[categoricalOffset] = this.devices.indexOf(r.device);
  }

  transformAll(records: readonly ContextRecord[]): FeatureMatrix {
    return transformAll(this, records);
  }

  toJSON(): { [key: string]: Json } {
    return {
      kind: 'context-feature-pipeline',
      formatVersion: FEATURE_STATE_VERSION,
      recordOptions: recordOptionsToJSON(this.recordOptions),
      numeric: this.numeric.toJSON(),
      devices: this.devices.toJSON(),
    };
  }

  static fromJSON(json: unknown): ContextFeaturePipeline {
    const r = StateReader.open(json, 'context-feature-pipeline');
    return new ContextFeaturePipeline(
      recordOptionsFromJSON(r.child('recordOptions')),
      NumericBlock.fromJSON(NUMERIC_SPECS, r.child('numeric')),
      CategoricalVocabulary.fromJSON(r.child('devices')),
    );
  }
}
