import { SOURCE } from './candidate-set';
import type { CandidateContext } from './candidate-context';
import { forEachTopAllowed, rankedSignal } from './ranked-signal';

/** The `n` most trending allowed services (time-decayed recent demand, signals/trending-scores.ts). */
export function addTrendingCandidates(ctx: CandidateContext, trending: Float32Array, n: number): void {
  if (n === 0) return;
  forEachTopAllowed(rankedSignal(trending), ctx.allowed, n, (item, strength) =>
    ctx.set.add(item, SOURCE.trending, strength),
  );
}
