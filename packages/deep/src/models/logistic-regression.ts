import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { ModelInfo } from '@recsys/models';
import { logisticRegressionLogit } from '../onnx/logistic-regression-to-onnx';
import type { FeatureInputGraph } from '../onnx/feature-input-to-onnx';
import type { OnnxGraphBuilder } from '../onnx/onnx-graph';
import type { FeatureLayout, FeatureTensors } from './feature-input';
import { FeatureNetwork, type FeatureNetworkBase } from './feature-input-network';
import { learningRateParam, TRAINING_PARAMS } from './feature-input-params';
import { FeatureInputRecommender } from './feature-input-recommender';

const paramsSchema = z.object({
  ...TRAINING_PARAMS,
  /**
   * Tuned on ML-100K's ctr validation split (best validation log loss: 0.001 still far from converged
   * after 10 epochs; 0.003: 0.5548; 0.01: 0.5559; 0.03: 0.5569).
   */
  learningRate: learningRateParam(0.003),
});
export type LogisticRegressionParams = z.output<typeof paramsSchema>;

/** ŷ = σ(b + Σ_f w_f[x_f] + Σ_j w_j x_j): one weight per categorical value and per dense column. */
export class LogisticRegressionNetwork extends FeatureNetwork {
  constructor(base: FeatureNetworkBase) {
    super(base, { embeddingDim: 0, denseEmbeddings: false, linear: true });
  }

  protected forward(t: FeatureTensors): tf.Tensor1D {
    return this.input.linear(t);
  }
}

/**
 * Logistic regression over the feature rows every feature model reads (user, item and, for ctr, context
 * features; user and item ids as categorical fields): the first-order baseline of the ctr protocol, the
 * wide part of Wide & Deep without its crosses.
 */
export class LogisticRegressionModel extends FeatureInputRecommender<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'lr',
    task: 'ranking',
    input: 'pointwise',
    summary: 'Logistic regression over user, item (and context) features on TensorFlow.js',
    reference: 'Cox 1958; McMahan et al. 2013 (CTR prediction at Google)',
  };
  protected readonly paramsSchema = paramsSchema;

  protected createNetwork(
    layout: FeatureLayout,
    _schema: unknown,
    params: LogisticRegressionParams,
  ): FeatureNetwork {
    return new LogisticRegressionNetwork({ layout, embeddingL2: 0, seed: params.seed });
  }

  protected graphLogit(
    g: OnnxGraphBuilder,
    input: FeatureInputGraph,
    _network: FeatureNetwork,
    _weights: Record<string, Float32Array>,
  ): string {
    return logisticRegressionLogit(g, input);
  }
}
