import type { CandidateSource } from '../contract';
import { primaryCategory, serviceName, type CatalogSnapshot } from '../catalog/catalog-snapshot';
import { ANCHOR_VIEWED } from '../candidates/candidate-set';
import type { ItemAffinity } from './item-affinity';

export interface ExplanationContext {
  catalog: CatalogSnapshot;
  /** The user's most recently used services (catalog indexes), most recent first. */
  used: readonly number[];
  affinity: ItemAffinity;
  /** Whether the model ranked the list for this user. */
  personalised: boolean;
}

export interface ExplainedCandidate {
  item: number;
  source: CandidateSource;
  anchor: number;
  anchorKind: number;
  /** Whether the service is among the currently trending candidates. */
  trending: boolean;
}

/**
 * The reasons shown with a recommendation, most specific first:
 * - model: "Because you used <the used service most like it>" (item-affinity.ts), else "Recommended for you";
 * - similar / content: "Similar to <anchor> you viewed" or "Because you used <anchor>";
 * - trending: "Trending in <category>"; popular: "Popular with users like you" for a personalised list,
 *   else "Popular in <category>"; exploration: "New on the marketplace";
 * then "Trending in <category>" as a second reason for a trending service found by another source.
 */
export function explain(ctx: ExplanationContext, c: ExplainedCandidate): string[] {
  const reasons: string[] = [];
  const category = primaryCategory(ctx.catalog, c.item);
  const trendingReason = category ? `Trending in ${category}` : 'Trending now';
  switch (c.source) {
    case 'model': {
      const nearest = mostAlike(ctx, c.item);
      reasons.push(
        nearest >= 0 ? `Because you used ${serviceName(ctx.catalog, nearest)}` : 'Recommended for you',
      );
      break;
    }
    case 'similar':
    case 'content':
      if (c.anchor < 0) reasons.push('Similar to services you used');
      else if (c.anchorKind === ANCHOR_VIEWED)
        reasons.push(`Similar to ${serviceName(ctx.catalog, c.anchor)} you viewed`);
      else reasons.push(`Because you used ${serviceName(ctx.catalog, c.anchor)}`);
      break;
    case 'trending':
      reasons.push(trendingReason);
      break;
    case 'popular':
      reasons.push(
        ctx.personalised
          ? 'Popular with users like you'
          : category
            ? `Popular in ${category}`
            : 'Popular on the marketplace',
      );
      break;
    case 'exploration':
      reasons.push('New on the marketplace');
      break;
  }
  if (c.source !== 'trending' && c.trending) reasons.push(trendingReason);
  return reasons;
}

/** The used service most alike to `item`, or -1 without history. */
function mostAlike(ctx: ExplanationContext, item: number): number {
  let best = -1;
  let bestValue = -Infinity;
  for (const u of ctx.used) {
    const v = ctx.affinity(u, item);
    if (v > bestValue) {
      best = u;
      bestValue = v;
    }
  }
  return best;
}
