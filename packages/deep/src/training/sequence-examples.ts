import { Rng, type NegativeSampler, type UserSequences } from '@recsys/data';

/** The padding value of every padded item sequence (inputs, stored histories, the ONNX graphs' input). */
export const PAD = -1;

/**
 * One batch of next-item training windows: `rows` sequences of `length` positions, left-padded with
 * PAD so the most recent item sits last. `targets[r·length + t]` is the item that followed input
 * position t (PAD where the input is padding). Typed arrays only; the model makes tensors per step.
 */
export interface SequenceBatch {
  rows: number;
  length: number;
  /** The user of each row (for per-user negative sampling). */
  users: Int32Array;
  inputs: Int32Array;
  targets: Int32Array;
  /** Per target position, `negativesPerPosition` items the user never interacted with (else empty). */
  negatives: Int32Array;
  negativesPerPosition: number;
  /** Items drawn uniformly for the whole batch (GRU4Rec's "additional samples"; else empty). */
  sharedNegatives: Int32Array;
}

/** How a batch's negatives are drawn, if the loss needs them. */
export interface SequenceNegatives {
  /** Per target position, from the user's unseen items (SASRec's BCE: one per position). */
  perPosition?: { sampler: NegativeSampler; count: number };
  /** Shared by every position of the batch, uniform over the catalog (BPR-max). */
  shared?: { count: number; items: number };
}

/**
 * Next-item training windows over users' time-ordered sequences (SASRec and GRU4Rec both train on
 * every position: input item t predicts item t+1). A user's sequence of n ≥ 2 items is cut from its end
 * into windows of `maxLen` inputs whose targets do not overlap, so each training event is a target once
 * per epoch: the last window's inputs are items n−1−maxLen .. n−2 and its targets n−maxLen .. n−1.
 * Windows are shuffled each epoch with a seeded Rng; negatives are drawn per batch, seeded too.
 */
export class SequenceExamples {
  /** Window w covers positions [starts[w], ends[w]) of its user's sequence as targets. */
  private readonly windowUsers: Int32Array;
  private readonly windowEnds: Int32Array;
  private readonly rng: Rng;
  private readonly negativeRng: Rng;

  constructor(
    private readonly sequences: UserSequences,
    readonly maxLen: number,
    seed: number,
    private readonly negatives: SequenceNegatives = {},
  ) {
    if (!Number.isInteger(maxLen) || maxLen < 1) throw new RangeError(`maxLen must be ≥ 1, got ${maxLen}`);
    const users: number[] = [];
    const ends: number[] = [];
    const nUsers = sequences.indptr.length - 1;
    for (let u = 0; u < nUsers; u++) {
      const start = sequences.indptr[u];
      // Targets are positions start+1 .. end-1 (absolute); cut from the end.
      for (let end = sequences.indptr[u + 1]; end - 1 > start; end -= maxLen) {
        users.push(u);
        ends.push(end);
      }
    }
    this.windowUsers = Int32Array.from(users);
    this.windowEnds = Int32Array.from(ends);
    this.rng = new Rng(seed);
    this.negativeRng = new Rng(seed + 1);
  }

  /** Windows per epoch. */
  get windows(): number {
    return this.windowUsers.length;
  }

  /** Target positions per epoch (every training event but each user's first). */
  get targets(): number {
    let n = 0;
    const nUsers = this.sequences.indptr.length - 1;
    for (let u = 0; u < nUsers; u++)
      n += Math.max(0, this.sequences.indptr[u + 1] - this.sequences.indptr[u] - 1);
    return n;
  }

  /** A new epoch: the windows shuffled, in batches of at most `batchSize` rows. */
  *epoch(batchSize: number): Generator<SequenceBatch> {
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new RangeError(`batchSize must be ≥ 1, got ${batchSize}`);
    const order = Int32Array.from({ length: this.windows }, (_, w) => w);
    this.rng.shuffle(order);
    for (let start = 0; start < order.length; start += batchSize) {
      yield this.batch(order.subarray(start, Math.min(order.length, start + batchSize)));
    }
  }

  private batch(windows: Int32Array): SequenceBatch {
    const L = this.maxLen;
    const rows = windows.length;
    const users = new Int32Array(rows);
    const inputs = new Int32Array(rows * L).fill(PAD);
    const targets = new Int32Array(rows * L).fill(PAD);
    const items = this.sequences.items;
    for (let r = 0; r < rows; r++) {
      const w = windows[r];
      const u = this.windowUsers[w];
      users[r] = u;
      const end = this.windowEnds[w];
      const first = Math.max(this.sequences.indptr[u], end - 1 - L); // first input position
      const count = end - 1 - first;
      const offset = r * L + (L - count);
      inputs.set(items.subarray(first, end - 1), offset);
      targets.set(items.subarray(first + 1, end), offset);
    }
    let negatives: Int32Array = new Int32Array(0);
    let negativesPerPosition = 0;
    const perPosition = this.negatives.perPosition;
    if (perPosition !== undefined) {
      negativesPerPosition = perPosition.count;
      const owners = new Int32Array(rows * L);
      for (let r = 0; r < rows; r++) owners.fill(users[r], r * L, (r + 1) * L);
      negatives = perPosition.sampler.sampleBatch(owners, perPosition.count);
    }
    let sharedNegatives = new Int32Array(0);
    const shared = this.negatives.shared;
    if (shared !== undefined) {
      sharedNegatives = new Int32Array(shared.count);
      for (let k = 0; k < shared.count; k++) sharedNegatives[k] = this.negativeRng.int(shared.items);
    }
    return { rows, length: L, users, inputs, targets, negatives, negativesPerPosition, sharedNegatives };
  }
}

/**
 * Each user's last `maxLen` items, left-padded with PAD: rows × maxLen (what a sequential model keeps
 * of its training data to score a known user).
 */
export function lastItems(sequences: UserSequences, maxLen: number): Int32Array {
  const nUsers = sequences.indptr.length - 1;
  const out = new Int32Array(nUsers * maxLen).fill(PAD);
  for (let u = 0; u < nUsers; u++) {
    const end = sequences.indptr[u + 1];
    const start = Math.max(sequences.indptr[u], end - maxLen);
    out.set(sequences.items.subarray(start, end), u * maxLen + maxLen - (end - start));
  }
  return out;
}

/** The last `maxLen` items of one sequence, left-padded with PAD, into `out` (from `offset`). */
export function padSequence(
  items: ArrayLike<number>,
  maxLen: number,
  out: Int32Array = new Int32Array(maxLen),
  offset = 0,
): Int32Array {
  const n = Math.min(items.length, maxLen);
  out.fill(PAD, offset, offset + maxLen - n);
  for (let k = 0; k < n; k++) out[offset + maxLen - n + k] = items[items.length - n + k];
  return out;
}
