import { PRICING_MODELS, type PricingModelName } from '@recsys/db';
import type { IdMap, ItemSideData } from '@recsys/data';

/** Sorted, de-duplicated value sets per row in CSR form (an item's category or tag ids). */
export interface RowSets {
  indptr: Int32Array;
  values: Int32Array;
}

/**
 * One immutable picture of the served dataset's catalog: the services (dense catalog indexes, which are
 * not the model's item indexes: see model-item-map.ts), their side data as typed arrays, and their
 * all-time popularity. A refresh builds a new snapshot and swaps the reference; readers keep the one
 * they started with.
 */
export interface CatalogSnapshot {
  readonly datasetId: string;
  readonly loadedAtMs: number;
  /** Service id ↔ catalog index. */
  readonly ids: IdMap;
  readonly side: ItemSideData;
  /** Category ids per service (into side.categories.vocab), sorted and unique: what MMR compares. */
  readonly categorySets: RowSets;
  /** Tag ids per service (into side.tags.vocab), sorted and unique. */
  readonly tagSets: RowSets;
  /** Services per category id and per tag id: the inverted indexes content similarity runs on. */
  readonly categoryPostings: RowSets;
  readonly tagPostings: RowSets;
  /** Distinct users per service over all time. */
  readonly popularity: Float32Array;
  /** Catalog indexes of ACTIVE services, newest first (exploration reads the head). */
  readonly newestFirst: Int32Array;
}

export function catalogSize(catalog: CatalogSnapshot): number {
  return catalog.ids.size;
}

export function serviceName(catalog: CatalogSnapshot, index: number): string {
  return catalog.side.titles[index] ?? catalog.ids.idAt(index);
}

/** The first category of a service (how the marketplace lists it), or null. */
export function primaryCategory(catalog: CatalogSnapshot, index: number): string | null {
  const c = catalog.side.categories;
  const start = c.offsets[index];
  return start < c.offsets[index + 1] ? c.vocab.idAt(c.values[start]) : null;
}

export function pricingModelName(catalog: CatalogSnapshot, index: number): PricingModelName {
  return PRICING_MODELS[catalog.side.pricingModels[index]];
}

export function isRetired(catalog: CatalogSnapshot, index: number): boolean {
  return catalog.side.retired[index] === 1;
}

/** Each row's values sorted ascending and de-duplicated. */
export function rowSets(offsets: Int32Array, values: Int32Array): RowSets {
  const rows = offsets.length - 1;
  const indptr = new Int32Array(rows + 1);
  const out = new Int32Array(values.length);
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const row = Array.from(values.subarray(offsets[r], offsets[r + 1])).sort((a, b) => a - b);
    for (let k = 0; k < row.length; k++) if (k === 0 || row[k] !== row[k - 1]) out[n++] = row[k];
    indptr[r + 1] = n;
  }
  return { indptr, values: out.slice(0, n) };
}

/** The inverted index of row sets: for each value, the rows holding it (ascending). */
export function postings(sets: RowSets, vocabSize: number): RowSets {
  const indptr = new Int32Array(vocabSize + 1);
  for (let k = 0; k < sets.values.length; k++) indptr[sets.values[k] + 1]++;
  for (let v = 0; v < vocabSize; v++) indptr[v + 1] += indptr[v];
  const fill = indptr.slice(0, vocabSize);
  const values = new Int32Array(sets.values.length);
  const rows = sets.indptr.length - 1;
  for (let r = 0; r < rows; r++)
    for (let k = sets.indptr[r]; k < sets.indptr[r + 1]; k++) values[fill[sets.values[k]]++] = r;
  return { indptr, values };
}

/** |A ∩ B| / |A ∪ B| of rows a and b of sorted sets (0 when both are empty). */
export function jaccard(sets: RowSets, a: number, b: number): number {
  const { indptr, values } = sets;
  let i = indptr[a];
  const ie = indptr[a + 1];
  let j = indptr[b];
  const je = indptr[b + 1];
  const union0 = ie - i + (je - j);
  if (union0 === 0) return 0;
  let inter = 0;
  while (i < ie && j < je) {
    const va = values[i];
    const vb = values[j];
    if (va === vb) {
      inter++;
      i++;
      j++;
    } else if (va < vb) i++;
    else j++;
  }
  return inter / (union0 - inter);
}
