import { SOURCE } from './candidate-set';
import type { CandidateContext } from './candidate-context';
import type { UserTopItems } from './user-top-items';

/**
 * The model's own top-`n` for the user (training items and disallowed items excluded by the model layer),
 * from the per-user memo when the engine keeps one.
 */
export function addModelCandidates(ctx: CandidateContext, n: number, memo: UserTopItems | null): void {
  const { served, mapping, modelAllowed, userIndex, set } = ctx;
  if (!served || !mapping || !modelAllowed || userIndex < 0 || n === 0) return;
  const top = memo
    ? memo.topAllowed(served, userIndex, n, modelAllowed)
    : served.model.recommend(userIndex, n, { excludeSeen: true, filter: modelAllowed });
  const best = top.scores.length > 0 ? Math.abs(top.scores[0]) || 1 : 1;
  for (let r = 0; r < top.items.length; r++) {
    const c = mapping.modelToCatalog[top.items[r]];
    if (c >= 0) set.add(c, SOURCE.model, Math.max(0, top.scores[r] / best));
  }
}
