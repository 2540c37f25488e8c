import * as tf from '@tensorflow/tfjs';
import { addDense, dense } from '../nn/layers';
import { ParameterStore } from '../nn/parameter-store';
import { PAD, type SequenceBatch } from '../training/sequence-examples';
import { nextItemLoss, type NextItemLossKind } from '../training/sequence-losses';
import type { SequenceNetwork } from '../training/sequence-network';

/** The architecture of a GRU4Rec network (sizes only; weights live in the ParameterStore). */
export interface Gru4RecArchitecture {
  items: number;
  /** Positions of the input sequence (the last `maxLen` items of a history or session). */
  maxLen: number;
  /** Size of the input item embedding. */
  embeddingDim: number;
  /** Hidden units of each stacked GRU layer. */
  layers: number[];
  /** Dropout on the input embeddings, and on each GRU layer's output. */
  embeddingDropout: number;
  hiddenDropout: number;
  loss: Extract<NextItemLossKind, 'cross-entropy' | 'sampled-softmax' | 'bpr-max'>;
  /** λ of BPR-max's score regularisation. */
  bprMaxRegularization: number;
  seed: number;
}

/**
 * GRU4Rec (Hidasi, Karatzoglou, Baltrunas, Tikk 2016, "Session-based Recommendations with Recurrent
 * Neural Networks"; Hidasi & Karatzoglou 2018, "Recurrent Neural Networks with Top-k Gains"): item
 * embeddings feed stacked GRU layers, and the last layer's state h_t scores item i as
 * h_t · W_i + b_i (the feed-forward output layer, one row and bias per item).
 *
 * Each GRU layer is ONNX's GRU with linear_before_reset = 1 (cuDNN's and Keras's reset_after), gates
 * packed [z | r | h] in the kernels, so the export can use ONNX's GRU op as it is:
 *   z = σ(x W_z + b_z + h R_z + c_z),   r = σ(x W_r + b_r + h R_r + c_r),
 *   ĥ = tanh(x W_h + b_h + r ⊙ (h R_h + c_h)),   h' = (1 − z) ⊙ ĥ + z ⊙ h.
 * Sequences are left-padded with PAD: at a padding step the state is carried unchanged (it stays at
 * the initial zeros until the first item), so a padded sequence's last state is that of its items alone.
 */
export class Gru4RecNetwork implements SequenceNetwork {
  readonly parameters: ParameterStore;
  readonly output = { items: 'output_embedding', bias: 'output_bias' } as const;

  constructor(readonly arch: Gru4RecArchitecture) {
    if (arch.layers.length === 0) throw new RangeError('gru4rec: at least one GRU layer');
    const p = new ParameterStore(arch.seed);
    p.add('item_embedding', [arch.items + 1, arch.embeddingDim], { kind: 'glorot-uniform' });
    let width = arch.embeddingDim;
    arch.layers.forEach((units, l) => {
      addDense(p, `gru_${l}_input`, width, 3 * units);
      addDense(p, `gru_${l}_recurrent`, units, 3 * units);
      width = units;
    });
    p.add('output_embedding', [arch.items, width], { kind: 'glorot-uniform' });
    p.add('output_bias', [arch.items], { kind: 'zeros' });
    this.parameters = p;
  }

  get maxLen(): number {
    return this.arch.maxLen;
  }

  get items(): number {
    return this.arch.items;
  }

  get dim(): number {
    return this.arch.layers[this.arch.layers.length - 1];
  }

  /**
   * The last layer's state at every position, [rows · maxLen, dim], or only after the last position
   * ([rows, dim]) when `lastOnly` (call inside tf.tidy).
   */
  states(
    sequences: Int32Array,
    rows: number,
    training: boolean,
    step: number,
    lastOnly: boolean,
  ): tf.Tensor2D {
    const { items, maxLen: L, layers, embeddingDropout, hiddenDropout } = this.arch;
    const p = this.parameters;
    const size = rows * L;
    const rowsOf = new Int32Array(size);
    // Steps before `first` are padding in every row: the state stays zero there, so they are skipped.
    let first = L;
    for (let k = 0; k < size; k++) {
      const real = sequences[k] !== PAD;
      rowsOf[k] = real ? sequences[k] : items;
      if (real) first = Math.min(first, k % L);
    }
    if (first === L) first = L - 1; // all padding: one step keeps the zero state
    let site = 0;
    const drop = (x: tf.Tensor2D, rate: number): tf.Tensor2D =>
      training && rate > 0
        ? (tf.dropout(x, rate, undefined, dropoutSeed(this.arch.seed, step, site++)) as tf.Tensor2D)
        : x;
    // The recurrence runs time-major: step t's rows are one contiguous [rows, ·] block, taken with one
    // SplitV (wasm's Unpack of a [rows, L, ·] tensor took a third of a training step).
    const timeMajor = (t: tf.Tensor2D, width: number): tf.Tensor2D[] =>
      tf.split(tf.reshape(tf.transpose(tf.reshape(t, [rows, L, width]), [1, 0, 2]), [L * rows, width]), L, 0);
    let x: tf.Tensor2D = drop(
      tf.gather(p.get('item_embedding'), tf.tensor1d(rowsOf, 'int32')) as tf.Tensor2D,
      embeddingDropout,
    );
    let last: tf.Tensor2D = x;
    for (let l = 0; l < layers.length; l++) {
      const units = layers[l];
      const keepAll = !lastOnly || l < layers.length - 1;
      const inputs = timeMajor(dense(p, `gru_${l}_input`, x), 3 * units);
      // 1 at an item, 0 at padding, per step and already [rows, units] (same-shape products are fast).
      const masks = stepMasks(sequences, rows, L, units);
      const recurrentKernel = p.get(`gru_${l}_recurrent_kernel`) as tf.Tensor2D;
      const recurrentBias = p.get(`gru_${l}_recurrent_bias`) as tf.Tensor1D;
      let h: tf.Tensor2D = tf.zeros([rows, units]);
      const outputs: tf.Tensor2D[] = [];
      for (let t = 0; t < L; t++) {
        if (t >= first) {
          const hp = tf.fused.matMul({ a: h, b: recurrentKernel, bias: recurrentBias });
          const [xzr, xh] = tf.split(inputs[t], [2 * units, units], 1);
          const [hzr, hh] = tf.split(hp, [2 * units, units], 1);
          const [z, r] = tf.split(tf.sigmoid(tf.add(xzr, hzr)), 2, 1);
          const candidate = tf.tanh(tf.add(xh, tf.mul(r, hh)));
          const next: tf.Tensor2D = tf.add(candidate, tf.mul(z, tf.sub(h, candidate)));
          const m = masks[t];
          h = m === null ? next : tf.add(h, tf.mul(m, tf.sub(next, h)));
        }
        if (keepAll) outputs.push(h);
      }
      last = h;
      if (keepAll) {
        const batchMajor = tf.transpose(tf.reshape(tf.concat(outputs, 0), [L, rows, units]), [1, 0, 2]);
        x = drop(tf.reshape(batchMajor, [rows * L, units]), hiddenDropout);
      }
    }
    return lastOnly ? last : x;
  }

  encode(sequences: Int32Array, rows: number): tf.Tensor2D {
    return this.states(sequences, rows, false, 0, true);
  }

  loss(batch: SequenceBatch, step: number): tf.Scalar {
    const hidden = this.states(batch.inputs, batch.rows, true, step, false);
    const out = {
      items: this.parameters.get('output_embedding') as tf.Tensor2D,
      bias: this.parameters.get('output_bias') as tf.Tensor1D,
      nItems: this.arch.items,
    };
    return nextItemLoss(this.arch.loss, hidden, out, batch, this.arch.bprMaxRegularization);
  }

  dispose(): void {
    this.parameters.dispose();
  }
}

/**
 * Per step t, the [rows, units] mask of the rows holding an item at t (null when every row does, so
 * the step needs no masking: the common case once the padding of short windows is behind).
 */
function stepMasks(sequences: Int32Array, rows: number, L: number, units: number): (tf.Tensor2D | null)[] {
  const masks: (tf.Tensor2D | null)[] = [];
  for (let t = 0; t < L; t++) {
    let full = true;
    for (let r = 0; r < rows && full; r++) if (sequences[r * L + t] === PAD) full = false;
    if (full) {
      masks.push(null);
      continue;
    }
    const m = new Float32Array(rows * units);
    for (let r = 0; r < rows; r++) if (sequences[r * L + t] !== PAD) m.fill(1, r * units, (r + 1) * units);
    masks.push(tf.tensor2d(m, [rows, units]));
  }
  return masks;
}

/** A distinct dropout seed per (run seed, step, dropout site). */
function dropoutSeed(seed: number, step: number, site: number): number {
  return (Math.imul(seed ^ 0x85ebca6b, 31) + step * 16 + site) >>> 0;
}
