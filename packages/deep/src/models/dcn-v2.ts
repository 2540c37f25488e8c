import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { FeatureSchema } from '@recsys/features';
import type { ModelInfo } from '@recsys/models';
import { addDense, dense } from '../nn/layers';
import { dcnV2Logit } from '../onnx/dcn-v2-to-onnx';
import type { FeatureInputGraph } from '../onnx/feature-input-to-onnx';
import type { OnnxGraphBuilder } from '../onnx/onnx-graph';
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

const paramsSchema = z.object({
  ...TRAINING_PARAMS,
  /**
   * Tuned on ML-100K's ctr validation split (best validation log loss, embeddingDim 8: 0.001: 0.5456,
   * 0.002: 0.5408, 0.003: 0.5370, 0.005: 0.5385).
   */
  learningRate: learningRateParam(0.003),
  /** 8 rather than 16: at 0.001, 16 overfitted an epoch sooner (validation AUC 0.7931 vs 0.7940). */
  embeddingDim: embeddingDimParam(8),
  embeddingL2: embeddingL2Param(0),
  /** Cross layers L_c. */
  crossLayers: z.number().int().min(1).max(8).default(3),
  /** 0: full-rank W (d × d) per cross layer; r > 0: the low-rank U Vᵀ (d × r, r × d) of §3.2. */
  crossRank: z.number().int().min(0).max(4096).default(0),
  /** `stacked`: deep tower on the cross output; `parallel`: both on x0, outputs concatenated (Fig. 2). */
  structure: z.enum(['stacked', 'parallel']).default('parallel'),
  deepLayers: layersParam([512, 256]),
  dropout: dropoutParam([0.3, 0.3]),
});
export type DcnV2Params = z.output<typeof paramsSchema>;

export interface DcnV2Architecture {
  embeddingDim: number;
  crossLayers: number;
  crossRank: number;
  structure: 'stacked' | 'parallel';
  deepLayers: number[];
  dropout: number[];
}

/**
 * DCN-V2 (Wang, Shivanna, Cheng, Jain, Lin, Hong, Chi 2021, "DCN V2: Improved Deep & Cross Network and
 * Practical Lessons for Web-scale Learning to Rank Systems", WWW, eq. 1):
 *   x_{l+1} = x_0 ⊙ (W_l x_l + b_l) + x_l,   W_l full rank, or U_l (V_lᵀ x_l) low rank;
 * x_0 the concatenated field embeddings and dense features. Stacked: ŷ = σ(w·deep(x_L)); parallel:
 * ŷ = σ(w·[x_L; deep(x_0)]).
 */
export class DcnV2Network extends FeatureNetwork {
  readonly width: number;

  constructor(
    base: FeatureNetworkBase,
    readonly arch: DcnV2Architecture,
  ) {
    super(base, { embeddingDim: arch.embeddingDim, denseEmbeddings: false, linear: false });
    const d = this.input.flatWidth;
    this.width = d;
    for (let l = 0; l < arch.crossLayers; l++) {
      if (arch.crossRank > 0) {
        this.parameters.add(`cross_${l}_u`, [d, arch.crossRank], { kind: 'glorot-uniform' });
        this.parameters.add(`cross_${l}_v`, [arch.crossRank, d], { kind: 'glorot-uniform' });
      } else {
        this.parameters.add(`cross_${l}_kernel`, [d, d], { kind: 'glorot-uniform' });
      }
      this.parameters.add(`cross_${l}_bias`, [d], { kind: 'zeros' });
    }
    const deepOut = addMlp(this.parameters, 'deep', d, arch.deepLayers);
    const outputWidth = arch.structure === 'stacked' ? deepOut : d + deepOut;
    addDense(this.parameters, 'dcn_output', outputWidth, 1);
  }

  protected forward(t: FeatureTensors, _rows: FeatureRows, training: boolean, step: number): tf.Tensor1D {
    const p = this.parameters;
    const x0 = this.input.flat(t);
    let x = x0;
    for (let l = 0; l < this.arch.crossLayers; l++) {
      const xw =
        this.arch.crossRank > 0
          ? tf.matMul(tf.matMul(x, p.get(`cross_${l}_u`)), p.get(`cross_${l}_v`))
          : tf.matMul(x, p.get(`cross_${l}_kernel`));
      x = tf.add(tf.mul(x0, tf.add(xw, p.get(`cross_${l}_bias`))), x);
    }
    const seed = this.base.seed;
    const { deepLayers, dropout } = this.arch;
    const joint =
      this.arch.structure === 'stacked'
        ? mlp(p, 'deep', x, deepLayers, dropout, training, seed, step)
        : tf.concat([x, mlp(p, 'deep', x0, deepLayers, dropout, training, seed, step)], 1);
    return tf.reshape(dense(p, 'dcn_output', joint), [-1]);
  }
}

/** DCN-V2 over the shared feature rows (user, item and, for ctr, context features). */
export class DcnV2Model extends FeatureInputRecommender<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'dcn-v2',
    task: 'ranking',
    input: 'pointwise',
    summary: 'Deep & Cross Network V2 (cross layers + ReLU tower, stacked or parallel) on TensorFlow.js',
    reference: 'Wang et al. 2021, "DCN V2: Improved Deep & Cross Network" (WWW)',
  };
  protected readonly paramsSchema = paramsSchema;

  protected override checkParams(params: DcnV2Params): void {
    checkDropout(this.info.name, 'dropout', params.deepLayers, params.dropout);
  }

  protected createNetwork(
    layout: FeatureLayout,
    _schema: FeatureSchema,
    params: DcnV2Params,
  ): FeatureNetwork {
    return new DcnV2Network(
      { layout, embeddingL2: params.embeddingL2, seed: params.seed },
      {
        embeddingDim: params.embeddingDim,
        crossLayers: params.crossLayers,
        crossRank: params.crossRank,
        structure: params.structure,
        deepLayers: [...params.deepLayers],
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
    const net = network as DcnV2Network;
    return dcnV2Logit(g, input, net.arch, net.width, weights);
  }
}
