import * as tf from '@tensorflow/tfjs';
import { addDense, dense, dropout } from '../nn/layers';
import { ParameterStore } from '../nn/parameter-store';
import type { TrainableNetwork } from '../training/train-network';
import {
  FeatureInput,
  type FeatureInputOptions,
  type FeatureLayout,
  type FeatureRows,
  type FeatureTensors,
  type LabelledRows,
} from './feature-input';

/** What every feature network is built from besides its own sizes. */
export interface FeatureNetworkBase {
  layout: FeatureLayout;
  /** L2 strength on the embedding rows a batch uses (libFM-style: only the parameters involved). */
  embeddingL2: number;
  seed: number;
}

/**
 * A network over FeatureSchema rows: the shared input layer (`input`) plus a model's own layers, trained
 * with binary cross-entropy on logits. A subclass adds its weights to `parameters` after `input` in its
 * constructor and implements `forward`; the loop, scoring and ONNX export see only this class.
 */
export abstract class FeatureNetwork implements TrainableNetwork<LabelledRows> {
  readonly parameters: ParameterStore;
  readonly input: FeatureInput;

  protected constructor(
    readonly base: FeatureNetworkBase,
    inputOptions: FeatureInputOptions,
  ) {
    this.parameters = new ParameterStore(base.seed);
    this.input = new FeatureInput(base.layout, inputOptions, this.parameters);
  }

  /** The logits of a batch, [n] (inside tf.tidy); `training` switches dropout on, seeded by `step`. */
  protected abstract forward(
    t: FeatureTensors,
    rows: FeatureRows,
    training: boolean,
    step: number,
  ): tf.Tensor1D;

  /** The logits of a batch of rows (call inside tf.tidy). */
  logits(rows: FeatureRows, training = false, step = 0): tf.Tensor1D {
    return this.forward(this.input.tensors(rows), rows, training, step);
  }

  /** Binary cross-entropy on logits, plus the embedding L2 penalty λ·Σ‖e‖² / n over the batch's rows. */
  loss(batch: LabelledRows, step: number): tf.Scalar {
    const t = this.input.tensors(batch);
    const logits = this.forward(t, batch, true, step);
    const labels = tf.tensor1d(batch.labels, 'float32');
    const bce = tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
    if (this.base.embeddingL2 <= 0 || t.embedded === undefined) return bce;
    const penalty = tf.div(tf.sum(tf.square(t.embedded)), batch.size);
    return tf.add(bce, tf.mul(penalty, this.base.embeddingL2));
  }

  /** P(y = 1) of each row, computed `chunk` rows at a time so no call builds an unbounded tensor. */
  predict(rows: FeatureRows, out: Float32Array = new Float32Array(rows.size), chunk = 16_384): Float32Array {
    this.input.check(rows);
    const d = this.base.layout.denseWidth;
    const c = this.base.layout.cardinalities.length;
    for (let start = 0; start < rows.size; start += chunk) {
      const end = Math.min(rows.size, start + chunk);
      const part: FeatureRows = {
        size: end - start,
        dense: rows.dense.subarray(start * d, end * d),
        categorical: rows.categorical.subarray(start * c, end * c),
      };
      out.set(
        tf.tidy(() => tf.sigmoid(this.logits(part)).dataSync()),
        start,
      );
    }
    return out;
  }

  dispose(): void {
    this.parameters.dispose();
  }
}

/** Adds the weights of a ReLU tower `${prefix}_dense_<l>`; returns its output width. */
export function addMlp(
  store: ParameterStore,
  prefix: string,
  inputs: number,
  layers: readonly number[],
): number {
  let width = inputs;
  layers.forEach((units, l) => {
    addDense(store, `${prefix}_dense_${l}`, width, units);
    width = units;
  });
  return width;
}

/** The ReLU tower added by `addMlp`, with inverted dropout after each layer in training. */
export function mlp(
  store: ParameterStore,
  prefix: string,
  x: tf.Tensor2D,
  layers: readonly number[],
  rates: readonly number[],
  training: boolean,
  seed: number,
  step: number,
): tf.Tensor2D {
  let h = x;
  layers.forEach((_, l) => {
    h = tf.relu(dense(store, `${prefix}_dense_${l}`, h));
    if (training) h = dropout(h, rates[l] ?? 0, dropoutSeed(seed, step, l));
  });
  return h;
}

/** A distinct dropout seed per (run seed, step, layer); `layer` may be offset to keep towers apart. */
export function dropoutSeed(seed: number, step: number, layer: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 31) + step * 64 + layer) >>> 0;
}
