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
  const squares = squaredNorms(items, dim);
  return (a, b) => {
    const ma = mapping.catalogToModel[a];
    const mb = mapping.catalogToModel[b];
    if (ma < 0 || mb < 0) return metadata(a, b);
    let dot = 0;
    for (let f = 0, oa = ma * dim, ob = mb * dim; f < dim; f++) dot += items[oa + f] * items[ob + f];
    const na = squares[ma];
    const nb = squares[mb];
    return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
  };
}

const squaresOf = new WeakMap<Float32Array, Float64Array>();

/**
 * Σ_f y_if² per item, summed in the same order as a per-pair loop would (so the cosines are the same
 * numbers), computed once per factor array: the norms were two thirds of every explanation's cost.
 */
function squaredNorms(items: Float32Array, dim: number): Float64Array {
  let squares = squaresOf.get(items);
  if (squares === undefined) {
    const n = dim > 0 ? items.length / dim : 0;
    squares = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let f = 0, o = i * dim; f < dim; f++) s += items[o + f] * items[o + f];
      squares[i] = s;
    }
    squaresOf.set(items, squares);
  }
  return squares;
}
