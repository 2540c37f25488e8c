import { SOURCE } from './candidate-set';
import type { CandidateContext } from './candidate-context';

/**
 * The `n` newest allowed services that the model has never seen (all services when no model is loaded):
 * new services get impressions, hence the data that brings them into the next model.
 */
export function addExplorationCandidates(ctx: CandidateContext, n: number): void {
  if (n === 0) return;
  const c2m = ctx.mapping?.catalogToModel ?? null;
  let taken = 0;
  for (let k = 0; k < ctx.catalog.newestFirst.length && taken < n; k++) {
    const c = ctx.catalog.newestFirst[k];
    if (ctx.allowed[c] === 0 || (c2m !== null && c2m[c] >= 0)) continue;
    ctx.set.add(c, SOURCE.exploration, 1 - taken / n);
    taken++;
  }
}
