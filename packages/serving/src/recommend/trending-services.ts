import type { Recommendation } from '../contract';
import { primaryCategory, type CatalogSnapshot } from '../catalog/catalog-snapshot';
import { allowedMask, categoryIds } from '../catalog/filter-mask';
import { forEachTopAllowed, rankedSignal } from '../candidates/ranked-signal';

/** The `limit` most trending active services, optionally of one category (ignoring case). */
export function trendingServices(
  catalog: CatalogSnapshot,
  trending: Float32Array,
  category: string | undefined,
  limit: number,
): Recommendation[] {
  const allowed = allowedMask(catalog, category ? { categories: [category] } : undefined, []);
  const out: Recommendation[] = [];
  const named = category ? [...categoryIds(catalog, [category])] : [];
  const canonical = named.length > 0 ? catalog.side.categories.vocab.idAt(named[0]) : category;
  forEachTopAllowed(rankedSignal(trending), allowed, limit, (c) => {
    const shown = canonical ?? primaryCategory(catalog, c);
    out.push({
      serviceId: catalog.ids.idAt(c),
      score: trending[c],
      rank: out.length + 1,
      source: 'trending',
      reasons: [shown ? `Trending in ${shown}` : 'Trending now'],
    });
  });
  return out;
}
