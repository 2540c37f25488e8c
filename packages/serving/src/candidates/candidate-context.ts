import type { CatalogSnapshot } from '../catalog/catalog-snapshot';
import type { ItemMapping } from '../catalog/model-item-map';
import type { ServedModel } from '../models/served-model';
import type { CandidateSet } from './candidate-set';

/** An item whose neighbours become candidates: catalog index and ANCHOR_USED / ANCHOR_VIEWED. */
export interface Anchor {
  item: number;
  kind: number;
}

/** What every candidate source reads, fixed for one request. */
export interface CandidateContext {
  catalog: CatalogSnapshot;
  /** Catalog mask: 1 = may be recommended (active, passes the filter, not used, not excluded). */
  allowed: Uint8Array;
  served: ServedModel | null;
  mapping: ItemMapping | null;
  /** The same mask over the model's item indexes (null without a model). */
  modelAllowed: Uint8Array | null;
  /** The user's model index when the model knows the user, else -1. */
  userIndex: number;
  anchors: readonly Anchor[];
  set: CandidateSet;
}
