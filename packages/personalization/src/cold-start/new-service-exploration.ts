import { topK } from '@recsys/models';
import type { CatalogView } from '../catalog-view';
import { requireOption } from '../errors';
import { contentSimilarity, type ContentSimilarityWeights } from './content-similarity';

const DAY = 86_400;

/** Feedback collected by a new service while it is explored. */
export interface ExplorationCounts {
  impressions: number;
  clicks: number;
}

export interface NewServiceExplorationOptions {
  /** Scale c of the exploration bonus c · sqrt(ln(N + 2) / (n + 1)). @defaultValue 0.3 */
  bonusScale?: number;
  /** Pseudo-impressions the content prior is worth against observed clicks. @defaultValue 50 */
  priorStrength?: number;
  /** The catalog's usual click-through rate; a service at it counts 0.5, at twice it 1. @defaultValue 0.05 */
  referenceCtr?: number;
  /** A service with this many impressions has collected its feedback and is no longer explored. @defaultValue 2000 */
  maxImpressions?: number;
  /** Established neighbours behind the content prior. @defaultValue 20 */
  priorNeighbours?: number;
  /** Content similarity weights of the prior. */
  similarity?: ContentSimilarityWeights;
}

/** The exploration value of one new service. */
export interface ExplorationValue {
  /** Content prior in [0, 1]: how well services like it do. */
  prior: number;
  /** Estimated relevance in [0, 1]: the prior, moving to the observed click-through as impressions come. */
  mean: number;
  /** The optimism bonus, shrinking as impressions accumulate; 0 at maxImpressions. */
  bonus: number;
  /** mean + bonus: the exploration value (may exceed 1 while the bonus is large). */
  score: number;
}

/**
 * Exploration of services nobody has used yet, so that they collect the feedback that brings them into the
 * models. Two parts:
 *
 * - a content prior: a new service resembles established ones (categories, tags, provider; see
 *   contentSimilarity); its prior is the similarity-weighted popularity of its `priorNeighbours` most similar
 *   established services, popularity scaled as log1p(users) / log1p(max users) into [0, 1];
 * - a UCB1-style value (Auer, Cesa-Bianchi & Fischer 2002) over n impressions and k clicks of the service,
 *   N impressions of all explored services:
 *       mean  = (a · prior + n · min(1, (k / n) / (2 · referenceCtr))) / (a + n)
 *       bonus = c · sqrt(ln(N + 2) / (n + 1))         (0 once n ≥ maxImpressions; + 2: the first impressions
 *                                                      already carry a bonus)
 *       score = mean + bonus
 *   The bonus decays as the service is shown; what stays is what its clicks earned.
 *
 * Who sees it is the caller's match (a user's profile or declared categories): `candidates` multiplies the
 * score by the match, so a new code service is explored with users who like code.
 */
export class NewServiceExploration {
  private readonly c: number;
  private readonly a: number;
  private readonly ctr: number;
  readonly maxImpressions: number;
  private readonly neighbours: number;
  private readonly priors = new Map<number, number>();
  private readonly popularityScale: number;

  constructor(
    private readonly catalog: CatalogView,
    /** 1 for established services (the prior's reference set); default: services with any user. */
    private readonly established: Uint8Array = Uint8Array.from(catalog.popularity, (p) => (p > 0 ? 1 : 0)),
    private readonly options: NewServiceExplorationOptions = {},
  ) {
    this.c = options.bonusScale ?? 0.3;
    this.a = options.priorStrength ?? 50;
    this.ctr = options.referenceCtr ?? 0.05;
    this.maxImpressions = options.maxImpressions ?? 2000;
    this.neighbours = options.priorNeighbours ?? 20;
    requireOption(this.c >= 0, 'bonusScale', '≥ 0', this.c);
    requireOption(this.a > 0, 'priorStrength', '> 0', this.a);
    requireOption(this.ctr > 0 && this.ctr < 1, 'referenceCtr', 'in (0, 1)', this.ctr);
    requireOption(this.maxImpressions >= 1, 'maxImpressions', '≥ 1', this.maxImpressions);
    requireOption(
      Number.isInteger(this.neighbours) && this.neighbours >= 1,
      'priorNeighbours',
      'an integer ≥ 1',
      this.neighbours,
    );
    let maxPop = 0;
    for (const p of catalog.popularity) maxPop = Math.max(maxPop, p);
    this.popularityScale = maxPop > 0 ? 1 / Math.log1p(maxPop) : 0;
  }

  /** The content prior of catalog service `item` (cached per service). */
  prior(item: number): number {
    let p = this.priors.get(item);
    if (p === undefined) {
      const sim = contentSimilarity(this.catalog.side, item, this.options.similarity);
      for (let j = 0; j < sim.length; j++) if (this.established[j] === 0 || !(sim[j] > 0)) sim[j] = -Infinity;
      const near = topK(sim, this.neighbours);
      let num = 0;
      let den = 0;
      for (let r = 0; r < near.items.length; r++) {
        num += near.scores[r] * Math.log1p(this.catalog.popularity[near.items[r]]) * this.popularityScale;
        den += near.scores[r];
      }
      p = den > 0 ? num / den : 0;
      this.priors.set(item, p);
    }
    return p;
  }

  /** The exploration value of `item` after `counts`, with `totalImpressions` over all explored services. */
  value(item: number, counts: ExplorationCounts, totalImpressions: number): ExplorationValue {
    const n = Math.max(0, counts.impressions);
    const k = Math.min(Math.max(0, counts.clicks), n);
    const prior = this.prior(item);
    const observed = n > 0 ? Math.min(1, k / n / (2 * this.ctr)) : 0;
    const mean = (this.a * prior + n * observed) / (this.a + n);
    const total = Math.max(totalImpressions, n);
    const bonus = n >= this.maxImpressions ? 0 : this.c * Math.sqrt(Math.log(total + 2) / (n + 1));
    return { prior, mean, bonus, score: mean + bonus };
  }

  /**
   * The `n` new services most worth showing this user: score × match(item), best first, as strengths
   * min(1, score × match); services past maxImpressions and those with no match are left out.
   *
   * @param newItems catalog indexes of the services being explored (see `newServices`)
   * @param counts their feedback so far (absent = none)
   * @param match how well a service fits the user, in [0, 1] (1 for everyone when absent)
   */
  candidates(
    newItems: ArrayLike<number>,
    counts: (item: number) => ExplorationCounts | undefined,
    n: number,
    match: (item: number) => number = () => 1,
  ): { items: Int32Array; strengths: Float32Array } {
    let total = 0;
    for (let k = 0; k < newItems.length; k++) total += counts(newItems[k])?.impressions ?? 0;
    const scored: { item: number; s: number }[] = [];
    for (let k = 0; k < newItems.length; k++) {
      const item = newItems[k];
      const c = counts(item) ?? { impressions: 0, clicks: 0 };
      if (c.impressions >= this.maxImpressions) continue;
      const s = this.value(item, c, total).score * match(item);
      if (s > 0) scored.push({ item, s });
    }
    scored.sort((x, y) => y.s - x.s || x.item - y.item);
    const top = scored.slice(0, Math.max(0, n));
    return {
      items: Int32Array.from(top, (x) => x.item),
      strengths: Float32Array.from(top, (x) => Math.min(1, x.s)),
    };
  }
}

/**
 * Catalog indexes of the services to explore: active ones created within `maxAgeDays` of `nowSeconds`, or
 * that no user has touched yet. The engine further keeps only those its model does not know.
 */
export function newServices(catalog: CatalogView, nowSeconds: number, maxAgeDays = 60): Int32Array {
  requireOption(maxAgeDays >= 0, 'maxAgeDays', '≥ 0', maxAgeDays);
  const { side, popularity } = catalog;
  const out: number[] = [];
  for (let i = 0; i < popularity.length; i++) {
    if (side.retired[i] === 1) continue;
    if (popularity[i] === 0 || nowSeconds - side.createdAt[i] <= maxAgeDays * DAY) out.push(i);
  }
  return Int32Array.from(out);
}
