import type { IdMap } from '../ids/id-map';
import type { InteractionLog } from '../interactions/interaction-log';

/**
 * A variable-length list per row (an item's categories, a user's declared interests) in CSR form:
 * the values of row r are `values[offsets[r] .. offsets[r+1])`, indexes into `vocab`.
 */
export interface MultiValueColumn {
  vocab: IdMap;
  offsets: Int32Array;
  values: Int32Array;
}

/** What is known about each item (service), indexed by the dataset's dense item index. */
export interface ItemSideData {
  titles: string[];
  descriptions: (string | null)[];
  categories: MultiValueColumn;
  tags: MultiValueColumn;
  /** Index into `providerVocab`, or -1 when the item has no provider. */
  providers: Int32Array;
  providerVocab: IdMap;
  /** Index into PRICING_MODELS. */
  pricingModels: Uint8Array;
  priceTiers: Uint8Array;
  /** NaN when unknown. */
  pricesUsd: Float32Array;
  freeTier: Uint8Array;
  /** 1 for a retired service, which is never recommended. */
  retired: Uint8Array;
  /** Seconds since the epoch. */
  createdAt: Float64Array;
}

/** What is known about each user, indexed by the dataset's dense user index. */
export interface UserSideData {
  /** Index into USER_ROLES. */
  roles: Uint8Array;
  /** NaN when unknown. */
  ages: Float32Array;
  /** Index into the column's vocabulary, -1 when unknown. */
  genders: Int32Array;
  genderVocab: IdMap;
  occupations: Int32Array;
  occupationVocab: IdMap;
  countries: Int32Array;
  countryVocab: IdMap;
  /** Seconds since the epoch. */
  createdAt: Float64Array;
}

/**
 * A dataset as models consume it: dense ids, the event log as typed arrays, and the side data.
 * `items` covers the whole catalog (also services nobody has used yet), `users` every known user.
 */
export interface InteractionDataset {
  name: string;
  users: IdMap;
  items: IdMap;
  log: InteractionLog;
  itemSide?: ItemSideData;
  userSide?: UserSideData;
}
