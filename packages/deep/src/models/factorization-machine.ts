import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { FeatureSchema } from '@recsys/features';
import type { ModelInfo } from '@recsys/models';
import { factorizationMachineLogit } from '../onnx/factorization-machine-to-onnx';
import type { FeatureInputGraph } from '../onnx/feature-input-to-onnx';
import type { OnnxGraphBuilder } from '../onnx/onnx-graph';
import type { FeatureLayout, FeatureTensors } from './feature-input';
import { FeatureNetwork, type FeatureNetworkBase } from './feature-input-network';
import {
  embeddingDimParam,
  embeddingL2Param,
  learningRateParam,
  TRAINING_PARAMS,
} from './feature-input-params';
import { FeatureInputRecommender } from './feature-input-recommender';

const paramsSchema = z.object({
  ...TRAINING_PARAMS,
  /**
   * Tuned on ML-100K's ctr validation split (best validation log loss: 0.002: 0.5465, 0.003: 0.5479,
   * 0.001: 0.5557 after 10 epochs; at 0.003, k = 8: 0.5510, k = 32: 0.5477, embedding L2 0.01: 0.5475).
   */
  learningRate: learningRateParam(0.002),
  /** k, the size of every feature's factor vector. */
  embeddingDim: embeddingDimParam(16),
  embeddingL2: embeddingL2Param(0),
});
export type FactorizationMachineParams = z.output<typeof paramsSchema>;

/**
 * Σ_{i<j} ⟨v_i, v_j⟩ x_i x_j over fields e_f = v_f x_f in O(F·k) (Rendle 2010, lemma 3.1):
 * ½ Σ_k [(Σ_f e_fk)² − Σ_f e_fk²], from FeatureInput.fieldMoments. NFM's bi-interaction pooling is the
 * same vector before the Σ_k.
 */
export function biInteraction(m: { sum: tf.Tensor2D; squares: tf.Tensor2D }): tf.Tensor2D {
  return tf.mul(tf.sub(tf.square(m.sum), m.squares), 0.5);
}

/** ŷ = σ(w0 + Σ_i w_i x_i + Σ_{i<j} ⟨v_i, v_j⟩ x_i x_j), every categorical value and dense column a feature. */
export class FactorizationMachineNetwork extends FeatureNetwork {
  constructor(base: FeatureNetworkBase, embeddingDim: number) {
    super(base, { embeddingDim, denseEmbeddings: true, linear: true });
  }

  protected forward(t: FeatureTensors): tf.Tensor1D {
    return tf.add(this.input.linear(t), tf.sum(biInteraction(this.input.fieldMoments(t)), 1));
  }
}

/**
 * A second-order factorization machine (Rendle 2010, "Factorization Machines", ICDM) over the same rows as
 * every feature model: user and item ids, their categorical and dense features (dense columns x_j enter as
 * real-valued features with factors v_j), and for ctr the context; logistic loss, Adam.
 */
export class FactorizationMachineModel extends FeatureInputRecommender<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'fm',
    task: 'ranking',
    input: 'pointwise',
    summary: 'Factorization machine (second order) over user, item (and context) features on TensorFlow.js',
    reference: 'Rendle 2010, "Factorization Machines" (ICDM)',
  };
  protected readonly paramsSchema = paramsSchema;

  protected createNetwork(
    layout: FeatureLayout,
    _schema: FeatureSchema,
    params: FactorizationMachineParams,
  ): FeatureNetwork {
    return new FactorizationMachineNetwork(
      { layout, embeddingL2: params.embeddingL2, seed: params.seed },
      params.embeddingDim,
    );
  }

  protected graphLogit(
    g: OnnxGraphBuilder,
    input: FeatureInputGraph,
    _network: FeatureNetwork,
    _weights: Record<string, Float32Array>,
  ): string {
    return factorizationMachineLogit(g, input);
  }
}
