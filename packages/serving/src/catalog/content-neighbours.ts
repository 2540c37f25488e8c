import { topK, type ScoredItems } from '@recsys/models';
import type { CatalogSnapshot } from './catalog-snapshot';
import { contentSimilarities } from './content-similarity';

/** An anchor's content neighbours, best first; `complete` when no other service shares anything with it. */
export interface RankedNeighbours extends ScoredItems {
  complete: boolean;
}

const built = new WeakMap<CatalogSnapshot, Map<number, RankedNeighbours>>();

/**
 * The `depth` services most like `anchor` by category and tag similarity (content-similarity.ts), best
 * first, ties by catalog index (topK's order), kept for the snapshot's life: a snapshot never changes, and
 * recomputing similarity over the whole catalog per anchor per request was a large part of an uncached
 * request. A request keeps the first allowed entries, which is exactly the top-k over the allowed
 * services as long as enough of them are in the list (`complete`, or the caller falls back).
 * Memory: catalog size × depth × 8 bytes at most (10,000 services at depth 80: 6.4 MB).
 */
export function rankedContentNeighbours(
  catalog: CatalogSnapshot,
  anchor: number,
  depth: number,
): RankedNeighbours {
  let lists = built.get(catalog);
  if (lists === undefined) {
    lists = new Map();
    built.set(catalog, lists);
  }
  let ranked = lists.get(anchor);
  if (ranked === undefined || (!ranked.complete && ranked.items.length < depth)) {
    const near = contentSimilarities(catalog, anchor);
    const top =
      near.items.length > 0
        ? topK(near.scores, depth, near.items)
        : { items: new Int32Array(0), scores: new Float32Array(0) };
    ranked = { items: top.items, scores: top.scores, complete: near.items.length <= depth };
    lists.set(anchor, ranked);
  }
  return ranked;
}
