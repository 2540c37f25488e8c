import * as tf from '@tensorflow/tfjs';
import type { ParameterStore } from './parameter-store';

/** x·W + b, the dense layer (call inside tf.tidy). */
export function dense(store: ParameterStore, name: string, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(x, store.get(`${name}_kernel`)), store.get(`${name}_bias`));
}

/** Adds a dense layer's weights: `${name}_kernel` [inputs, units] (Glorot uniform) and `${name}_bias`. */
export function addDense(store: ParameterStore, name: string, inputs: number, units: number): void {
  store.add(`${name}_kernel`, [inputs, units], { kind: 'glorot-uniform' });
  store.add(`${name}_bias`, [units], { kind: 'zeros' });
}

/** Rows of an embedding table for a batch of indices (GatherV2 forward, UnsortedSegmentSum backward). */
export function embed(store: ParameterStore, name: string, indices: tf.Tensor1D): tf.Tensor2D {
  return tf.gather(store.get(name), indices) as tf.Tensor2D;
}

/**
 * Inverted dropout (Srivastava et al. 2014) with an explicit seed per call, so a training run repeats
 * exactly while every step draws a new mask (tfjs-layers' Dropout reuses one seed for every call).
 */
export function dropout(x: tf.Tensor2D, rate: number, seed: number): tf.Tensor2D {
  if (rate <= 0) return x;
  return tf.dropout(x, rate, undefined, seed) as tf.Tensor2D;
}
