import {
  IdMap,
  InteractionLogBuilder,
  interactionTypeCode,
  type InteractionDataset,
  type ItemSideData,
} from '@recsys/data';

/**
 * A small labelled dataset with a known answer for the CTR side of the feature models: two user groups
 * and two item groups (the block dataset's layout; the catalog's categories agree with the groups), and
 * every user rates 6 items of each group: 4 or 5 stars in their own group (label 1 under rating ≥ 4),
 * 1 or 2 stars in the other (label 0). Events a minute apart, so every user has a session context.
 * (Self-contained: bench/ compiles test/support and cannot reach other packages' test folders.)
 */
export function ctrDataset(n = 12, m = 10): InteractionDataset {
  const users = IdMap.from(Array.from({ length: 2 * n }, (_, u) => `u${u}`));
  const items = IdMap.from(Array.from({ length: 2 * m }, (_, i) => `i${i}`));
  const log = new InteractionLogBuilder();
  const rating = interactionTypeCode('RATING');
  let t = 1_700_000_000;
  for (let u = 0; u < 2 * n; u++) {
    const own = u < n ? 0 : 1;
    for (let j = 0; j < 6; j++) {
      for (const group of [own, 1 - own]) {
        const item = group * m + ((u + 3 * j) % m);
        const liked = group === own;
        log.push(u, item, liked ? 4 + ((u + j) % 2) : 1 + ((u + j) % 2), (t += 60), rating);
      }
    }
  }
  return { name: 'ctr-block', users, items, log: log.build(), itemSide: twoGroupCatalog(2 * m) };
}

/** Items of the first half in category "Computer Vision", the rest in "Speech"; nothing else known. */
function twoGroupCatalog(nItems: number): ItemSideData {
  const ids = Array.from({ length: nItems }, (_, i) => i);
  const vocab = IdMap.from(['Computer Vision', 'Speech']);
  return {
    titles: ids.map((i) => `service ${i}`),
    descriptions: ids.map(() => null),
    categories: {
      vocab,
      offsets: Int32Array.from({ length: nItems + 1 }, (_, i) => i),
      values: Int32Array.from(ids, (i) => (i < nItems / 2 ? 0 : 1)),
    },
    tags: { vocab: new IdMap(), offsets: new Int32Array(nItems + 1), values: new Int32Array(0) },
    providers: new Int32Array(nItems).fill(-1),
    providerVocab: new IdMap(),
    pricingModels: new Uint8Array(nItems),
    priceTiers: new Uint8Array(nItems),
    pricesUsd: new Float32Array(nItems).fill(Number.NaN),
    freeTier: new Uint8Array(nItems),
    retired: new Uint8Array(nItems),
    createdAt: new Float64Array(nItems),
  };
}
