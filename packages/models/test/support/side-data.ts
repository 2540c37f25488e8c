import { IdMap, type ItemSideData, type MultiValueColumn } from '@recsys/data';

/** A multi-value column from one list of names per item. */
export function column(rows: string[][]): MultiValueColumn {
  const vocab = IdMap.from(rows.flat());
  const offsets = Int32Array.from([0, ...rows.map((_, r) => rows.slice(0, r + 1).flat().length)]);
  return { vocab, offsets, values: Int32Array.from(rows.flat(), (name) => vocab.indexOf(name) as number) };
}

export interface CatalogText {
  titles?: string[];
  descriptions?: (string | null)[];
  categories: string[][];
  tags: string[][];
}

/** Catalog side data with the given text, categories and tags; every other field neutral. */
export function itemSideData({ titles, descriptions, categories, tags }: CatalogText): ItemSideData {
  const n = categories.length;
  return {
    titles: titles ?? categories.map((_, i) => `service ${i}`),
    descriptions: descriptions ?? new Array<null>(n).fill(null),
    categories: column(categories),
    tags: column(tags),
    providers: new Int32Array(n).fill(-1),
    providerVocab: new IdMap(),
    pricingModels: new Uint8Array(n),
    priceTiers: new Uint8Array(n),
    pricesUsd: new Float32Array(n).fill(Number.NaN),
    freeTier: new Uint8Array(n),
    retired: new Uint8Array(n),
    createdAt: new Float64Array(n),
  };
}
