import { SOURCE } from './candidate-set';
import type { CandidateContext } from './candidate-context';
import { forEachTopAllowed, rankedSignal } from './ranked-signal';

/** The `n` allowed services with the most distinct users of all time. */
export function addPopularCandidates(ctx: CandidateContext, n: number): void {
  if (n === 0) return;
  forEachTopAllowed(rankedSignal(ctx.catalog.popularity), ctx.allowed, n, (item, strength) =>
    ctx.set.add(item, SOURCE.popular, strength),
  );
}
