import * as tf from '@tensorflow/tfjs';
import { addDense, dense, embed } from '../nn/layers';
import { seededDropout } from '../nn/seeded-dropout';
import { ParameterStore } from '../nn/parameter-store';
import type { PointwiseBatch } from '../training/pointwise-examples';
import type { TrainableNetwork } from '../training/train-network';

/** The architecture of a NeuMF network (sizes only; weights live in the ParameterStore). */
export interface NeuMfArchitecture {
  users: number;
  items: number;
  /** GMF embedding size (the paper's predictive factors of the GMF branch). */
  gmfDim: number;
  /** Size of each of the MLP branch's user and item embeddings. */
  mlpEmbeddingDim: number;
  /** Units of the MLP's hidden layers, each ReLU. */
  mlpLayers: number[];
  /** Dropout after each hidden layer (same length as mlpLayers). */
  dropout: number[];
  seed: number;
}

/** The weight names, in the order ONNX export and artifacts list them. */
export const NEUMF_EMBEDDINGS = [
  'gmf_user_embedding',
  'gmf_item_embedding',
  'mlp_user_embedding',
  'mlp_item_embedding',
] as const;

/**
 * NeuMF (He, Liao, Zhang, Nie, Hu, Chua 2017, "Neural Collaborative Filtering", §3.4):
 *   φ_GMF = p_u^G ⊙ q_i^G,
 *   φ_MLP = a_L(W_L … a_1(W_1 [p_u^M ; q_i^M] + b_1) … + b_L),   a = ReLU (with dropout in training),
 *   ŷ_ui = σ(hᵀ [φ_GMF ; φ_MLP] + b).
 * Embeddings are N(0, 0.01²) as in the paper, dense kernels Glorot uniform, the prediction layer LeCun
 * uniform; every draw comes from the seed.
 */
export class NeuMfNetwork implements TrainableNetwork<PointwiseBatch> {
  readonly parameters: ParameterStore;

  constructor(readonly arch: NeuMfArchitecture) {
    const p = new ParameterStore(arch.seed);
    const emb = { kind: 'normal', std: 0.01 } as const;
    p.add('gmf_user_embedding', [arch.users, arch.gmfDim], emb);
    p.add('gmf_item_embedding', [arch.items, arch.gmfDim], emb);
    p.add('mlp_user_embedding', [arch.users, arch.mlpEmbeddingDim], emb);
    p.add('mlp_item_embedding', [arch.items, arch.mlpEmbeddingDim], emb);
    let width = 2 * arch.mlpEmbeddingDim;
    arch.mlpLayers.forEach((units, l) => {
      addDense(p, `mlp_dense_${l}`, width, units);
      width = units;
    });
    const last = arch.mlpLayers.length > 0 ? width : 0;
    p.add('prediction_kernel', [arch.gmfDim + last, 1], { kind: 'lecun-uniform' });
    p.add('prediction_bias', [1], { kind: 'zeros' });
    this.parameters = p;
  }

  /** The logits hᵀ[φ_GMF; φ_MLP] + b for pairs; `training` switches dropout on (seeded by `step`). */
  logits(users: tf.Tensor1D, items: tf.Tensor1D, training = false, step = 0): tf.Tensor1D {
    const p = this.parameters;
    const gmf: tf.Tensor2D = tf.mul(
      embed(p, 'gmf_user_embedding', users),
      embed(p, 'gmf_item_embedding', items),
    );
    let h: tf.Tensor2D = tf.concat(
      [embed(p, 'mlp_user_embedding', users), embed(p, 'mlp_item_embedding', items)],
      1,
    );
    this.arch.mlpLayers.forEach((_, l) => {
      h = tf.relu(dense(p, `mlp_dense_${l}`, h));
      if (training) h = seededDropout(h, this.arch.dropout[l] ?? 0, dropoutSeed(this.arch.seed, step, l));
    });
    const joint = this.arch.mlpLayers.length > 0 ? tf.concat([gmf, h], 1) : gmf;
    return tf.reshape(dense(p, 'prediction', joint), [-1]);
  }

  /** Binary cross-entropy of the batch, on logits for numerical stability (the paper's log loss). */
  loss(batch: PointwiseBatch, step: number): tf.Scalar {
    const users = tf.tensor1d(batch.users, 'int32');
    const items = tf.tensor1d(batch.items, 'int32');
    const labels = tf.tensor1d(batch.labels, 'float32');
    return tf.losses.sigmoidCrossEntropy(labels, this.logits(users, items, true, step)) as tf.Scalar;
  }

  /** ŷ for pairs (users[k], items[k]), in chunks of `chunk` pairs so no call builds an unbounded tensor. */
  predict(
    users: Int32Array,
    items: Int32Array,
    out: Float32Array = new Float32Array(users.length),
    chunk = 65_536,
  ): Float32Array {
    for (let start = 0; start < users.length; start += chunk) {
      const end = Math.min(users.length, start + chunk);
      const values = tf.tidy(() =>
        tf
          .sigmoid(
            this.logits(
              tf.tensor1d(users.subarray(start, end), 'int32'),
              tf.tensor1d(items.subarray(start, end), 'int32'),
            ),
          )
          .dataSync(),
      );
      out.set(values, start);
    }
    return out;
  }

  dispose(): void {
    this.parameters.dispose();
  }
}

/** A distinct dropout seed per (run seed, step, layer). */
function dropoutSeed(seed: number, step: number, layer: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 31) + step * 16 + layer) >>> 0;
}
