import { topK } from '@recsys/models';
import { activeMask, type CatalogView } from '../catalog-view';
import { PersonalizationError, PersonalizationErrorCode, requireOption } from '../errors';
import {
  candidatePlan,
  maxPerCategory,
  type CandidatePlan,
  type SourceName,
} from '../placement/placement-policies';
import { profileBoosts, type ProfileAdjustmentOptions } from '../profile/profile-adjustment';
import type { UserProfile } from '../profile/user-profile';
import type { SegmentPreferences } from '../segments/segment-preferences';
import type { SessionRecommender } from '../session/session-recommender';
import { categoryCandidates } from './category-candidates';
import { spreadAcrossCategories } from './category-spread';
import { contentSimilarity } from './content-similarity';
import type { ExplorationCounts, NewServiceExploration } from './new-service-exploration';

/** Request-independent signals, refreshed by their owners (catalog, trending, fitted models). */
export interface ColdStartSignals {
  catalog: CatalogView;
  /** Trending scores over the catalog indexes (the engine's TrendingScores). */
  trending?: Float32Array;
  /** Segment-level preferences (with the request's `segment`). */
  segments?: SegmentPreferences;
  /** Session recommendations over the catalog indexes (ItemCooccurrence.forCatalog, a factor model...). */
  session?: SessionRecommender;
  /** Exploration of new services (with the request's `newServices` and counts). */
  exploration?: NewServiceExploration;
}

export interface ColdStartOptions {
  /** Profile boosts added to the combined score. */
  profile?: ProfileAdjustmentOptions;
  /** List places kept for new services whose weighted exploration strength reaches the threshold. @defaultValue 1 */
  explorationSlots?: number;
  /** @defaultValue 0.15 */
  explorationThreshold?: number;
  /** Exploration match of a service for a user about whom nothing matches it. @defaultValue 0.1 */
  explorationFloor?: number;
}

/** Everything known about a user with no model history. All optional but `limit`. */
export interface ColdStartRequest {
  limit: number;
  /** 'home' (default), 'search', 'service_page'. */
  placement?: string;
  /** Categories declared at sign-up. */
  declaredCategories?: readonly string[];
  /** The online profile (UserProfileStore.get). */
  profile?: UserProfile | null;
  /** The user's segment (UserSegmentation.segmentOf), for SegmentPreferences. */
  segment?: number | null;
  /** The session's services (ids), most recent first: the profile's or the client's recently viewed. */
  sessionServiceIds?: readonly string[];
  /** service_page: the page's service id. */
  pageServiceId?: string;
  /** search: the query's categories. */
  queryCategories?: readonly string[];
  /** 0/1 per catalog index: may be shown (filters, services used). Default: every active service. */
  allowed?: Uint8Array;
  /** Catalog indexes of the services being explored (newServices) and their feedback. */
  newServices?: ArrayLike<number>;
  explorationCounts?: (item: number) => ExplorationCounts | undefined;
}

export interface ColdStartItem {
  serviceId: string;
  /** Catalog index. */
  item: number;
  score: number;
  /** The source contributing most to the score. */
  source: SourceName;
  /** Strength per source that found it. */
  strengths: Partial<Record<SourceName, number>>;
}

export interface ColdStartList {
  items: ColdStartItem[];
  plan: CandidatePlan;
}

/**
 * A list for a user no model knows: a new user (popular, trending, declared categories, their segment's
 * favourites), an anonymous session (the session's neighbours, the online profile's recent categories) or
 * anyone on a placement a model cannot serve. Each source gives candidates with strengths in [0, 1]; the
 * placement's policy (PLACEMENT_POLICIES) says how many and how much each counts:
 *
 *   score(i) = Σ_s weight_s · strength_s(i) + profileBoost(i)
 *
 * then spreadAcrossCategories guarantees the policy's category spread, and up to `explorationSlots` places
 * at the end of the list go to new services worth exploring for this user (NewServiceExploration × match,
 * match = the best of: declared category, profile category share, similarity to the page's service).
 */
export class ColdStartRecommender {
  private readonly slots: number;
  private readonly threshold: number;
  private readonly floor: number;

  constructor(
    private readonly signals: ColdStartSignals,
    private readonly options: ColdStartOptions = {},
  ) {
    this.slots = options.explorationSlots ?? 1;
    this.threshold = options.explorationThreshold ?? 0.15;
    this.floor = options.explorationFloor ?? 0.1;
    requireOption(
      Number.isInteger(this.slots) && this.slots >= 0,
      'explorationSlots',
      'an integer ≥ 0',
      this.slots,
    );
    requireOption(this.threshold >= 0, 'explorationThreshold', '≥ 0', this.threshold);
    requireOption(this.floor >= 0 && this.floor <= 1, 'explorationFloor', 'in [0, 1]', this.floor);
  }

  recommend(request: ColdStartRequest): ColdStartList {
    const { catalog } = this.signals;
    const size = catalog.ids.size;
    const limit = request.limit;
    requireInput(Number.isInteger(limit) && limit >= 1, `limit must be an integer ≥ 1, got ${limit}`);
    if (request.allowed !== undefined && request.allowed.length !== size)
      throw new PersonalizationError(
        PersonalizationErrorCode.BAD_INPUT,
        `allowed mask has ${request.allowed.length} entries for ${size} services`,
      );
    const plan = candidatePlan(request.placement ?? 'home', {
      serviceId: request.pageServiceId,
      categories: request.queryCategories,
    });
    const { policy } = plan;
    const allowed = scopeMask(catalog, request.allowed ?? activeMask(catalog.side), plan.categoryFilter);
    const page = plan.pageServiceId !== null ? (catalog.ids.indexOf(plan.pageServiceId) ?? -1) : -1;
    if (plan.pageServiceId !== null && page < 0)
      throw new PersonalizationError(
        PersonalizationErrorCode.BAD_INPUT,
        `unknown page service "${plan.pageServiceId}"`,
      );
    if (page >= 0) allowed[page] = 0;
    const session = (request.sessionServiceIds ?? [])
      .map((id) => catalog.ids.indexOf(id))
      .filter((i): i is number => i !== undefined);
    for (const i of session) allowed[i] = 0;

    const found = new Map<number, Partial<Record<SourceName, number>>>();
    const add = (source: SourceName, item: number, strength: number): void => {
      if (allowed[item] === 0 || !(strength > 0)) return;
      const s = found.get(item) ?? {};
      s[source] = Math.max(s[source] ?? 0, Math.min(1, strength));
      found.set(item, s);
    };
    const n = policy.candidates;

    topOf(catalog.popularity, allowed, n.popular, (i, s) => add('popular', i, s));
    if (this.signals.trending)
      topOf(this.signals.trending, allowed, n.trending, (i, s) => add('trending', i, s));
    if (request.declaredCategories && request.declaredCategories.length > 0 && n.declared > 0) {
      const d = categoryCandidates(catalog, request.declaredCategories, n.declared, {
        allowed,
        trending: this.signals.trending,
      });
      d.items.forEach((i, k) => add('declared', i, d.strengths[k]));
    }
    const segment = request.segment ?? null;
    if (segment !== null && this.signals.segments && n.segment > 0)
      topOf(this.signals.segments.serviceScores(segment, catalog.ids), allowed, n.segment, (i, s) =>
        add('segment', i, s),
      );
    const profile = request.profile ?? null;
    if (profile !== null && profile.categories.length > 0 && n.profile > 0) {
      const weights = new Map(profile.categories.map((c) => [c.category, c.weight]));
      const p = categoryCandidates(catalog, weights, n.profile, { allowed, trending: this.signals.trending });
      p.items.forEach((i, k) => add('profile', i, p.strengths[k]));
    }
    // Neighbours of the anchors: the page's service, then the session's (most recent first).
    const anchors = [
      ...(page >= 0 ? [page] : []),
      ...(policy.anchors.includes('session') ? session.slice(0, 5) : []),
    ];
    let pageSimilarity: Float32Array | null = null;
    anchors.forEach((a, k) => {
      const sim = contentSimilarity(catalog.side, a);
      if (a === page) pageSimilarity = sim;
      topOf(sim, allowed, n.content, (i, s) => add('content', i, s * (a === page ? 1 : 0.8 ** k)));
    });
    if (this.signals.session && session.length > 0 && n.session > 0) {
      const rec = this.signals.session.recommend(session.slice().reverse(), n.session, allowed);
      const best = rec.scores.length > 0 ? rec.scores[0] : 1;
      rec.items.forEach((i, k) => add('session', i, rec.scores[k] / best));
    }

    // Exploration of new services, matched to what is known of the user.
    const match = this.matcher(request, profile, pageSimilarity);
    const explored = new Set<number>();
    if (this.signals.exploration && request.newServices && n.exploration > 0) {
      const counts = request.explorationCounts ?? (() => undefined);
      const cand = this.signals.exploration.candidates(
        Array.from(request.newServices).filter((i) => allowed[i] === 1),
        counts,
        n.exploration,
        match,
      );
      cand.items.forEach((i, k) => {
        add('exploration', i, cand.strengths[k]);
        explored.add(i);
      });
    }

    const items = Int32Array.from(found.keys());
    const boosts = profileBoosts(profile, catalog.side, items, this.options.profile);
    const scores = new Float64Array(items.length);
    const sources: SourceName[] = [];
    items.forEach((item, k) => {
      const strengths = found.get(item) ?? {};
      let total = 0;
      let bestSource: SourceName = 'popular';
      let best = -1;
      for (const [source, strength] of Object.entries(strengths) as [SourceName, number][]) {
        const v = policy.weights[source] * strength;
        total += v;
        if (v > best) {
          best = v;
          bestSource = source;
        }
      }
      scores[k] = total + boosts[k];
      sources.push(bestSource);
    });

    const order = spreadAcrossCategories(items, scores, catalog.side, limit, {
      minCategories: Math.min(policy.minCategories, limit),
      maxPerCategory: maxPerCategory(policy, limit),
    });
    const list = Array.from(order);
    this.reserveExploration(list, items, found, explored, policy.weights.exploration);
    return {
      plan,
      items: list.map((k) => ({
        serviceId: catalog.ids.idAt(items[k]),
        item: items[k],
        score: scores[k],
        source: sources[k],
        strengths: found.get(items[k]) ?? {},
      })),
    };
  }

  /** How well each service fits what is known of the user, in [floor, 1]. */
  private matcher(
    request: ColdStartRequest,
    profile: UserProfile | null,
    pageSimilarity: Float32Array | null,
  ): (item: number) => number {
    const { side } = this.signals.catalog;
    const vocab = side.categories.vocab;
    const declared = new Set((request.declaredCategories ?? []).map((c) => vocab.indexOf(c)));
    const share = new Float64Array(vocab.size);
    let top = 0;
    for (const c of profile?.categories ?? []) top = Math.max(top, c.weight);
    for (const c of profile?.categories ?? []) {
      const id = vocab.indexOf(c.category);
      if (id !== undefined && top > 0) share[id] = c.weight / top;
    }
    const knowsUser = declared.size > 0 || top > 0 || pageSimilarity !== null;
    return (item) => {
      if (!knowsUser) return 0.5; // nothing known: explore with everyone, half as hard
      let m = pageSimilarity ? pageSimilarity[item] : 0;
      const { offsets, values } = side.categories;
      for (let p = offsets[item]; p < offsets[item + 1]; p++) {
        if (declared.has(values[p])) m = 1;
        m = Math.max(m, share[values[p]]);
      }
      return Math.max(this.floor, m);
    };
  }

  /**
   * Puts the strongest explored services that missed the list into its last places (at most
   * `explorationSlots`, each with weighted strength ≥ threshold).
   */
  private reserveExploration(
    list: number[],
    items: Int32Array,
    found: Map<number, Partial<Record<SourceName, number>>>,
    explored: Set<number>,
    weight: number,
  ): void {
    const inList = new Set(list.map((k) => items[k]));
    let present = 0;
    for (const i of inList) if (explored.has(i)) present++;
    const waiting = Array.from(items.keys())
      .filter((k) => explored.has(items[k]) && !inList.has(items[k]))
      .map((k) => ({ k, s: weight * (found.get(items[k])?.exploration ?? 0) }))
      .filter((x) => x.s >= this.threshold)
      .sort((a, b) => b.s - a.s || a.k - b.k);
    let slot = list.length - 1;
    for (const { k } of waiting) {
      if (present >= this.slots || slot < 0) break;
      while (slot >= 0 && explored.has(items[list[slot]])) slot--;
      if (slot < 0) break;
      list[slot--] = k;
      present++;
    }
  }
}

function requireInput(ok: boolean, message: string): void {
  if (!ok) throw new PersonalizationError(PersonalizationErrorCode.BAD_INPUT, message);
}

/** A copy of `allowed` restricted to services of the categories (when given). */
function scopeMask(
  catalog: CatalogView,
  allowed: Uint8Array,
  categories: readonly string[] | null,
): Uint8Array {
  const out = allowed.slice();
  if (categories === null) return out;
  const vocab = catalog.side.categories.vocab;
  const wanted = new Set(categories.map((c) => vocab.indexOf(c)).filter((c): c is number => c !== undefined));
  const { offsets, values } = catalog.side.categories;
  for (let i = 0; i < out.length; i++) {
    if (out[i] === 0) continue;
    let hit = false;
    for (let p = offsets[i]; p < offsets[i + 1] && !hit; p++) hit = wanted.has(values[p]);
    if (!hit) out[i] = 0;
  }
  return out;
}

/** Calls `take(item, score / best)` for the top `n` allowed positive scores. */
function topOf(
  scores: Float32Array,
  allowed: Uint8Array,
  n: number,
  take: (item: number, strength: number) => void,
): void {
  if (n <= 0) return;
  const masked = new Float32Array(scores.length);
  for (let i = 0; i < scores.length; i++)
    masked[i] = allowed[i] === 1 && scores[i] > 0 ? scores[i] : -Infinity;
  const top = topK(masked, n);
  const best = top.scores.length > 0 ? top.scores[0] : 1;
  for (let r = 0; r < top.items.length; r++) take(top.items[r], top.scores[r] / best);
}
