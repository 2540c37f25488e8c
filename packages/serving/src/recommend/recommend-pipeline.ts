import { ModelError, ModelErrorCode } from '@recsys/models';
import { profileBoosts, type UserProfile } from '@recsys/personalization';
import type { Recommendation, RecommendRequest } from '../contract';
import type { CatalogSnapshot } from '../catalog/catalog-snapshot';
import { allowedMask } from '../catalog/filter-mask';
import { itemMapping, modelMask } from '../catalog/model-item-map';
import type { Anchor, CandidateContext } from '../candidates/candidate-context';
import { ANCHOR_USED, ANCHOR_VIEWED, CandidateSet, SOURCE, SOURCES } from '../candidates/candidate-set';
import { addContentCandidates } from '../candidates/content';
import { addExplorationCandidates } from '../candidates/exploration';
import { addModelCandidates } from '../candidates/model';
import { addPopularCandidates } from '../candidates/popular';
import { addSimilarCandidates } from '../candidates/similar';
import { addTrendingCandidates } from '../candidates/trending';
import type { UserTopItems } from '../candidates/user-top-items';
import type { UserHistory } from '../history/user-history';
import type { ServedModel } from '../models/served-model';
import type { CandidateOptions, RankingOptions } from '../options';
import { explain } from '../ranking/explanations';
import { itemAffinity } from '../ranking/item-affinity';
import { mmrRerank } from '../ranking/mmr';
import { relevance } from '../ranking/relevance';

/** The label of lists no model ranked. */
export const COLD_START_VERSION = 'cold-start';

/** History items considered when explaining a model pick. */
const EXPLAIN_HISTORY = 20;

export interface PipelineInput {
  request: RecommendRequest;
  catalog: CatalogSnapshot;
  /** The model of the request's placement, read once at the start of the request. */
  served: ServedModel | null;
  history: UserHistory;
  /** Trending scores over the catalog. */
  trending: Float32Array;
  candidates: CandidateOptions;
  ranking: RankingOptions;
  /** The engine's memo of each user's model ranking; without it the model ranks the user every time. */
  userTop?: UserTopItems | null;
  /** The user's online profile (recent categories, usual price tier); none: relevance as the sources say. */
  profile?: UserProfile | null;
}

export interface PipelineOutput {
  items: Recommendation[];
  modelVersion: string;
  coldStart: boolean;
}

/**
 * One recommendation list, synchronously, from data already fetched: candidates from every source,
 * filtered by one catalog mask, scored (model or cold-start evidence), re-ranked by MMR over categories,
 * explained. Typed arrays throughout; the model is called once for its top-N, once per anchor for
 * neighbours and once to score the merged candidates.
 */
export function runPipeline(input: PipelineInput): PipelineOutput {
  const { request, catalog, history, candidates: opts } = input;
  const served = input.served;
  const ctxIn = request.context;

  const used = usedInCatalog(catalog, history);
  const page = ctxIn?.serviceId !== undefined ? (catalog.ids.indexOf(ctxIn.serviceId) ?? -1) : -1;
  const allowed = allowedMask(catalog, request.filter, page >= 0 ? [...used, page] : used);

  const anchors = chooseAnchors(
    catalog,
    page,
    ctxIn?.recentlyViewed ?? [],
    used,
    history.viewed,
    opts.anchors,
  );
  const mapping = served ? itemMapping(catalog, served) : null;
  let userIndex = -1;
  if (served) {
    const u = served.users.indexOf(request.userId);
    if (u !== undefined && served.model.knowsUser(u)) userIndex = u;
  }
  const capacity =
    opts.model +
    anchors.length * (opts.similarPerAnchor + opts.contentPerAnchor) +
    opts.trending +
    opts.popular +
    opts.exploration;
  const ctx: CandidateContext = {
    catalog,
    allowed,
    served,
    mapping,
    modelAllowed: mapping ? modelMask(allowed, mapping) : null,
    userIndex,
    anchors,
    set: new CandidateSet(catalog.ids.size, capacity),
  };

  try {
    addModelCandidates(ctx, opts.model, input.userTop ?? null);
  } catch (error) {
    if (!(error instanceof ModelError && error.code === ModelErrorCode.COLD_START)) throw error;
    ctx.userIndex = -1;
  }
  addSimilarCandidates(ctx, opts.similarPerAnchor);
  addContentCandidates(ctx, opts.contentPerAnchor);
  addTrendingCandidates(ctx, input.trending, opts.trending);
  addPopularCandidates(ctx, opts.popular);
  addExplorationCandidates(ctx, opts.exploration);

  const rel = relevance(ctx, input.ranking.outOfModelPrior);
  const set = ctx.set;
  // The latest interactions, before diversification: boosts of the profile's categories and price tier.
  if (input.profile) {
    const boosts = profileBoosts(input.profile, catalog.side, set.items.subarray(0, set.size));
    for (let s = 0; s < set.size; s++) rel.values[s] += boosts[s];
  }
  const order = mmrRerank(
    set.items.subarray(0, set.size),
    rel.values,
    request.limit,
    input.ranking.mmrLambda,
    catalog.categorySets,
  );

  const explanation = {
    catalog,
    used: used.slice(0, EXPLAIN_HISTORY),
    affinity: itemAffinity(catalog, served, mapping),
    personalised: rel.personalised,
  };
  const items: Recommendation[] = [];
  for (let r = 0; r < order.length; r++) {
    const s = order[r];
    const source = SOURCES[set.sources[s]];
    items.push({
      serviceId: catalog.ids.idAt(set.items[s]),
      score: rel.values[s],
      rank: r + 1,
      source,
      reasons: explain(explanation, {
        item: set.items[s],
        source,
        anchor: set.anchors[s],
        anchorKind: set.anchorKinds[s],
        trending: set.strength(s, SOURCE.trending) > 0,
      }),
    });
  }
  const noHistory = used.length === 0 && history.viewed.length === 0;
  return {
    items,
    modelVersion: rel.personalised && served ? served.label : COLD_START_VERSION,
    coldStart: !rel.personalised && noHistory,
  };
}

const usedIndexes = new WeakMap<UserHistory, { catalog: CatalogSnapshot; used: readonly number[] }>();

/**
 * The catalog indexes of the history's used services, most recent first (ids the catalog lacks left
 * out); remembered per history object, which the feature cache hands out again for as long as it lives.
 */
function usedInCatalog(catalog: CatalogSnapshot, history: UserHistory): readonly number[] {
  const hit = usedIndexes.get(history);
  if (hit !== undefined && hit.catalog === catalog) return hit.used;
  const used: number[] = [];
  for (const id of history.used) {
    const c = catalog.ids.indexOf(id);
    if (c !== undefined) used.push(c);
  }
  usedIndexes.set(history, { catalog, used });
  return used;
}

/**
 * Anchors in order of how much they say about the present: the page's service and the session's
 * recently viewed (up to `n`), then the most recently used (up to `n`), then services only viewed
 * before (filling up to `n` of history anchors).
 */
function chooseAnchors(
  catalog: CatalogSnapshot,
  page: number,
  recentlyViewed: readonly string[],
  used: readonly number[],
  viewedBefore: readonly string[],
  n: number,
): Anchor[] {
  const anchors: Anchor[] = [];
  const seen = new Set<number>();
  const push = (item: number, kind: number): void => {
    if (item >= 0 && !seen.has(item)) {
      seen.add(item);
      anchors.push({ item, kind });
    }
  };
  if (page >= 0) push(page, ANCHOR_VIEWED);
  for (const id of recentlyViewed) {
    if (anchors.length >= n) break;
    push(catalog.ids.indexOf(id) ?? -1, ANCHOR_VIEWED);
  }
  const sessionCount = anchors.length;
  for (const item of used) {
    if (anchors.length - sessionCount >= n) break;
    push(item, ANCHOR_USED);
  }
  for (const id of viewedBefore) {
    if (anchors.length - sessionCount >= n) break;
    push(catalog.ids.indexOf(id) ?? -1, ANCHOR_VIEWED);
  }
  return anchors;
}
