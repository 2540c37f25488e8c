import * as tf from '@tensorflow/tfjs';
import type { FeatureSchema } from '@recsys/features';
import { ModelError, ModelErrorCode } from '@recsys/models';
import type { ParameterStore } from '../nn/parameter-store';

/**
 * The shape of the rows a feature model reads: a FeatureSchema's dense width and the table size of each
 * categorical field (its vocabulary plus the OOV row 0). Derived from the schema, saved with it.
 */
export interface FeatureLayout {
  denseWidth: number;
  cardinalities: number[];
}

export function featureLayout(schema: FeatureSchema): FeatureLayout {
  return { denseWidth: schema.denseWidth, cardinalities: schema.categorical.map((f) => f.cardinality) };
}

/**
 * A batch of feature rows in a FeatureSchema's layout (what `ctrExamples` yields as CtrBatch):
 * row r is dense[r·denseWidth ..) and categorical[r·fields ..), each categorical value an index into its
 * field's own table (0 = out of vocabulary).
 */
export interface FeatureRows {
  size: number;
  dense: Float32Array;
  categorical: Int32Array;
}

/** Rows with a 0/1 (or soft) target each: what the training loop consumes. */
export interface LabelledRows extends FeatureRows {
  labels: Float32Array;
}

/** Which weights the input layer holds. */
export interface FeatureInputOptions {
  /** Size of every field's embedding; 0 for none (logistic regression). */
  embeddingDim: number;
  /**
   * Whether each dense column j also gets an embedding v_j, entering as the field x_j·v_j (Rendle 2010's
   * real-valued features; FM and NFM), so dense and categorical features share one field list.
   */
  denseEmbeddings: boolean;
  /** First-order weights: one per categorical value and per dense column, plus a bias (wide/linear part). */
  linear: boolean;
}

/** A batch as tensors: dense [n, D] float32 and categorical indexes into the joint table, [n, C] int32. */
export interface FeatureTensors {
  dense: tf.Tensor2D;
  index: tf.Tensor2D;
  /** The gathered categorical embeddings, once computed (the embedding L2 penalty reuses them). */
  embedded?: tf.Tensor3D;
}

/** Std of the N(0, σ²) draw of embedding rows. */
export const EMBEDDING_INIT_STD = 0.01;

/**
 * The input layer every feature model shares: one embedding table per categorical field, stored as one
 * joint table (`feature_embedding`, field f's rows at offsets[f] ..), optional dense-column embeddings
 * (`dense_embedding`) and optional first-order weights (`linear_categorical`, `linear_dense`, `linear_bias`).
 * So LR, FM, Wide & Deep, NFM and DCN-v2 read the same FeatureSchema rows and differ only above this layer.
 * The ONNX exporter (onnx/feature-input-to-onnx.ts) computes the same values from the same weight names.
 */
export class FeatureInput {
  /** Where each field's rows start in the joint tables. */
  readonly offsets: Int32Array;
  /** Rows of the joint tables (Σ cardinalities). */
  readonly tableRows: number;

  constructor(
    readonly layout: FeatureLayout,
    readonly options: FeatureInputOptions,
    private readonly store: ParameterStore,
  ) {
    this.offsets = new Int32Array(layout.cardinalities.length);
    let rows = 0;
    layout.cardinalities.forEach((c, f) => {
      if (!Number.isSafeInteger(c) || c < 1)
        throw new ModelError(ModelErrorCode.INVALID_PARAMS, `categorical field ${f} has cardinality ${c}`);
      this.offsets[f] = rows;
      rows += c;
    });
    this.tableRows = rows;
    const k = options.embeddingDim;
    const emb = { kind: 'normal', std: EMBEDDING_INIT_STD } as const;
    if (k > 0 && this.fields > 0) store.add('feature_embedding', [rows, k], emb);
    if (k > 0 && options.denseEmbeddings && layout.denseWidth > 0)
      store.add('dense_embedding', [layout.denseWidth, k], emb);
    if (options.linear) {
      if (this.fields > 0) store.add('linear_categorical', [rows], { kind: 'zeros' });
      if (layout.denseWidth > 0) store.add('linear_dense', [layout.denseWidth, 1], { kind: 'zeros' });
      store.add('linear_bias', [1], { kind: 'zeros' });
    }
  }

  /** Number of categorical fields. */
  get fields(): number {
    return this.layout.cardinalities.length;
  }

  /** Width of `flat`: every categorical embedding side by side, then the dense columns. */
  get flatWidth(): number {
    return this.fields * this.options.embeddingDim + this.layout.denseWidth;
  }

  /** Checks a batch's arrays against the layout; UNKNOWN_ID names a categorical value outside its field. */
  check(rows: FeatureRows): void {
    const { denseWidth, cardinalities } = this.layout;
    const c = cardinalities.length;
    if (rows.dense.length !== rows.size * denseWidth || rows.categorical.length !== rows.size * c)
      throw new ModelError(
        ModelErrorCode.INVALID_PARAMS,
        `feature rows: ${rows.size} rows need ${rows.size * denseWidth} dense and ${rows.size * c} ` +
          `categorical values, got ${rows.dense.length} and ${rows.categorical.length}`,
      );
    for (let k = 0; k < rows.categorical.length; k++) {
      const v = rows.categorical[k];
      const f = k % c;
      if (!(v >= 0 && v < cardinalities[f]))
        throw new ModelError(
          ModelErrorCode.UNKNOWN_ID,
          `feature rows: row ${Math.floor(k / c)} has value ${v} in categorical field ${f} (0..${cardinalities[f] - 1})`,
        );
    }
  }

  /** The batch's tensors (call inside tf.tidy): field-local indexes shifted into the joint table. */
  tensors(rows: FeatureRows): FeatureTensors {
    const c = this.fields;
    const index = new Int32Array(rows.categorical.length);
    for (let k = 0; k < index.length; k++) index[k] = rows.categorical[k] + this.offsets[k % c];
    return {
      dense: tf.tensor2d(rows.dense, [rows.size, this.layout.denseWidth], 'float32'),
      index: tf.tensor2d(index, [rows.size, c], 'int32'),
    };
  }

  /** The categorical fields' embeddings, [n, C, k]. */
  embeddings(t: FeatureTensors): tf.Tensor3D {
    t.embedded ??= tf.gather(this.store.get('feature_embedding'), t.index) as tf.Tensor3D;
    return t.embedded;
  }

  /**
   * Σ_f e_f and Σ_f e_f² ([n, k] each) over every FM field e_f: the categorical embeddings, then
   * x_j·v_j per dense column (with dense embeddings). What FM's pairwise term and NFM's bi-interaction
   * pool, computed without an [n, F, k] tensor: the dense columns' part is x·V and x²·V², two products.
   */
  fieldMoments(t: FeatureTensors): { sum: tf.Tensor2D; squares: tf.Tensor2D } {
    const k = this.options.embeddingDim;
    const n = t.dense.shape[0];
    let sum: tf.Tensor2D = tf.zeros([n, k]);
    let squares: tf.Tensor2D = tf.zeros([n, k]);
    if (this.fields > 0) {
      const e = this.embeddings(t);
      sum = tf.sum(e, 1);
      squares = tf.sum(tf.square(e), 1);
    }
    if (this.options.denseEmbeddings && this.layout.denseWidth > 0) {
      const v = this.store.get('dense_embedding');
      sum = tf.add(sum, tf.matMul(t.dense, v));
      squares = tf.add(squares, tf.matMul(tf.square(t.dense), tf.square(v)));
    }
    return { sum, squares };
  }

  /** [n, C·k + D]: the flattened categorical embeddings, then the dense columns (the MLP/cross input). */
  flat(t: FeatureTensors): tf.Tensor2D {
    if (this.fields === 0 || this.options.embeddingDim === 0) return t.dense;
    const e = tf.reshape(this.embeddings(t), [-1, this.fields * this.options.embeddingDim]) as tf.Tensor2D;
    return this.layout.denseWidth > 0 ? tf.concat([e, t.dense], 1) : e;
  }

  /** The first-order logit Σ_f w[index_f] + dense·w_dense + b, [n]. */
  linear(t: FeatureTensors): tf.Tensor1D {
    let out = tf.reshape(this.store.get('linear_bias'), [1]) as tf.Tensor1D;
    if (this.fields > 0)
      out = tf.add(out, tf.sum(tf.gather(this.store.get('linear_categorical'), t.index), 1));
    if (this.layout.denseWidth > 0)
      out = tf.add(out, tf.reshape(tf.matMul(t.dense, this.store.get('linear_dense')), [-1]));
    return out;
  }
}
