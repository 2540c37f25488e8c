import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { FeatureSchema } from '@recsys/features';
import type { ModelInfo } from '@recsys/models';
import { addDense, dense } from '../nn/layers';
import type { FeatureInputGraph } from '../onnx/feature-input-to-onnx';
import type { OnnxGraphBuilder } from '../onnx/onnx-graph';
import { wideDeepLogit } from '../onnx/wide-deep-to-onnx';
import type { FeatureLayout, FeatureRows, FeatureTensors } from './feature-input';
import { addMlp, FeatureNetwork, mlp, type FeatureNetworkBase } from './feature-input-network';
import {
  dropoutParam,
  embeddingDimParam,
  embeddingL2Param,
  layersParam,
  learningRateParam,
  TRAINING_PARAMS,
} from './feature-input-params';
import { checkDropout, FeatureInputRecommender } from './feature-input-recommender';
import { crossIndexes, resolveCrosses, type CrossSpec, type ResolvedCross } from './wide-deep-crosses';

/**
 * The default crosses: each user's taste per item category (the paper's user × impression crosses), and
 * demographic groups × item (who like this item among people like me). Names are FeatureSchema fields
 * (`<block>.<field>`) or multi-hot groups (`item.category`), present in both the ranking and ctr schemas.
 */
export const DEFAULT_CROSSES: CrossSpec[] = [
  { a: 'user.user_id', b: 'item.category' },
  { a: 'user.occupation', b: 'item.item_id' },
  { a: 'user.age_bucket', b: 'item.item_id' },
  { a: 'user.gender', b: 'item.item_id' },
];

const crossSchema = z.object({ a: z.string().min(1), b: z.string().min(1) }).strict();

const paramsSchema = z.object({
  ...TRAINING_PARAMS,
  /**
   * Tuned on ML-100K's ctr validation split (best validation log loss: 0.001: 0.5426, 0.002: 0.5404,
   * 0.003: 0.5396).
   */
  learningRate: learningRateParam(0.003),
  /** Size of every categorical field's embedding (the deep part's input). */
  embeddingDim: embeddingDimParam(16),
  embeddingL2: embeddingL2Param(0),
  /** The deep part: ReLU layers 1024-512-256 as the design sketches (Cheng et al. 2016 §4: 1024-512-256). */
  deepLayers: layersParam([1024, 512, 256]),
  dropout: dropoutParam([0.5, 0.5, 0.5]),
  /** Crossed categorical features of the wide part. */
  crosses: z.array(crossSchema).max(32).default(DEFAULT_CROSSES),
  /** A cross with more keys than 2^crossHashBits is hashed into that many weights. */
  crossHashBits: z.number().int().min(4).max(24).default(18),
});
export type WideDeepParams = z.output<typeof paramsSchema>;

export interface WideDeepArchitecture {
  embeddingDim: number;
  deepLayers: number[];
  dropout: number[];
  crosses: ResolvedCross[];
}

/**
 * Wide & Deep (Cheng et al. 2016, "Wide & Deep Learning for Recommender Systems", DLRS, eq. 3):
 *   ŷ = σ(w_wideᵀ [x, φ(x)] + w_deepᵀ a^(l_f) + b),
 * the wide part a linear model over every feature (`linear_*`) and the crossed features φ(x)
 * (`wide_cross_<c>`, one weight per cross key or hash bucket), the deep part a ReLU tower over the
 * concatenated field embeddings and dense features; both trained jointly (here with one Adam).
 */
export class WideDeepNetwork extends FeatureNetwork {
  constructor(
    base: FeatureNetworkBase,
    readonly arch: WideDeepArchitecture,
  ) {
    super(base, { embeddingDim: arch.embeddingDim, denseEmbeddings: false, linear: true });
    arch.crosses.forEach((c, k) => this.parameters.add(`wide_cross_${k}`, [c.buckets], { kind: 'zeros' }));
    const width = addMlp(this.parameters, 'deep', this.input.flatWidth, arch.deepLayers);
    addDense(this.parameters, 'deep_output', width, 1);
  }

  /** The crosses' contribution to the wide logit, [n]. */
  private crossed(rows: FeatureRows): tf.Tensor1D | null {
    const { denseWidth, cardinalities } = this.base.layout;
    let sum: tf.Tensor1D | null = null;
    this.arch.crosses.forEach((c, k) => {
      const { index, weight } = crossIndexes(c, rows, denseWidth, cardinalities.length);
      const w = this.parameters.get(`wide_cross_${k}`);
      const term: tf.Tensor1D =
        weight === null
          ? (tf.gather(w, tf.tensor1d(index, 'int32')) as tf.Tensor1D)
          : tf.sum(
              tf.mul(
                tf.gather(w, tf.tensor2d(index, [rows.size, c.bWidth], 'int32')),
                tf.tensor2d(weight, [rows.size, c.bWidth]),
              ),
              1,
            );
      sum = sum === null ? term : (tf.add(sum, term) as tf.Tensor1D);
    });
    return sum;
  }

  protected forward(t: FeatureTensors, rows: FeatureRows, training: boolean, step: number): tf.Tensor1D {
    const seed = this.base.seed;
    const h = mlp(
      this.parameters,
      'deep',
      this.input.flat(t),
      this.arch.deepLayers,
      this.arch.dropout,
      training,
      seed,
      step,
    );
    const deep = tf.reshape(dense(this.parameters, 'deep_output', h), [-1]) as tf.Tensor1D;
    const crossed = this.crossed(rows);
    const wide = crossed === null ? this.input.linear(t) : tf.add(this.input.linear(t), crossed);
    return tf.add(wide, deep);
  }
}

/** Wide & Deep over the shared feature rows (user, item and, for ctr, context features). */
export class WideDeepModel extends FeatureInputRecommender<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'wide-deep',
    task: 'ranking',
    input: 'pointwise',
    summary: 'Wide & Deep (linear + crossed features, ReLU tower over embeddings) on TensorFlow.js',
    reference: 'Cheng et al. 2016, "Wide & Deep Learning for Recommender Systems" (DLRS)',
  };
  protected readonly paramsSchema = paramsSchema;

  protected override checkParams(params: WideDeepParams): void {
    checkDropout(this.info.name, 'dropout', params.deepLayers, params.dropout);
  }

  protected createNetwork(
    layout: FeatureLayout,
    schema: FeatureSchema,
    params: WideDeepParams,
  ): FeatureNetwork {
    return new WideDeepNetwork(
      { layout, embeddingL2: params.embeddingL2, seed: params.seed },
      {
        embeddingDim: params.embeddingDim,
        deepLayers: [...params.deepLayers],
        dropout: [...params.dropout],
        crosses: resolveCrosses(schema, params.crosses, params.crossHashBits),
      },
    );
  }

  protected graphLogit(
    g: OnnxGraphBuilder,
    input: FeatureInputGraph,
    network: FeatureNetwork,
    weights: Record<string, Float32Array>,
  ): string {
    return wideDeepLogit(g, input, (network as WideDeepNetwork).arch, weights);
  }
}
