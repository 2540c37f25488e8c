/**
 * Early stopping on a validation metric where higher is better (Prechelt 1998, "Early Stopping — But
 * When?"): training stops after `patience` epochs without an improvement of more than `minDelta` over
 * the best value so far; the best epoch's weights are what the caller keeps.
 */
export class EarlyStopping {
  private best = -Infinity;
  private bestEpoch = -1;
  private sinceBest = 0;

  constructor(
    readonly patience: number,
    readonly minDelta = 0,
  ) {
    if (!Number.isInteger(patience) || patience < 1)
      throw new RangeError(`patience must be ≥ 1, got ${patience}`);
  }

  /** Records an epoch's metric; returns whether it is a new best. */
  update(epoch: number, value: number): boolean {
    if (Number.isFinite(value) && value > this.best + this.minDelta) {
      this.best = value;
      this.bestEpoch = epoch;
      this.sinceBest = 0;
      return true;
    }
    this.sinceBest++;
    return false;
  }

  get shouldStop(): boolean {
    return this.sinceBest >= this.patience;
  }

  get bestValue(): number {
    return this.best;
  }

  /** The best epoch (1-based as reported), or -1 before any finite value. */
  get bestEpochNumber(): number {
    return this.bestEpoch;
  }
}
