import { SOURCE } from './candidate-set';
import type { CandidateContext } from './candidate-context';

/**
 * Up to `perAnchor` allowed neighbours of each anchor the model knows (`model.similarItems`), remembering
 * the anchor for the explanation. The model's list ignores the request's mask, so it asks for more.
 */
export function addSimilarCandidates(ctx: CandidateContext, perAnchor: number): void {
  const { served, mapping, allowed, set } = ctx;
  if (!served || !mapping || perAnchor === 0) return;
  for (const anchor of ctx.anchors) {
    const m = mapping.catalogToModel[anchor.item];
    if (m < 0) continue;
    const near = served.neighbours.similar(m, Math.min(perAnchor * 3, served.items.size - 1 || 1));
    const best = near.scores.length > 0 ? Math.abs(near.scores[0]) || 1 : 1;
    let taken = 0;
    for (let r = 0; r < near.items.length && taken < perAnchor; r++) {
      const c = mapping.modelToCatalog[near.items[r]];
      if (c < 0 || allowed[c] === 0) continue;
      set.add(c, SOURCE.similar, Math.max(0, near.scores[r] / best), anchor.item, anchor.kind);
      taken++;
    }
  }
}
