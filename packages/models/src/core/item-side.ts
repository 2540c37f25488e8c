import type { InteractionDataset, ItemSideData, MultiValueColumn } from '@recsys/data';
import { ModelError, ModelErrorCode } from '../contract/errors';
import { addTerms, tokenize } from './text-tokenizer';

/** The dataset's item side data, checked against its item count, or a FIT_FAILED error naming the model. */
export function requireItemSide(dataset: InteractionDataset, model: string): ItemSideData {
  const side = dataset.itemSide;
  if (side === undefined) {
    throw new ModelError(
      ModelErrorCode.FIT_FAILED,
      `${model}: dataset "${dataset.name}" has no item side data (names, descriptions, categories, tags); ` +
        'content models need a dataset loaded with its catalog',
    );
  }
  const n = dataset.items.size;
  const sizes = [
    side.titles.length,
    side.descriptions.length,
    side.categories.offsets.length - 1,
    side.tags.offsets.length - 1,
  ];
  if (sizes.some((s) => s !== n)) {
    throw new ModelError(
      ModelErrorCode.FIT_FAILED,
      `${model}: item side data covers ${sizes.join('/')} items, the dataset has ${n}`,
    );
  }
  return side;
}

/** Field weights of an item's text document; 0 leaves a field out. */
export interface ItemFieldWeights {
  title: number;
  description: number;
  categories: number;
  tags: number;
}

/**
 * One weighted bag of terms per item: title and description tokens (shared vocabulary), and each category
 * and tag as one whole token with a field prefix (`cat:developer tools`, `tag:ocr`), lowercased.
 */
export function itemDocuments(side: ItemSideData, weights: ItemFieldWeights): Map<string, number>[] {
  const n = side.titles.length;
  const docs: Map<string, number>[] = [];
  for (let i = 0; i < n; i++) {
    const doc = new Map<string, number>();
    addTerms(doc, tokenize(side.titles[i]), weights.title);
    addTerms(doc, tokenize(side.descriptions[i]), weights.description);
    addTerms(
      doc,
      columnValues(side.categories, i).map((c) => `cat:${side.categories.vocab.idAt(c).toLowerCase()}`),
      weights.categories,
    );
    addTerms(
      doc,
      columnValues(side.tags, i).map((t) => `tag:${side.tags.vocab.idAt(t).toLowerCase()}`),
      weights.tags,
    );
    docs.push(doc);
  }
  return docs;
}

function columnValues(col: MultiValueColumn, row: number): number[] {
  return Array.from(col.values.subarray(col.offsets[row], col.offsets[row + 1]));
}

/** Row-wise sets of a multi-value column: each row's values sorted ascending and de-duplicated. */
export function columnSets(col: MultiValueColumn): { indptr: Int32Array; values: Int32Array } {
  const rows = col.offsets.length - 1;
  const indptr = new Int32Array(rows + 1);
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const set = [...new Set(columnValues(col, r))].sort((a, b) => a - b);
    out.push(...set);
    indptr[r + 1] = out.length;
  }
  return { indptr, values: Int32Array.from(out) };
}
