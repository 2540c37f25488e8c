import { FeatureError, FeatureErrorCode } from './errors';
import { FEATURE_STATE_VERSION, StateReader } from './state';
import { OOV_INDEX } from './encoders/categorical-vocabulary';

/** One categorical column of the Int32Array block: an embedding table with `cardinality` rows. */
export interface CategoricalField {
  name: string;
  /** Valid indexes are 0..cardinality-1; `oovIndex` (0) holds unknown and missing values. */
  cardinality: number;
  oovIndex: number;
}

/** Where one part of a concatenated schema lies (see FeatureSchema.concat). */
export interface SchemaBlock {
  name: string;
  denseOffset: number;
  denseWidth: number;
  categoricalOffset: number;
  categoricalCount: number;
}

export type FeatureSchemaState = {
  kind: 'feature-schema';
  formatVersion: number;
  name: string;
  dense: string[];
  categorical: CategoricalField[];
  blocks: SchemaBlock[];
};

/**
 * The output layout of a feature pipeline, for the models that consume it: a row is a dense block of
 * `denseWidth` floats (column j named `denseNames[j]`) and a categorical block of `categoricalCount` indexes
 * (column k an index into an embedding table of `categorical[k].cardinality` rows, 0 = out of vocabulary).
 * Row r of a FeatureMatrix lies at dense[r·denseWidth ..) and categorical[r·categoricalCount ..).
 */
export class FeatureSchema {
  private readonly denseIndex: Map<string, number>;
  private readonly categoricalPosition: Map<string, number>;

  constructor(
    readonly name: string,
    readonly denseNames: readonly string[],
    readonly categorical: readonly CategoricalField[],
    readonly blocks: readonly SchemaBlock[] = [],
  ) {
    this.denseIndex = new Map(denseNames.map((n, i) => [n, i]));
    this.categoricalPosition = new Map(categorical.map((f, i) => [f.name, i]));
    if (this.denseIndex.size !== denseNames.length)
      throw new FeatureError(FeatureErrorCode.BAD_OPTION, `schema ${name}: duplicate dense column names`);
    if (this.categoricalPosition.size !== categorical.length)
      throw new FeatureError(
        FeatureErrorCode.BAD_OPTION,
        `schema ${name}: duplicate categorical field names`,
      );
  }

  get denseWidth(): number {
    return this.denseNames.length;
  }

  get categoricalCount(): number {
    return this.categorical.length;
  }

  /** Column of a dense feature; throws FEATURE_BAD_OPTION for an unknown name. */
  denseOffset(name: string): number {
    const i = this.denseIndex.get(name);
    if (i === undefined)
      throw new FeatureError(FeatureErrorCode.BAD_OPTION, `schema ${this.name}: no dense column "${name}"`);
    return i;
  }

  hasDense(name: string): boolean {
    return this.denseIndex.has(name);
  }

  /** Position of a categorical field in the Int32Array block; throws FEATURE_BAD_OPTION for an unknown name. */
  categoricalIndex(name: string): number {
    const i = this.categoricalPosition.get(name);
    if (i === undefined)
      throw new FeatureError(
        FeatureErrorCode.BAD_OPTION,
        `schema ${this.name}: no categorical field "${name}"`,
      );
    return i;
  }

  field(name: string): CategoricalField {
    return this.categorical[this.categoricalIndex(name)];
  }

  /** Columns of the dense names starting with `prefix` (a multi-hot group such as `category=`), in order. */
  denseRange(prefix: string): { offset: number; width: number } {
    let offset = -1;
    let width = 0;
    this.denseNames.forEach((n, i) => {
      if (n.startsWith(prefix)) {
        if (offset < 0) offset = i;
        width++;
      }
    });
    return { offset: Math.max(0, offset), width };
  }

  /**
   * Schemas side by side (user | item | context): names become `<block>.<name>`, and `blocks` records where
   * each part starts, so a model can slice one part back out of a concatenated row.
   */
  static concat(name: string, parts: readonly { name: string; schema: FeatureSchema }[]): FeatureSchema {
    const dense: string[] = [];
    const categorical: CategoricalField[] = [];
    const blocks: SchemaBlock[] = [];
    for (const part of parts) {
      blocks.push({
        name: part.name,
        denseOffset: dense.length,
        denseWidth: part.schema.denseWidth,
        categoricalOffset: categorical.length,
        categoricalCount: part.schema.categoricalCount,
      });
      for (const n of part.schema.denseNames) dense.push(`${part.name}.${n}`);
      for (const f of part.schema.categorical) categorical.push({ ...f, name: `${part.name}.${f.name}` });
    }
    return new FeatureSchema(name, dense, categorical, blocks);
  }

  block(name: string): SchemaBlock {
    const b = this.blocks.find((x) => x.name === name);
    if (!b) throw new FeatureError(FeatureErrorCode.BAD_OPTION, `schema ${this.name}: no block "${name}"`);
    return b;
  }

  toJSON(): FeatureSchemaState {
    return {
      kind: 'feature-schema',
      formatVersion: FEATURE_STATE_VERSION,
      name: this.name,
      dense: this.denseNames.slice(),
      categorical: this.categorical.map((f) => ({ ...f })),
      blocks: this.blocks.map((b) => ({ ...b })),
    };
  }

  static fromJSON(json: unknown): FeatureSchema {
    const r = StateReader.open(json, 'feature-schema');
    const o = json as { categorical?: unknown; blocks?: unknown };
    const categorical = arrayOf(o.categorical, 'categorical').map((f): CategoricalField => {
      const x = f as Partial<CategoricalField>;
      if (
        typeof x.name !== 'string' ||
        !Number.isSafeInteger(x.cardinality) ||
        !Number.isSafeInteger(x.oovIndex)
      )
        throw new FeatureError(FeatureErrorCode.BAD_STATE, 'feature-schema: bad categorical field');
      return { name: x.name, cardinality: x.cardinality as number, oovIndex: x.oovIndex as number };
    });
    const blocks = arrayOf(o.blocks, 'blocks').map((b): SchemaBlock => {
      const x = b as Partial<SchemaBlock>;
      const ints = [x.denseOffset, x.denseWidth, x.categoricalOffset, x.categoricalCount];
      if (typeof x.name !== 'string' || !ints.every((v) => Number.isSafeInteger(v)))
        throw new FeatureError(FeatureErrorCode.BAD_STATE, 'feature-schema: bad block');
      return b as SchemaBlock;
    });
    return new FeatureSchema(r.string('name'), r.strings('dense'), categorical, blocks);
  }
}

function arrayOf(v: unknown, field: string): object[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'object' && x !== null))
    throw new FeatureError(
      FeatureErrorCode.BAD_STATE,
      `feature-schema.${field}: expected an array of objects`,
    );
  return v as object[];
}

/** Collects a pipeline's columns in output order. */
export class FeatureSchemaBuilder {
  private readonly dense: string[] = [];
  private readonly categorical: CategoricalField[] = [];

  /** Appends dense columns; returns the offset of the first. */
  addDense(names: readonly string[]): number {
    const offset = this.dense.length;
    this.dense.push(...names);
    return offset;
  }

  /** Appends a categorical field; returns its position in the categorical block. */
  addCategorical(name: string, cardinality: number): number {
    this.categorical.push({ name, cardinality, oovIndex: OOV_INDEX });
    return this.categorical.length - 1;
  }

  build(name: string): FeatureSchema {
    return new FeatureSchema(name, this.dense, this.categorical);
  }
}

/** Rows of features in the schema's layout. */
export interface FeatureMatrix {
  schema: FeatureSchema;
  rows: number;
  /** rows × schema.denseWidth, row-major. */
  dense: Float32Array;
  /** rows × schema.categoricalCount, row-major. */
  categorical: Int32Array;
}
