import { topK } from '@recsys/models';
import { rankedContentNeighbours } from '../catalog/content-neighbours';
import { contentSimilarities } from '../catalog/content-similarity';
import { SOURCE } from './candidate-set';
import type { CandidateContext } from './candidate-context';

/** How deep each anchor's remembered neighbour list is, as a multiple of `perAnchor` (at least 64). */
const DEPTH_FACTOR = 8;

/**
 * Up to `perAnchor` services sharing categories and tags with each anchor, from the live catalog: the way
 * services created after the model was trained reach known users, and the neighbours of anchors the
 * model does not know. The first allowed entries of the anchor's remembered ranking
 * (catalog/content-neighbours.ts); when too few of them are allowed, top-k over every allowed service
 * sharing something with the anchor (the same answer, computed in full).
 */
export function addContentCandidates(ctx: CandidateContext, perAnchor: number): void {
  if (perAnchor === 0) return;
  const depth = Math.max(64, DEPTH_FACTOR * perAnchor);
  for (const anchor of ctx.anchors) {
    const ranked = rankedContentNeighbours(ctx.catalog, anchor.item, depth);
    let taken = 0;
    const items = new Int32Array(perAnchor);
    const scores = new Float32Array(perAnchor);
    for (let r = 0; r < ranked.items.length && taken < perAnchor; r++) {
      if (ctx.allowed[ranked.items[r]] !== 1) continue;
      items[taken] = ranked.items[r];
      scores[taken++] = ranked.scores[r];
    }
    const top =
      taken === perAnchor || ranked.complete
        ? { items: items.subarray(0, taken), scores: scores.subarray(0, taken) }
        : fullTopAllowed(ctx, anchor.item, perAnchor);
    for (let r = 0; r < top.items.length; r++)
      ctx.set.add(top.items[r], SOURCE.content, top.scores[r], anchor.item, anchor.kind);
  }
}

function fullTopAllowed(
  ctx: CandidateContext,
  anchor: number,
  perAnchor: number,
): { items: Int32Array; scores: Float32Array } {
  const near = contentSimilarities(ctx.catalog, anchor);
  let m = 0;
  const items = near.items;
  for (let k = 0; k < items.length; k++) if (ctx.allowed[items[k]] === 1) items[m++] = items[k];
  if (m === 0) return { items: new Int32Array(0), scores: new Float32Array(0) };
  return topK(near.scores, perAnchor, items.subarray(0, m));
}
