import { topK } from '@recsys/models';
import { contentSimilarities } from '../catalog/content-similarity';
import { SOURCE } from './candidate-set';
import type { CandidateContext } from './candidate-context';

/**
 * Up to `perAnchor` services sharing categories and tags with each anchor, from the live catalog: the way
 * services created after the model was trained reach known users, and the neighbours of anchors the
 * model does not know. Top-k runs over the allowed services that share something with the anchor only.
 */
export function addContentCandidates(ctx: CandidateContext, perAnchor: number): void {
  if (perAnchor === 0) return;
  for (const anchor of ctx.anchors) {
    const near = contentSimilarities(ctx.catalog, anchor.item);
    let m = 0;
    const items = near.items;
    for (let k = 0; k < items.length; k++) if (ctx.allowed[items[k]] === 1) items[m++] = items[k];
    if (m === 0) continue;
    const top = topK(near.scores, perAnchor, items.subarray(0, m));
    for (let r = 0; r < top.items.length; r++)
      ctx.set.add(top.items[r], SOURCE.content, top.scores[r], anchor.item, anchor.kind);
  }
}
