import type { IdMap, InteractionDataset, ItemSideData } from '@recsys/data';
import { PersonalizationError, PersonalizationErrorCode } from './errors';

/**
 * What personalization reads of the served catalog: service ids ↔ dense catalog indexes, their side data
 * and an all-time popularity. The serving engine's CatalogSnapshot has these fields, so it is passed as is;
 * offline, `catalogFromDataset` builds one from an InteractionDataset.
 */
export interface CatalogView {
  readonly ids: IdMap;
  readonly side: ItemSideData;
  /** Distinct users per service (any non-negative popularity signal). */
  readonly popularity: Float32Array;
}

/** The category ids (into side.categories.vocab) of catalog index `item`, as a view. */
export function categoriesOf(side: ItemSideData, item: number): Int32Array {
  const c = side.categories;
  return c.values.subarray(c.offsets[item], c.offsets[item + 1]);
}

/** The first category id of `item` (how the marketplace lists it), or -1 for none. */
export function primaryCategoryOf(side: ItemSideData, item: number): number {
  const c = side.categories;
  return c.offsets[item] < c.offsets[item + 1] ? c.values[c.offsets[item]] : -1;
}

/** The category names of `item`. */
export function categoryNamesOf(side: ItemSideData, item: number): string[] {
  return Array.from(categoriesOf(side, item), (c) => side.categories.vocab.idAt(c));
}

/** 1 for services that may be shown (not retired), per catalog index. */
export function activeMask(side: ItemSideData): Uint8Array {
  const mask = new Uint8Array(side.retired.length);
  for (let i = 0; i < mask.length; i++) mask[i] = side.retired[i] === 1 ? 0 : 1;
  return mask;
}

/**
 * A CatalogView of a dataset: its items and side data, popularity = distinct users per item over `events`
 * (all of the log by default), as the serving engine's catalog loader counts it.
 */
export function catalogFromDataset(dataset: InteractionDataset, events?: ArrayLike<number>): CatalogView {
  const side = dataset.itemSide;
  if (!side)
    throw new PersonalizationError(
      PersonalizationErrorCode.BAD_INPUT,
      `dataset "${dataset.name}" has no item side data (categories, price tiers): personalization needs its catalog`,
    );
  const { log } = dataset;
  const nItems = dataset.items.size;
  const n = events ? events.length : log.length;
  // Distinct (item, user) pairs: sort the pair keys, count the distinct ones per item.
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const e = events ? events[k] : k;
    keys[k] = log.items[e] * dataset.users.size + log.users[e];
  }
  keys.sort();
  const popularity = new Float32Array(nItems);
  for (let k = 0; k < n; k++)
    if (k === 0 || keys[k] !== keys[k - 1]) popularity[Math.floor(keys[k] / dataset.users.size)]++;
  return { ids: dataset.items, side, popularity };
}
