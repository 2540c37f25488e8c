import { MetricErrorCode, MetricInputError } from '../metric-input-error';
import { assertItemInRange } from '../shared/validation';

/**
 * Category sets of the catalog in CSR form: item i's categories are
 * `categories[offsets[i] .. offsets[i + 1])`, strictly increasing. `offsets` has numItems + 1 entries.
 * Build one from plain sets with `itemCategoriesFromSets`.
 */
export interface ItemCategories {
  readonly offsets: Int32Array;
  readonly categories: Int32Array;
}

/** Item embeddings, row-major: item i's vector is `vectors[i·dim .. (i + 1)·dim)`. */
export interface ItemEmbeddings {
  readonly vectors: Float32Array | Float64Array;
  readonly dim: number;
}

/** Builds ItemCategories from one iterable of category ids per item (sorted and de-duplicated here). */
export function itemCategoriesFromSets(sets: ReadonlyArray<Iterable<number>>): ItemCategories {
  const rows = sets.map((set) => Int32Array.from(new Set(set)).sort());
  const offsets = new Int32Array(rows.length + 1);
  for (let i = 0; i < rows.length; i++) offsets[i + 1] = offsets[i] + rows[i].length;
  const categories = new Int32Array(offsets[rows.length]);
  rows.forEach((row, i) => categories.set(row, offsets[i]));
  return { offsets, categories };
}

/** The category row of `item`, validated (in range, strictly increasing). */
export function categoryRow(categories: ItemCategories, item: number, fn: string): Int32Array {
  assertItemInRange(item, categories.offsets.length - 1, fn);
  const row = categories.categories.subarray(categories.offsets[item], categories.offsets[item + 1]);
  for (let i = 1; i < row.length; i++) {
    if (row[i] <= row[i - 1]) {
      throw new MetricInputError(
        MetricErrorCode.INVALID_INPUT,
        `${fn}: the categories of item ${item} are not strictly increasing (use itemCategoriesFromSets)`,
      );
    }
  }
  return row;
}

/** The number of items an embedding table holds, after checking its shape. */
export function embeddingItemCount(embeddings: ItemEmbeddings, fn: string): number {
  const { vectors, dim } = embeddings;
  if (!Number.isInteger(dim) || dim <= 0 || vectors.length % dim !== 0) {
    throw new MetricInputError(
      MetricErrorCode.INVALID_INPUT,
      `${fn}: embeddings of length ${vectors.length} cannot hold rows of dim ${dim}`,
    );
  }
  return vectors.length / dim;
}
