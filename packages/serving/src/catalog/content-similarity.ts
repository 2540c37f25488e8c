import type { CatalogSnapshot, RowSets } from './catalog-snapshot';

/** Similarities to one anchor: `scores` over the catalog, `items` the services with a positive one. */
export interface ContentNeighbours {
  scores: Float32Array;
  items: Int32Array;
}

/**
 * Metadata similarity of every service to `anchor` (catalog indexes), for services the model does not
 * know (new services, anchors outside its item map) and for similarServices without a model:
 *   sim(a, j) = J(C_a, C_j)                              when a has no tags,
 *             = (J(C_a, C_j) + J(T_a, T_j)) / 2           otherwise,
 * with J the Jaccard index of category sets C and tag sets T (CategorySimilarityModel's formula with equal
 * weights, computed on the live catalog so services created after training take part). Intersections are
 * counted through the inverted indexes, so only services sharing a value are touched. Services sharing
 * nothing, and the anchor itself, get -Infinity (never returned by topK) and are not in `items`.
 */
export function contentSimilarities(catalog: CatalogSnapshot, anchor: number): ContentNeighbours {
  const n = catalog.ids.size;
  const out = new Float32Array(n).fill(-Infinity);
  const touched = new Uint8Array(n);
  const catInter = new Uint16Array(n);
  const tagInter = new Uint16Array(n);
  count(catalog.categorySets, catalog.categoryPostings, anchor, catInter, touched);
  count(catalog.tagSets, catalog.tagPostings, anchor, tagInter, touched);
  const cats = catalog.categorySets.indptr;
  const tags = catalog.tagSets.indptr;
  const ca = cats[anchor + 1] - cats[anchor];
  const ta = tags[anchor + 1] - tags[anchor];
  const items: number[] = [];
  for (let j = 0; j < n; j++) {
    if (touched[j] === 0 || j === anchor) continue;
    const cj = cats[j + 1] - cats[j];
    const catSim = catInter[j] / (ca + cj - catInter[j] || 1);
    let sim = catSim;
    if (ta > 0) {
      const tj = tags[j + 1] - tags[j];
      sim = (catSim + tagInter[j] / (ta + tj - tagInter[j] || 1)) / 2;
    }
    if (sim > 0) {
      out[j] = sim;
      items.push(j);
    }
  }
  return { scores: out, items: Int32Array.from(items) };
}

function count(sets: RowSets, post: RowSets, anchor: number, inter: Uint16Array, touched: Uint8Array): void {
  for (let k = sets.indptr[anchor]; k < sets.indptr[anchor + 1]; k++) {
    const v = sets.values[k];
    for (let p = post.indptr[v]; p < post.indptr[v + 1]; p++) {
      const j = post.values[p];
      inter[j]++;
      touched[j] = 1;
    }
  }
}
