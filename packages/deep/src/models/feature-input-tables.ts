import {
  ContextFeaturePipeline,
  FeatureSchema,
  ServiceFeaturePipeline,
  UserFeaturePipeline,
  ctrSchema,
  type ContextRecord,
  type CtrFeaturePipelines,
  type ServiceRecord,
  type UserRecord,
} from '@recsys/features';
import { ModelError, ModelErrorCode, type Json, type ModelArray } from '@recsys/models';
import { featureLayout, type FeatureLayout, type FeatureRows, type LabelledRows } from './feature-input';

/**
 * What a feature model learned from: `ranking` (implicit positives and sampled negatives, rows user | item)
 * or `ctr` (labelled events, rows user | item | context).
 */
export type FeatureObjective = 'ranking' | 'ctr';

/** The rows of a ranking model: user | item features (a sampled negative has no event, so no context). */
export function rankingSchema(p: Pick<CtrFeaturePipelines, 'user' | 'service'>): FeatureSchema {
  return FeatureSchema.concat('ranking', [
    { name: 'user', schema: p.user.schema },
    { name: 'item', schema: p.service.schema },
  ]);
}

/** Raw records of one row to score: a serving layer's user, service and (for ctr models) request context. */
export interface FeatureRecordRow {
  user: UserRecord;
  service: ServiceRecord;
  /** Ignored by ranking models; absent for a ctr model: the neutral context (see FittedFeatures). */
  context?: ContextRecord;
}

const TABLES = ['table_user_dense', 'table_user_categorical', 'table_item_dense', 'table_item_categorical'];

/**
 * The fitted feature side of a model: its pipelines (saved as their JSON state, so a loaded model
 * transforms raw records itself, unknown categories to OOV), the schema of its rows, and one row per
 * user and per item of the training data, transformed once. A (user, item) row is the user's row then the
 * item's; a ctr model's item rows carry a neutral context after the item's features (dense zeros: the
 * training mean of every z-scored column; device OOV), which is how it scores (user, item) pairs without a
 * request (`score`, `recommend`, the ONNX ranking graph).
 */
export class FittedFeatures {
  readonly layout: FeatureLayout;
  private readonly userDense: number;
  private readonly userFields: number;
  private readonly itemDense: number;
  private readonly itemFields: number;

  private constructor(
    readonly objective: FeatureObjective,
    readonly user: UserFeaturePipeline,
    readonly service: ServiceFeaturePipeline,
    readonly context: ContextFeaturePipeline | null,
    readonly schema: FeatureSchema,
    readonly users: number,
    readonly items: number,
    /** users × userDense, users × userFields, items × (itemDense [+ context]), items × (itemFields [+ context]). */
    readonly tables: {
      userDense: Float32Array;
      userCategorical: Int32Array;
      itemDense: Float32Array;
      itemCategorical: Int32Array;
    },
    /** The training records and pipelines, while the model that fitted them is in memory (for ctrExamples). */
    readonly fitted: CtrFeaturePipelines | null,
  ) {
    this.layout = featureLayout(schema);
    this.userDense = schema.block('user').denseWidth;
    this.userFields = schema.block('user').categoricalCount;
    this.itemDense = schema.denseWidth - this.userDense;
    this.itemFields = schema.categoricalCount - this.userFields;
    const expect = (name: string, a: ArrayLike<number>, n: number) => {
      if (a.length !== n)
        throw new ModelError(
          ModelErrorCode.BAD_ARTIFACT,
          `feature table "${name}" has ${a.length} values, expected ${n}`,
        );
    };
    expect('user dense', tables.userDense, users * this.userDense);
    expect('user categorical', tables.userCategorical, users * this.userFields);
    expect('item dense', tables.itemDense, items * this.itemDense);
    expect('item categorical', tables.itemCategorical, items * this.itemFields);
  }

  /** Transforms every user's and item's training record into the tables. */
  static fit(objective: FeatureObjective, p: CtrFeaturePipelines): FittedFeatures {
    const schema = objective === 'ctr' ? ctrSchema(p) : rankingSchema(p);
    const u = p.user.transformAll(p.users);
    const s = p.service.transformAll(p.services);
    const contextDense = objective === 'ctr' ? p.context.schema.denseWidth : 0;
    const contextFields = objective === 'ctr' ? p.context.schema.categoricalCount : 0;
    const di = s.schema.denseWidth;
    const ci = s.schema.categoricalCount;
    const itemDense = new Float32Array(s.rows * (di + contextDense));
    const itemCategorical = new Int32Array(s.rows * (ci + contextFields));
    for (let i = 0; i < s.rows; i++) {
      itemDense.set(s.dense.subarray(i * di, (i + 1) * di), i * (di + contextDense));
      itemCategorical.set(s.categorical.subarray(i * ci, (i + 1) * ci), i * (ci + contextFields));
    }
    return new FittedFeatures(
      objective,
      p.user,
      p.service,
      objective === 'ctr' ? p.context : null,
      schema,
      u.rows,
      s.rows,
      { userDense: u.dense, userCategorical: u.categorical, itemDense, itemCategorical },
      p,
    );
  }

  /** The rows of pairs (users[k], items[k]), with labels when given. */
  pairRows(users: Int32Array, items: Int32Array, labels: Float32Array): LabelledRows;
  pairRows(users: Int32Array, items: Int32Array): FeatureRows;
  pairRows(users: Int32Array, items: Int32Array, labels?: Float32Array): FeatureRows | LabelledRows {
    const n = users.length;
    const { userDense: du, userFields: cu, itemDense: di, itemFields: ci } = this;
    const d = du + di;
    const c = cu + ci;
    const dense = new Float32Array(n * d);
    const categorical = new Int32Array(n * c);
    const t = this.tables;
    for (let k = 0; k < n; k++) {
      const u = users[k];
      const i = items[k];
      if (du > 0) dense.set(t.userDense.subarray(u * du, (u + 1) * du), k * d);
      if (di > 0) dense.set(t.itemDense.subarray(i * di, (i + 1) * di), k * d + du);
      if (cu > 0) categorical.set(t.userCategorical.subarray(u * cu, (u + 1) * cu), k * c);
      if (ci > 0) categorical.set(t.itemCategorical.subarray(i * ci, (i + 1) * ci), k * c + cu);
    }
    return labels === undefined ? { size: n, dense, categorical } : { size: n, dense, categorical, labels };
  }

  /** Rows of raw records through the saved pipelines (a ctr model without a context gets the neutral one). */
  recordRows(records: readonly FeatureRecordRow[]): FeatureRows {
    const n = records.length;
    const s = this.schema;
    const dense = new Float32Array(n * s.denseWidth);
    const categorical = new Int32Array(n * s.categoricalCount);
    const ub = s.block('user');
    const ib = s.block('item');
    records.forEach((r, k) => {
      const d = k * s.denseWidth;
      const c = k * s.categoricalCount;
      this.user.transform(r.user, dense, d + ub.denseOffset, categorical, c + ub.categoricalOffset);
      this.service.transform(r.service, dense, d + ib.denseOffset, categorical, c + ib.categoricalOffset);
      if (this.context !== null && r.context !== undefined) {
        const cb = s.block('context');
        this.context.transform(r.context, dense, d + cb.denseOffset, categorical, c + cb.categoricalOffset);
      }
    });
    return { size: n, dense, categorical };
  }

  /** The item-side part of each item's row (dense, then categorical embedding fields), for similarity. */
  itemRow(item: number): { dense: Float32Array; categorical: Int32Array } {
    const { itemDense: di, itemFields: ci } = this;
    return {
      dense: this.tables.itemDense.subarray(item * di, (item + 1) * di),
      categorical: this.tables.itemCategorical.subarray(item * ci, (item + 1) * ci),
    };
  }

  /** Index of the first item-side categorical field in a row. */
  get itemFieldOffset(): number {
    return this.userFields;
  }

  /** The saved state: objective, schema and pipelines as JSON (the tables go to `arrays`). */
  toJSON(): Json {
    const state = {
      objective: this.objective,
      users: this.users,
      items: this.items,
      schema: this.schema.toJSON(),
      user: this.user.toJSON(),
      service: this.service.toJSON(),
      context: this.context === null ? null : this.context.toJSON(),
    };
    // Feature states are plain JSON by construction (FeatureSchemaState's interfaces lack index signatures).
    return JSON.parse(JSON.stringify(state)) as Json;
  }

  arrays(): Record<string, ModelArray> {
    const t = this.tables;
    return {
      table_user_dense: t.userDense,
      table_user_categorical: t.userCategorical,
      table_item_dense: t.itemDense,
      table_item_categorical: t.itemCategorical,
    };
  }

  /** Restores from `toJSON` and `arrays`; BAD_ARTIFACT (naming the part) when anything does not fit. */
  static restore(json: unknown, arrays: Record<string, ModelArray>): FittedFeatures {
    const o = json as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null || (o.objective !== 'ranking' && o.objective !== 'ctr'))
      throw new ModelError(ModelErrorCode.BAD_ARTIFACT, 'features: missing or unknown objective');
    for (const name of TABLES) if (!(name in arrays)) badArtifact(`array "${name}" is missing`);
    const floats = (name: string): Float32Array => {
      const a = arrays[name];
      if (!(a instanceof Float32Array)) badArtifact(`array "${name}" is not float32`);
      return a;
    };
    const ints = (name: string): Int32Array => {
      const a = arrays[name];
      if (!(a instanceof Int32Array)) badArtifact(`array "${name}" is not int32`);
      return a;
    };
    try {
      return new FittedFeatures(
        o.objective,
        UserFeaturePipeline.fromJSON(o.user),
        ServiceFeaturePipeline.fromJSON(o.service),
        o.context === null ? null : ContextFeaturePipeline.fromJSON(o.context),
        FeatureSchema.fromJSON(o.schema),
        Number(o.users),
        Number(o.items),
        {
          userDense: floats('table_user_dense'),
          userCategorical: ints('table_user_categorical'),
          itemDense: floats('table_item_dense'),
          itemCategorical: ints('table_item_categorical'),
        },
        null,
      );
    } catch (error) {
      if (error instanceof ModelError) throw error;
      throw new ModelError(ModelErrorCode.BAD_ARTIFACT, `features: ${(error as Error).message}`);
    }
  }
}

function badArtifact(message: string): never {
  throw new ModelError(ModelErrorCode.BAD_ARTIFACT, `features: ${message}`);
}
