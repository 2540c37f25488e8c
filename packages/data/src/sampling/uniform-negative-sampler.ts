import type { CsrMatrix } from '../matrix/csr';
import { NegativeSampler, type NegativeSamplerOptions } from './negative-sampler';

/** Negatives drawn uniformly from the items a user has not interacted with (BPR's original sampler). */
export class UniformNegativeSampler extends NegativeSampler {
  constructor(positives: CsrMatrix, options: NegativeSamplerOptions) {
    super(positives, options);
    if (positives.cols === 0) throw new RangeError('UniformNegativeSampler: the matrix has no items');
  }

  protected drawItem(): number {
    return Math.floor(this.rng.nextFast() * this.positives.cols);
  }

  protected weight(_item: number): number {
    return 1;
  }

  protected get totalWeight(): number {
    return this.positives.cols;
  }
}
