import * as tf from '@tensorflow/tfjs';
import { addDense, dense } from '../nn/layers';
import { ParameterStore } from '../nn/parameter-store';
import { PAD, type SequenceBatch } from '../training/sequence-examples';
import { nextItemLoss, type NextItemLossKind } from '../training/sequence-losses';
import type { SequenceNetwork } from '../training/sequence-network';

/** The architecture of a SASRec network (sizes only; weights live in the ParameterStore). */
export interface SasRecArchitecture {
  items: number;
  /** Positions of the input sequence (the last `maxLen` items of a history). */
  maxLen: number;
  /** Embedding and hidden size d. */
  dim: number;
  /** Self-attention blocks stacked. */
  blocks: number;
  /** Attention heads per block (d must divide by it). */
  heads: number;
  /** Dropout on the embeddings, attention weights and each sub-layer's output. */
  dropout: number;
  loss: Extract<NextItemLossKind, 'bce' | 'cross-entropy' | 'sampled-softmax'>;
  seed: number;
}

/** Layer normalisation's ε (ONNX LayerNormalization's default; the exported graph uses the same). */
export const SASREC_LAYER_NORM_EPSILON = 1e-5;
/** The additive attention mask of a forbidden (future or padding) key: exp(−1e9 − max) is exactly 0. */
export const SASREC_MASKED = -1e9;

/**
 * SASRec (Kang & McAuley 2018, "Self-Attentive Sequential Recommendation", ICDM), the paper's §III:
 *   E_t = M_{s_t} · √d + P_t                                 (item + learned position embeddings)
 *   per block:  x ← x + Dropout(SA(LN(x)))                   (causal self-attention, eq. 2–4)
 *               x ← x + Dropout(FFN(LN(x)))                  (point-wise ReLU FFN, eq. 5)
 *               x ← x ⊙ mask                                 (padding positions stay 0)
 *   F = LN(x);  r_{t,i} = F_t · M_i                          (the shared item embedding, §III-E)
 * SA(X) = softmax(Q Kᵀ/√d_h + causal + padding) V with Q, K, V = X·W + b, per head, heads concatenated
 * (the paper has one head and no output projection). The table M has a padding row after the items
 * (index `items`, where PAD = −1 lands, as ONNX's Gather also reads −1); its values never reach an
 * output. Scaling by √d follows the authors' code. Weights are drawn from the seed.
 */
export class SasRecNetwork implements SequenceNetwork {
  readonly parameters: ParameterStore;
  readonly output: { items: string; bias: null } = { items: 'item_embedding', bias: null };
  private readonly causal: Float32Array;

  constructor(readonly arch: SasRecArchitecture) {
    const { items, maxLen, dim, blocks, heads } = arch;
    if (dim % heads !== 0) throw new RangeError(`sasrec: dim ${dim} is not divisible by ${heads} heads`);
    const p = new ParameterStore(arch.seed);
    p.add('item_embedding', [items + 1, dim], { kind: 'glorot-uniform' });
    p.add('position_embedding', [maxLen, dim], { kind: 'glorot-uniform' });
    for (let b = 0; b < blocks; b++) {
      addLayerNorm(p, `block_${b}_attention_norm`, dim);
      for (const w of ['query', 'key', 'value']) addDense(p, `block_${b}_${w}`, dim, dim);
      addLayerNorm(p, `block_${b}_ffn_norm`, dim);
      addDense(p, `block_${b}_ffn_0`, dim, dim);
      addDense(p, `block_${b}_ffn_1`, dim, dim);
    }
    addLayerNorm(p, 'final_norm', dim);
    this.parameters = p;
    this.causal = causalMask(maxLen);
  }

  get maxLen(): number {
    return this.arch.maxLen;
  }

  get items(): number {
    return this.arch.items;
  }

  get dim(): number {
    return this.arch.dim;
  }

  /** F: the hidden state of every position, [rows · maxLen, dim] (call inside tf.tidy). */
  hidden(sequences: Int32Array, rows: number, training: boolean, step: number): tf.Tensor2D {
    const { items, maxLen: L, dim: d, heads, blocks, dropout: rate } = this.arch;
    const p = this.parameters;
    const dh = d / heads;
    const size = rows * L;
    const rowsOf = new Int32Array(size);
    const mask = new Float32Array(size);
    const keyBias = new Float32Array(size);
    for (let k = 0; k < size; k++) {
      const real = sequences[k] !== PAD;
      rowsOf[k] = real ? sequences[k] : items;
      mask[k] = real ? 1 : 0;
      keyBias[k] = real ? 0 : SASREC_MASKED;
    }
    let site = 0;
    const drop = <T extends tf.Tensor>(x: T): T =>
      training && rate > 0
        ? (tf.dropout(x, rate, undefined, dropoutSeed(this.arch.seed, step, site++)) as T)
        : x;
    const positionMask = tf.tensor3d(mask, [rows, L, 1]);
    // [rows, 1, 1, L] + [L, L]: a query sees keys at or before it that are not padding.
    const attentionMask = tf.add(tf.tensor4d(keyBias, [rows, 1, 1, L]), tf.tensor2d(this.causal, [L, L]));

    const embedded = tf.mul(tf.gather(p.get('item_embedding'), tf.tensor1d(rowsOf, 'int32')), Math.sqrt(d));
    let x: tf.Tensor3D = tf.add(tf.reshape(embedded, [rows, L, d]), p.get('position_embedding'));
    x = tf.mul(drop(x), positionMask);
    const flat = (t: tf.Tensor3D): tf.Tensor2D => tf.reshape(t, [size, d]);
    const splitHeads = (t: tf.Tensor2D): tf.Tensor3D =>
      tf.reshape(tf.transpose(tf.reshape(t, [rows, L, heads, dh]), [0, 2, 1, 3]), [rows * heads, L, dh]);
    for (let b = 0; b < blocks; b++) {
      const h = flat(layerNorm(p, `block_${b}_attention_norm`, x));
      const q = splitHeads(dense(p, `block_${b}_query`, h));
      const k = splitHeads(dense(p, `block_${b}_key`, h));
      const v = splitHeads(dense(p, `block_${b}_value`, h));
      const logits = tf.reshape(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), [rows, heads, L, L]);
      const weights = drop(tf.softmax(tf.add(logits, attentionMask)));
      const attended = tf.matMul(tf.reshape(weights, [rows * heads, L, L]), v);
      const merged = tf.reshape(tf.transpose(tf.reshape(attended, [rows, heads, L, dh]), [0, 2, 1, 3]), [
        rows,
        L,
        d,
      ]);
      x = tf.add(x, drop(merged));
      const g = flat(layerNorm(p, `block_${b}_ffn_norm`, x));
      const ffn = dense(p, `block_${b}_ffn_1`, tf.relu(dense(p, `block_${b}_ffn_0`, g)));
      x = tf.mul(tf.add(x, drop(tf.reshape(ffn, [rows, L, d]))), positionMask);
    }
    return flat(layerNorm(p, 'final_norm', x));
  }

  /** The hidden state after each sequence's last position, [rows, dim] (inference: no dropout). */
  encode(sequences: Int32Array, rows: number): tf.Tensor2D {
    const { maxLen: L, dim: d } = this.arch;
    const all = tf.reshape(this.hidden(sequences, rows, false, 0), [rows, L, d]);
    return tf.reshape(tf.slice(all, [0, L - 1, 0], [rows, 1, d]), [rows, d]);
  }

  loss(batch: SequenceBatch, step: number): tf.Scalar {
    const hidden = this.hidden(batch.inputs, batch.rows, true, step);
    const out = { items: this.parameters.get('item_embedding') as tf.Tensor2D, nItems: this.arch.items };
    return nextItemLoss(this.arch.loss, hidden, out, batch);
  }

  dispose(): void {
    this.parameters.dispose();
  }
}

/** Adds LayerNorm weights: `${name}_gamma` (ones) and `${name}_beta` (zeros). */
function addLayerNorm(p: ParameterStore, name: string, dim: number): void {
  const gamma = p.add(`${name}_gamma`, [dim], { kind: 'zeros' });
  tf.tidy(() => gamma.assign(tf.ones([dim])));
  p.add(`${name}_beta`, [dim], { kind: 'zeros' });
}

/** Ba, Kiros & Hinton 2016 over the last axis: (x − μ)/√(σ² + ε) · γ + β. */
function layerNorm(p: ParameterStore, name: string, x: tf.Tensor3D): tf.Tensor3D {
  const { mean, variance } = tf.moments(x, -1, true);
  const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, SASREC_LAYER_NORM_EPSILON)));
  return tf.add(tf.mul(normed, p.get(`${name}_gamma`)), p.get(`${name}_beta`));
}

/** [L, L]: 0 where key j ≤ query i, SASREC_MASKED after it (no attention to the future). */
export function causalMask(length: number): Float32Array {
  const m = new Float32Array(length * length);
  for (let i = 0; i < length; i++) for (let j = i + 1; j < length; j++) m[i * length + j] = SASREC_MASKED;
  return m;
}

/** A distinct dropout seed per (run seed, step, dropout site). */
function dropoutSeed(seed: number, step: number, site: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 31) + step * 64 + site) >>> 0;
}
