import type { CsrMatrix } from '../matrix/csr';
import { AliasTable } from './alias-table';
import { NegativeSampler, type NegativeSamplerOptions } from './negative-sampler';

export interface PopularityNegativeSamplerOptions extends NegativeSamplerOptions {
  /** Exponent on the counts; 0.75 as word2vec's unigram^¾ noise distribution. Default 0.75. */
  alpha?: number;
  /** Popularity per item; default: the number of users per item (column counts of `positives`). */
  counts?: ArrayLike<number>;
}

/**
 * Negatives drawn with probability ∝ count_i^alpha among the items a user has not interacted with
 * (Mikolov et al. 2013, "Distributed Representations of Words and Phrases", negative sampling):
 * popular items, the hard negatives, come up more often than under uniform sampling, damped by alpha < 1.
 * Items with count 0 are never drawn. Draws are O(1) from a Walker/Vose alias table.
 */
export class PopularityNegativeSampler extends NegativeSampler {
  readonly alpha: number;
  private readonly weights: Float64Array;
  private readonly table: AliasTable;
  private readonly total: number;

  constructor(positives: CsrMatrix, options: PopularityNegativeSamplerOptions) {
    super(positives, options);
    this.alpha = options.alpha ?? 0.75;
    if (!(this.alpha >= 0))
      throw new RangeError(`PopularityNegativeSampler: alpha must be ≥ 0, got ${this.alpha}`);
    const counts = options.counts ?? columnCounts(positives);
    if (counts.length !== positives.cols) {
      throw new RangeError(`PopularityNegativeSampler: ${counts.length} counts for ${positives.cols} items`);
    }
    this.weights = new Float64Array(positives.cols);
    let total = 0;
    for (let i = 0; i < positives.cols; i++) {
      const c = counts[i];
      this.weights[i] = c > 0 ? Math.pow(c, this.alpha) : 0;
      total += this.weights[i];
    }
    this.total = total;
    this.table = new AliasTable(this.weights);
  }

  protected drawItem(): number {
    return this.table.draw(this.rng);
  }

  protected weight(item: number): number {
    return this.weights[item];
  }

  protected get totalWeight(): number {
    return this.total;
  }
}

/** Stored entries per column: how many users interacted with each item. */
export function columnCounts(m: CsrMatrix): Int32Array {
  const counts = new Int32Array(m.cols);
  const nnz = m.indptr[m.rows];
  for (let k = 0; k < nnz; k++) counts[m.indices[k]]++;
  return counts;
}
