import { topK } from '@recsys/models';
import type { Recommendation } from '../contract';
import { serviceName, type CatalogSnapshot } from '../catalog/catalog-snapshot';
import { contentSimilarities } from '../catalog/content-similarity';
import { itemMapping } from '../catalog/model-item-map';
import type { ServedModel } from '../models/served-model';

/**
 * Services like `item` (a catalog index): the model's neighbours (`model.similarItems`) when the model
 * knows the service, then category and tag similarity on the live catalog to fill the list (the only
 * source for services newer than the model). Retired services and the service itself are left out.
 */
export function similarServices(
  catalog: CatalogSnapshot,
  served: ServedModel | null,
  item: number,
  limit: number,
): Recommendation[] {
  const out: Recommendation[] = [];
  const taken = new Set<number>([item]);
  const name = serviceName(catalog, item);
  if (served) {
    const mapping = itemMapping(catalog, served);
    const m = mapping.catalogToModel[item];
    if (m >= 0 && served.items.size > 1) {
      const near = served.neighbours.similar(m, Math.min(served.items.size - 1, limit * 2 + 10));
      for (let r = 0; r < near.items.length && out.length < limit; r++) {
        const c = mapping.modelToCatalog[near.items[r]];
        if (c < 0 || taken.has(c) || catalog.side.retired[c] === 1) continue;
        taken.add(c);
        out.push(entry(catalog, c, near.scores[r], out.length, 'similar', `Users of ${name} also use it`));
      }
    }
  }
  if (out.length < limit) {
    const { scores, items } = contentSimilarities(catalog, item);
    const open = items.filter((c) => !taken.has(c) && catalog.side.retired[c] === 0);
    const near = topK(scores, limit - out.length, open);
    for (let r = 0; r < near.items.length; r++)
      out.push(entry(catalog, near.items[r], near.scores[r], out.length, 'content', `Similar to ${name}`));
  }
  return out;
}

function entry(
  catalog: CatalogSnapshot,
  c: number,
  score: number,
  position: number,
  source: 'similar' | 'content',
  reason: string,
): Recommendation {
  return { serviceId: catalog.ids.idAt(c), score, rank: position + 1, source, reasons: [reason] };
}
