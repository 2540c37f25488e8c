import type * as tf from '@tensorflow/tfjs';
import type { SequenceBatch } from './sequence-examples';
import type { TrainableNetwork } from './train-network';

/**
 * A next-item network over padded item sequences (SASRec, GRU4Rec): trained on SequenceBatches by the
 * shared loop, it encodes a sequence into one hidden state and scores item i as state · items[i]
 * (+ bias[i]) with its output layer, so a model can keep each user's state and score in plain
 * JavaScript, and an anonymous session is one `encode` call.
 */
export interface SequenceNetwork extends TrainableNetwork<SequenceBatch> {
  readonly maxLen: number;
  readonly items: number;
  /** Size of the hidden state. */
  readonly dim: number;
  /**
   * Weight names of the output layer: `items` [≥ items, dim] (rows past `items` are padding) and an
   * optional per-item `bias` [items].
   */
  readonly output: { items: string; bias: string | null };
  /**
   * The hidden state after the last position of each of `rows` sequences of `maxLen` items, left-padded
   * with PAD: [rows, dim]. Inference (no dropout); call inside tf.tidy.
   */
  encode(sequences: Int32Array, rows: number): tf.Tensor2D;
  dispose(): void;
}
