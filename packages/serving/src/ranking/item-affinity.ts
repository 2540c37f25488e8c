import { jaccard, type CatalogSnapshot } from '../catalog/catalog-snapshot';
import type { ItemMapping } from '../catalog/model-item-map';
import type { ServedModel } from '../models/served-model';

/** How alike two services are (catalog indexes), for choosing which history item explains a pick. */
export type ItemAffinity = (a: number, b: number) => number;

/**
 * Cosine of the two items' factors when the model is a factor model that knows both (what made the
 * model score them alike); otherwise the Jaccard index of their category sets, then of their tag sets.
 */
export function itemAffinity(
  catalog: CatalogSnapshot,
  served: ServedModel | null,
  mapping: ItemMapping | null,
): ItemAffinity {
  const metadata: ItemAffinity = (a, b) =>
    jaccard(catalog.categorySets, a, b) + 0.5 * jaccard(catalog.tagSets, a, b);
  const factors = served?.factors;
  if (!factors || !mapping) return metadata;
  const { dim, items } = factors;
  return (a, b) => {
    const ma = mapping.catalogToModel[a];
    const mb = mapping.catalogToModel[b];
    if (ma < 0 || mb < 0) return metadata(a, b);
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let f = 0, oa = ma * dim, ob = mb * dim; f < dim; f++) {
      dot += items[oa + f] * items[ob + f];
      na += items[oa + f] * items[oa + f];
      nb += items[ob + f] * items[ob + f];
    }
    return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
  };
}
