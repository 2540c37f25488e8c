import type { FeatureInputOptions, FeatureLayout } from '../models/feature-input';
import { OnnxDataType } from './onnx-schema';
import { intAttr, tensorInfo, type OnnxGraphBuilder } from './onnx-graph';
import type { OnnxValueInfo } from './onnx-schema';

/**
 * Where a graph's feature rows come from:
 * - `ranking`: inputs `user` and `item` int64[N]; each user's and item's feature row is baked into the
 *   graph as initializer tables and gathered (what OnnxScorer feeds, as for NeuMF);
 * - `rows`: inputs `dense` float[N, D] and `categorical` int64[N, C], rows in the model's FeatureSchema
 *   layout (field-local indexes, 0 = OOV): a CTR request with its own context.
 */
export type FeatureGraphSource =
  | {
      kind: 'ranking';
      users: number;
      items: number;
      /** users × userDense … items × itemFields, as FittedFeatures holds them. */
      userDense: Float32Array;
      userCategorical: Int32Array;
      itemDense: Float32Array;
      itemCategorical: Int32Array;
      userDenseWidth: number;
      userFields: number;
    }
  | { kind: 'rows' };

/** The input layer's sizes and weights, as FeatureInput holds them. */
export interface FeatureInputSpec {
  layout: FeatureLayout;
  options: FeatureInputOptions;
  offsets: Int32Array;
  tableRows: number;
}

/**
 * The ONNX side of FeatureInput: builds a graph's dense [N, D] and categorical [N, C] rows from its
 * source, and on demand the same tensors FeatureInput computes in TensorFlow.js from the same weight
 * names (joint-table embeddings, FM field embeddings, the flat MLP input, the first-order logit).
 */
export class FeatureInputGraph {
  /** [N, D] float. */
  readonly dense: string;
  /** [N, C] int64, field-local indexes. */
  readonly local: string;
  /** [N, C] int64, indexes into the joint tables. */
  readonly index: string;
  readonly inputs: OnnxValueInfo[];
  private embedded: string | null = null;
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly g: OnnxGraphBuilder,
    readonly spec: FeatureInputSpec,
    private readonly weights: Record<string, Float32Array>,
    source: FeatureGraphSource,
  ) {
    const { denseWidth, cardinalities } = spec.layout;
    const fields = cardinalities.length;
    if (source.kind === 'rows') {
      this.inputs = [
        tensorInfo('dense', OnnxDataType.FLOAT, ['N', denseWidth]),
        tensorInfo('categorical', OnnxDataType.INT64, ['N', fields]),
      ];
      this.dense = 'dense';
      this.local = 'categorical';
    } else {
      this.inputs = [
        tensorInfo('user', OnnxDataType.INT64, ['N']),
        tensorInfo('item', OnnxDataType.INT64, ['N']),
      ];
      const axis0 = [intAttr('axis', 0)];
      const axis1 = [intAttr('axis', 1)];
      const du = source.userDenseWidth;
      const cu = source.userFields;
      const di = denseWidth - du;
      const ci = fields - cu;
      const parts = (userTable: string | null, itemTable: string | null, out: string): string => {
        const got: string[] = [];
        if (userTable !== null) got.push(g.op('Gather', [userTable, 'user'], `${out}_user`, axis0));
        if (itemTable !== null) got.push(g.op('Gather', [itemTable, 'item'], `${out}_item`, axis0));
        if (got.length === 0) g.fail(`no ${out} features`);
        return got.length === 1 ? g.op('Identity', [got[0]], out) : g.op('Concat', got, out, axis1);
      };
      this.dense = parts(
        du > 0 ? g.float('user_dense_table', [source.users, du], source.userDense) : null,
        di > 0 ? g.float('item_dense_table', [source.items, di], source.itemDense) : null,
        'rows_dense',
      );
      this.local = parts(
        cu > 0 ? g.int64('user_categorical_table', [source.users, cu], source.userCategorical) : null,
        ci > 0 ? g.int64('item_categorical_table', [source.items, ci], source.itemCategorical) : null,
        'rows_categorical',
      );
    }
    const offsets = g.int64('field_offsets', [fields], spec.offsets);
    this.index = g.op('Add', [this.local, offsets], 'joint_index');
  }

  private get fields(): number {
    return this.spec.layout.cardinalities.length;
  }

  /** The categorical embeddings [N, C, k] (Gather on the joint table; built once). */
  embeddings(): string {
    if (this.embedded === null) {
      const table = this.g.weight(this.weights, 'feature_embedding', [
        this.spec.tableRows,
        this.spec.options.embeddingDim,
      ]);
      this.embedded = this.g.op('Gather', [table, this.index], 'embeddings', [intAttr('axis', 0)]);
    }
    return this.embedded;
  }

  /**
   * Σ_f e_f and Σ_f e_f² over every FM field, [N, k] each (FeatureInput.fieldMoments): ReduceSum of the
   * categorical embeddings and their squares, plus dense·V and dense²·V².
   */
  fieldMoments(): { sum: string; squares: string } {
    const g = this.g;
    const d = this.spec.layout.denseWidth;
    const k = this.spec.options.embeddingDim;
    const sums: string[] = [];
    const squares: string[] = [];
    if (this.fields > 0) {
      const e = this.embeddings();
      sums.push(g.reduceSum(e, [1], false, 'categorical_field_sum'));
      squares.push(
        g.reduceSum(
          g.op('Mul', [e, e], 'categorical_field_squares'),
          [1],
          false,
          'categorical_field_sum_of_squares',
        ),
      );
    }
    if (this.spec.options.denseEmbeddings && d > 0) {
      const v = g.weight(this.weights, 'dense_embedding', [d, k]);
      sums.push(g.op('MatMul', [this.dense, v], 'dense_field_sum'));
      const x2 = g.op('Mul', [this.dense, this.dense], 'dense_squared');
      const v2 = g.op('Mul', [v, v], 'dense_embedding_squared');
      squares.push(g.op('MatMul', [x2, v2], 'dense_field_sum_of_squares'));
    }
    if (sums.length === 0) g.fail('no fields to pool');
    const add = (parts: string[], name: string) => (parts.length === 1 ? parts[0] : g.op('Add', parts, name));
    return { sum: add(sums, 'field_sum'), squares: add(squares, 'field_sum_of_squares') };
  }

  /** [N, C·k + D]: flattened embeddings then the dense columns. */
  flat(): string {
    const d = this.spec.layout.denseWidth;
    if (this.fields === 0 || this.spec.options.embeddingDim === 0) return this.dense;
    const e = this.g.reshape(
      this.embeddings(),
      [0, this.fields * this.spec.options.embeddingDim],
      'flat_embeddings',
    );
    return d > 0 ? this.g.op('Concat', [e, this.dense], 'flat_input', [intAttr('axis', 1)]) : e;
  }

  /** The first-order logit [N]: Σ_f w[index_f] + dense·w_dense + b. */
  linear(): string {
    return this.once('linear_logit', () => this.buildLinear());
  }

  private buildLinear(): string {
    const g = this.g;
    const d = this.spec.layout.denseWidth;
    let out = g.weight(this.weights, 'linear_bias', [1]);
    if (this.fields > 0) {
      const w = g.weight(this.weights, 'linear_categorical', [this.spec.tableRows]);
      const picked = g.op('Gather', [w, this.index], 'linear_categorical_terms', [intAttr('axis', 0)]);
      out = g.op('Add', [out, g.reduceSum(picked, [1], false, 'linear_categorical_sum')], 'linear_partial');
    }
    if (d > 0) {
      const w = g.weight(this.weights, 'linear_dense', [d, 1]);
      const xw = g.reshape(g.op('MatMul', [this.dense, w], 'linear_dense_product'), [-1], 'linear_dense_sum');
      out = g.op('Add', [out, xw], 'linear_logit');
    }
    return out;
  }

  /** Field f's local indexes, [N] int64 (for crosses). */
  field(f: number): string {
    return this.once(`field_${f}_values`, (name) => {
      const at = this.g.int64(`field_${f}_position`, [], [f]);
      return this.g.op('Gather', [this.local, at], name, [intAttr('axis', 1)]);
    });
  }

  /** A value built once per graph under `name`. */
  private once(name: string, build: (name: string) => string): string {
    let v = this.cache.get(name);
    if (v === undefined) {
      v = build(name);
      this.cache.set(name, v);
    }
    return v;
  }

  /** Dense columns offset .. offset + width, [N, width] float. */
  denseColumns(offset: number, width: number, name: string): string {
    const cols = this.g.int64(
      `${name}_columns`,
      [width],
      Array.from({ length: width }, (_, j) => offset + j),
    );
    return this.g.op('Gather', [this.dense, cols], name, [intAttr('axis', 1)]);
  }
}

export interface FeatureGraphDescription {
  graphName: string;
  /** What the model computes (the input documentation is appended). */
  summary: string;
  metadata?: Record<string, string>;
}

/** Sigmoid of `logit` ([N] or [N, 1]) as output `score` float[N], and the encoded model. */
export function finishFeatureGraph(
  g: OnnxGraphBuilder,
  input: FeatureInputGraph,
  source: FeatureGraphSource,
  logit: string,
  d: FeatureGraphDescription,
): Uint8Array {
  const probability = g.op('Sigmoid', [logit], 'probability');
  g.reshape(probability, [-1], 'score');
  const inputsDoc =
    source.kind === 'ranking'
      ? "Inputs: user, item int64[N] (dense indexes of the artifact id maps); each user's and item's " +
        'feature row (FeatureSchema user | item [| neutral context]) is an initializer table gathered in the graph.'
      : `Inputs: dense float[N, ${input.spec.layout.denseWidth}] and categorical int64[N, ` +
        `${input.spec.layout.cardinalities.length}]: rows in the model's FeatureSchema layout ` +
        '(field-local indexes, 0 = out of vocabulary).';
  return g.build({
    graphName: d.graphName,
    docString: `${d.summary} ${inputsDoc} Output: score float[N] = P(positive).`,
    inputs: input.inputs,
    outputs: [tensorInfo('score', OnnxDataType.FLOAT, ['N'])],
    metadata: {
      ...(source.kind === 'ranking' ? { users: String(source.users), items: String(source.items) } : {}),
      ...d.metadata,
    },
  });
}
