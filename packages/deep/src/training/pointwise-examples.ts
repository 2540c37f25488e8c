import { type CsrMatrix, type NegativeSampler, Rng } from '@recsys/data';

/** One batch of pointwise examples: (user, item, label ∈ {0, 1}) triples as parallel views. */
export interface PointwiseBatch {
  users: Int32Array;
  items: Int32Array;
  labels: Float32Array;
}

/**
 * The pointwise training set of NCF (He et al. 2017, §3.1.1): every observed (u, i) of `positives` with
 * label 1 plus `negatives` items per positive drawn by `sampler` with label 0, drawn afresh each epoch
 * and shuffled with a seeded Rng. Typed arrays only; tensors are made per batch by the trainer.
 */
export class PointwiseExamples {
  private readonly posUsers: Int32Array;
  private readonly posItems: Int32Array;
  private readonly rng: Rng;

  constructor(
    positives: CsrMatrix,
    private readonly sampler: NegativeSampler,
    readonly negatives: number,
    seed: number,
  ) {
    const nnz = positives.indptr[positives.rows];
    this.posUsers = new Int32Array(nnz);
    this.posItems = positives.indices.slice(0, nnz);
    for (let u = 0; u < positives.rows; u++)
      this.posUsers.fill(u, positives.indptr[u], positives.indptr[u + 1]);
    this.rng = new Rng(seed);
  }

  get positives(): number {
    return this.posUsers.length;
  }

  /** Examples per epoch: positives × (1 + negatives). */
  get size(): number {
    return this.posUsers.length * (1 + this.negatives);
  }

  /** A new epoch's examples (fresh negatives), shuffled. */
  epoch(): PointwiseBatch {
    const p = this.posUsers.length;
    const n = this.negatives;
    const size = this.size;
    const negItems = this.sampler.sampleBatch(this.posUsers, n);
    const order = new Int32Array(size);
    for (let k = 0; k < size; k++) order[k] = k;
    this.rng.shuffle(order);
    const users = new Int32Array(size);
    const items = new Int32Array(size);
    const labels = new Float32Array(size);
    for (let k = 0; k < size; k++) {
      const e = order[k];
      if (e < p) {
        users[k] = this.posUsers[e];
        items[k] = this.posItems[e];
        labels[k] = 1;
      } else {
        const q = e - p; // q-th negative: of positive ⌊q / n⌋
        users[k] = this.posUsers[Math.floor(q / n)];
        items[k] = negItems[q];
      }
    }
    return { users, items, labels };
  }
}

/** Consecutive batches of `batchSize` (the last may be smaller), as views of `all`. */
export function* batchesOf(all: PointwiseBatch, batchSize: number): Generator<PointwiseBatch> {
  const n = all.users.length;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    yield {
      users: all.users.subarray(start, end),
      items: all.items.subarray(start, end),
      labels: all.labels.subarray(start, end),
    };
  }
}
