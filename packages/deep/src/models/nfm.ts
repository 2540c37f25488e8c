import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { FeatureSchema } from '@recsys/features';
import type { ModelInfo } from '@recsys/models';
import { addDense, dense, dropout } from '../nn/layers';
import type { FeatureInputGraph } from '../onnx/feature-input-to-onnx';
import { nfmLogit } from '../onnx/nfm-to-onnx';
import type { OnnxGraphBuilder } from '../onnx/onnx-graph';
import type { FeatureLayout, FeatureRows, FeatureTensors } from './feature-input';
import { biInteraction } from './factorization-machine';
import { addMlp, dropoutSeed, FeatureNetwork, mlp, type FeatureNetworkBase } from './feature-input-network';
import {
  dropoutParam,
  embeddingDimParam,
  embeddingL2Param,
  layersParam,
  TRAINING_PARAMS,
} from './feature-input-params';
import { checkDropout, FeatureInputRecommender } from './feature-input-recommender';

const paramsSchema = z.object({
  ...TRAINING_PARAMS,
  // learningRate: the shared 0.001 (validation log loss on ML-100K's ctr split 0.5398; 0.002: 0.5425).
  embeddingDim: embeddingDimParam(64),
  embeddingL2: embeddingL2Param(0),
  /** Dropout on the bi-interaction vector (the paper's main regulariser). */
  biDropout: z.number().min(0).max(0.95).default(0.5),
  /** The MLP above the pooling (the paper's best: one hidden layer). */
  layers: layersParam([64]),
  dropout: dropoutParam([0.2]),
});
export type NfmParams = z.output<typeof paramsSchema>;

export interface NfmArchitecture {
  embeddingDim: number;
  biDropout: number;
  layers: number[];
  dropout: number[];
}

/**
 * NFM (He & Chua 2017, "Neural Factorization Machines for Sparse Predictive Analytics", SIGIR, eq. 3–5):
 *   f_BI = ½[(Σ_i x_i v_i)² − Σ_i (x_i v_i)²]   (bi-interaction pooling, [n, k]),
 *   z = σ_L(W_L … σ_1(W_1 f_BI + b_1) …),        (ReLU tower, dropout),
 *   ŷ = σ(w0 + Σ_i w_i x_i + hᵀ z + b_h).
 */
export class NfmNetwork extends FeatureNetwork {
  constructor(
    base: FeatureNetworkBase,
    readonly arch: NfmArchitecture,
  ) {
    super(base, { embeddingDim: arch.embeddingDim, denseEmbeddings: true, linear: true });
    const width = addMlp(this.parameters, 'nfm', arch.embeddingDim, arch.layers);
    addDense(this.parameters, 'nfm_output', width, 1);
  }

  protected forward(t: FeatureTensors, _rows: FeatureRows, training: boolean, step: number): tf.Tensor1D {
    const seed = this.base.seed;
    let bi = biInteraction(this.input.fieldMoments(t));
    if (training) bi = dropout(bi, this.arch.biDropout, dropoutSeed(seed, step, 63));
    const h = mlp(this.parameters, 'nfm', bi, this.arch.layers, this.arch.dropout, training, seed, step);
    return tf.add(this.input.linear(t), tf.reshape(dense(this.parameters, 'nfm_output', h), [-1]));
  }
}

/** NFM over the shared feature rows (user, item and, for ctr, context features). */
export class NfmModel extends FeatureInputRecommender<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'nfm',
    task: 'ranking',
    input: 'pointwise',
    summary: 'Neural factorization machine (bi-interaction pooling + MLP) on TensorFlow.js',
    reference: 'He & Chua 2017, "Neural Factorization Machines for Sparse Predictive Analytics" (SIGIR)',
  };
  protected readonly paramsSchema = paramsSchema;

  protected override checkParams(params: NfmParams): void {
    checkDropout(this.info.name, 'dropout', params.layers, params.dropout);
  }

  protected createNetwork(layout: FeatureLayout, _schema: FeatureSchema, params: NfmParams): FeatureNetwork {
    return new NfmNetwork(
      { layout, embeddingL2: params.embeddingL2, seed: params.seed },
      {
        embeddingDim: params.embeddingDim,
        biDropout: params.biDropout,
        layers: [...params.layers],
        dropout: [...params.dropout],
      },
    );
  }

  protected graphLogit(
    g: OnnxGraphBuilder,
    input: FeatureInputGraph,
    network: FeatureNetwork,
    weights: Record<string, Float32Array>,
  ): string {
    return nfmLogit(g, input, (network as NfmNetwork).arch, weights);
  }
}
