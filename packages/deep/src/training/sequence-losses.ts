import * as tf from '@tensorflow/tfjs';
import { PAD, type SequenceBatch } from './sequence-examples';

/**
 * Next-item losses over a sequential model's hidden states, one row per target position (padding
 * already left out). `items` is the output item table [≥ nItems, d] (SASRec: the shared input
 * embedding; GRU4Rec: its output layer), `bias` an optional per-item bias [nItems]. Call inside a tidy.
 */
export interface NextItemOutput {
  items: tf.Tensor2D;
  bias?: tf.Tensor1D;
  /** Rows of `items` that are real items (SASRec's table has a padding row after them). */
  nItems: number;
}

/** r_{p, targets[p]}: each position's score of its own target, [P]. */
function targetScores(hidden: tf.Tensor2D, out: NextItemOutput, targets: tf.Tensor1D): tf.Tensor1D {
  const dot = tf.sum(tf.mul(hidden, tf.gather(out.items, targets)), 1) as tf.Tensor1D;
  return out.bias ? tf.add(dot, tf.gather(out.bias, targets)) : dot;
}

/**
 * SASRec's loss (Kang & McAuley 2018, eq. 6): binary cross-entropy of each position's target against
 * one item the user never interacted with, −log σ(r_pos) − log(1 − σ(r_neg)), written with softplus for
 * stability; the mean over positions.
 */
export function bceWithNegatives(
  hidden: tf.Tensor2D,
  out: NextItemOutput,
  targets: tf.Tensor1D,
  negatives: tf.Tensor1D,
): tf.Scalar {
  const pos = targetScores(hidden, out, targets);
  const neg = targetScores(hidden, out, negatives);
  return tf.mean(tf.add(tf.softplus(tf.neg(pos)), tf.softplus(neg)));
}

/**
 * Cross-entropy of the full softmax over the catalog (the next-item classification loss that
 * Klenitskiy & Vasilev 2023 show makes SASRec converge faster and rank better than its BCE; GRU4Rec's
 * cross-entropy loss, Hidasi & Czapp 2023, without sampling): the mean over positions of
 * −log softmax(r_p)[target_p]. Cost O(P × nItems × d): right for catalogs of thousands of items.
 */
export function softmaxCrossEntropy(
  hidden: tf.Tensor2D,
  out: NextItemOutput,
  targets: Int32Array,
): tf.Scalar {
  const table =
    out.items.shape[0] === out.nItems
      ? out.items
      : (tf.slice(out.items, [0, 0], [out.nItems, out.items.shape[1]]) as tf.Tensor2D);
  let logits: tf.Tensor2D = tf.matMul(hidden, table, false, true);
  if (out.bias) logits = tf.add(logits, out.bias);
  return classificationLoss(logits, targets);
}

/**
 * Mean −log softmax(logits)[p, targets[p]] with the gradient written out, (softmax − one-hot) / P.
 * TF.js's own route (logSumExp) differentiates through its max with an Equal over the whole
 * [P, nItems] matrix, which on wasm took longer than the rest of a SASRec step together; the softmax
 * kernel is native on every backend. The loss value (clamped at p = 1e-30) is only reported.
 */
function classificationLoss(logits: tf.Tensor2D, targets: Int32Array): tf.Scalar {
  const [rows, classes] = logits.shape;
  const picked = Int32Array.from(targets, (t, p) => p * classes + t);
  // customGrad passes the inputs and then the save function in one rest array, typed as their union.
  const loss = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const probs = tf.softmax(x);
    save([probs]);
    const p = tf.gather(tf.reshape(probs, [-1]), tf.tensor1d(picked, 'int32'));
    return {
      value: tf.neg(tf.mean(tf.log(tf.maximum(p, 1e-30)))) as tf.Scalar,
      gradFunc: (dy, saved) => {
        // int32 then cast: tfjs-backend-wasm 4.22's OneHot with dtype float32 returns all zeros.
        const oneHot = tf.cast(tf.oneHot(tf.tensor1d(targets, 'int32'), classes), 'float32');
        return tf.mul(tf.sub(saved[0], oneHot), tf.div(dy, rows));
      },
    };
  });
  return loss(logits) as tf.Scalar;
}

/**
 * Sampled softmax: cross-entropy of each position's target against `negatives` items shared by the
 * batch (Jean et al. 2015; GRU4Rec's "additional samples", Hidasi & Karatzoglou 2018), over
 * [r_target, r_neg_1 .. r_neg_K]. Negatives are uniform, so no log-Q correction is needed; a negative
 * equal to the position's target (`collisions` [P, K] = 1) is left out. O(P × K × d) instead of the full
 * softmax's O(P × nItems × d).
 */
export function sampledSoftmax(
  hidden: tf.Tensor2D,
  out: NextItemOutput,
  targets: tf.Tensor1D,
  negatives: tf.Tensor1D,
  collisions: tf.Tensor2D,
): tf.Scalar {
  const pos: tf.Tensor2D = tf.expandDims(targetScores(hidden, out, targets), 1);
  let neg: tf.Tensor2D = tf.matMul(hidden, tf.gather(out.items, negatives), false, true);
  if (out.bias) neg = tf.add(neg, tf.gather(out.bias, negatives));
  const logits = tf.concat([pos, tf.sub(neg, tf.mul(collisions, 1e9))], 1) as tf.Tensor2D;
  return classificationLoss(logits, new Int32Array(logits.shape[0]));
}

/**
 * BPR-max (Hidasi & Karatzoglou 2018, "Recurrent Neural Networks with Top-k Gains", eq. 9–10) against
 * `negatives` items shared by the batch: with s_j = softmax_j(r_j) over the negatives,
 *   L = −log Σ_j s_j σ(r_target − r_j) + λ Σ_j s_j r_j².
 * `collisions` [P, K] is 1 where a negative equals the position's target: such a pair is left out.
 */
export function bprMax(
  hidden: tf.Tensor2D,
  out: NextItemOutput,
  targets: tf.Tensor1D,
  negatives: tf.Tensor1D,
  collisions: tf.Tensor2D,
  regularization: number,
): tf.Scalar {
  const pos = targetScores(hidden, out, targets);
  let neg = tf.matMul(hidden, tf.gather(out.items, negatives), false, true); // [P, K]
  if (out.bias) neg = tf.add(neg, tf.gather(out.bias, negatives));
  const weights = tf.softmax(tf.sub(neg, tf.mul(collisions, 1e9)));
  const ranked = tf.sum(tf.mul(weights, tf.sigmoid(tf.sub(tf.expandDims(pos, 1), neg))), 1);
  const loss = tf.neg(tf.log(tf.add(ranked, 1e-24)));
  const penalty = tf.mul(tf.sum(tf.mul(weights, tf.square(neg)), 1), regularization);
  return tf.mean(tf.add(loss, penalty));
}

/** The next-item losses a sequential model can train with. */
export type NextItemLossKind = 'bce' | 'cross-entropy' | 'sampled-softmax' | 'bpr-max';

/**
 * The loss of a batch of windows: `hidden` holds every position's state [rows · length, d]; positions
 * without a target (padding) are left out here, the rest go to the loss `kind` with the batch's
 * negatives (per position for BCE, shared by the batch for sampled softmax and BPR-max).
 */
export function nextItemLoss(
  kind: NextItemLossKind,
  hidden: tf.Tensor2D,
  out: NextItemOutput,
  batch: SequenceBatch,
  bprMaxRegularization = 0,
): tf.Scalar {
  const positions: number[] = [];
  for (let k = 0; k < batch.targets.length; k++) if (batch.targets[k] !== PAD) positions.push(k);
  if (positions.length === 0) throw new RangeError('nextItemLoss: a batch without targets');
  const where = tf.tensor1d(positions, 'int32');
  const states = tf.gather(hidden, where);
  const targets = Int32Array.from(positions, (k) => batch.targets[k]);
  const t = tf.tensor1d(targets, 'int32');
  switch (kind) {
    case 'bce': {
      if (batch.negativesPerPosition < 1)
        throw new RangeError('nextItemLoss: BCE needs negatives per position');
      const negatives = Int32Array.from(positions, (k) => batch.negatives[k * batch.negativesPerPosition]);
      return bceWithNegatives(states, out, t, tf.tensor1d(negatives, 'int32'));
    }
    case 'cross-entropy':
      return softmaxCrossEntropy(states, out, targets);
    case 'sampled-softmax':
    case 'bpr-max': {
      const shared = batch.sharedNegatives;
      if (shared.length === 0) throw new RangeError(`nextItemLoss: ${kind} needs shared negatives`);
      const collisions = new Float32Array(targets.length * shared.length);
      for (let p = 0; p < targets.length; p++)
        for (let j = 0; j < shared.length; j++)
          if (shared[j] === targets[p]) collisions[p * shared.length + j] = 1;
      const negatives = tf.tensor1d(shared, 'int32');
      const collided = tf.tensor2d(collisions, [targets.length, shared.length]);
      return kind === 'bpr-max'
        ? bprMax(states, out, t, negatives, collided, bprMaxRegularization)
        : sampledSoftmax(states, out, t, negatives, collided);
    }
  }
}
