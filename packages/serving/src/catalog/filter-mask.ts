import { PRICING_MODELS } from '@recsys/db';
import type { RecommendationFilter } from '../contract';
import type { CatalogSnapshot } from './catalog-snapshot';

/** Category ids (of the catalog's vocabulary) whose names match `names`, ignoring case. */
export function categoryIds(catalog: CatalogSnapshot, names: readonly string[]): Set<number> {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const vocab = catalog.side.categories.vocab;
  const ids = new Set<number>();
  for (let v = 0; v < vocab.size; v++) if (wanted.has(vocab.idAt(v).toLowerCase())) ids.add(v);
  return ids;
}

function hasAny(catalog: CatalogSnapshot, item: number, ids: Set<number>): boolean {
  const { indptr, values } = catalog.categorySets;
  for (let k = indptr[item]; k < indptr[item + 1]; k++) if (ids.has(values[k])) return true;
  return false;
}

const activeMasks = new WeakMap<CatalogSnapshot, Uint8Array>();

/** 1 for every active service of the snapshot, computed once per snapshot (callers copy it). */
function activeMask(catalog: CatalogSnapshot): Uint8Array {
  let mask = activeMasks.get(catalog);
  if (mask === undefined) {
    const retired = catalog.side.retired;
    mask = new Uint8Array(catalog.ids.size);
    for (let i = 0; i < mask.length; i++) mask[i] = retired[i] === 1 ? 0 : 1;
    activeMasks.set(catalog, mask);
  }
  return mask;
}

/** Whether a filter restricts anything beyond its excluded ids. */
function restricts(filter: RecommendationFilter | undefined): boolean {
  if (filter === undefined) return false;
  return (
    (filter.categories?.length ?? 0) > 0 ||
    (filter.excludeCategories?.length ?? 0) > 0 ||
    (filter.pricingModels?.length ?? 0) > 0 ||
    filter.freeTierOnly === true ||
    filter.maxPriceTier !== undefined
  );
}

/**
 * The catalog mask of one request (1 = may be recommended): active services that pass every filter
 * argument and are not in `exclude` (the user's used services, the page's own service...).
 * `categories` keeps services in any of them; an empty list means no restriction.
 */
export function allowedMask(
  catalog: CatalogSnapshot,
  filter: RecommendationFilter | undefined,
  exclude: Iterable<number>,
): Uint8Array {
  const n = catalog.ids.size;
  const allowed = restricts(filter) ? filteredMask(catalog, filter) : activeMask(catalog).slice();
  for (const i of exclude) if (i >= 0 && i < n) allowed[i] = 0;
  for (const id of filter?.excludeServiceIds ?? []) {
    const i = catalog.ids.indexOf(id);
    if (i !== undefined) allowed[i] = 0;
  }
  return allowed;
}

/** Active services passing the filter's category, pricing, free-tier and price-tier conditions. */
function filteredMask(catalog: CatalogSnapshot, filter: RecommendationFilter | undefined): Uint8Array {
  const n = catalog.ids.size;
  const side = catalog.side;
  const allowed = new Uint8Array(n);
  const include = filter?.categories?.length ? categoryIds(catalog, filter.categories) : null;
  const drop = filter?.excludeCategories?.length ? categoryIds(catalog, filter.excludeCategories) : null;
  let pricing: Uint8Array | null = null;
  if (filter?.pricingModels?.length) {
    pricing = new Uint8Array(PRICING_MODELS.length);
    for (const p of filter.pricingModels) {
      const k = PRICING_MODELS.indexOf(p);
      if (k >= 0) pricing[k] = 1;
    }
  }
  const freeOnly = filter?.freeTierOnly === true;
  const maxTier = filter?.maxPriceTier ?? Infinity;
  for (let i = 0; i < n; i++) {
    if (side.retired[i] === 1) continue;
    if (freeOnly && side.freeTier[i] === 0) continue;
    if (side.priceTiers[i] > maxTier) continue;
    if (pricing !== null && pricing[side.pricingModels[i]] === 0) continue;
    if (include !== null && !hasAny(catalog, i, include)) continue;
    if (drop !== null && hasAny(catalog, i, drop)) continue;
    allowed[i] = 1;
  }
  return allowed;
}
