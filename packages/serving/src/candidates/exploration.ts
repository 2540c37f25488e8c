import type { CatalogSnapshot } from '../catalog/catalog-snapshot';
import type { ItemMapping } from '../catalog/model-item-map';
import { SOURCE } from './candidate-set';
import type { CandidateContext } from './candidate-context';

const unseenByMapping = new WeakMap<ItemMapping, Int32Array>();

/**
 * The catalog's active services that the model has never seen, newest first: computed once per
 * (catalog, model) mapping instead of walking the whole catalog per request (usually few or none).
 */
function newestUnseen(catalog: CatalogSnapshot, mapping: ItemMapping | null): Int32Array {
  if (mapping === null) return catalog.newestFirst;
  let unseen = unseenByMapping.get(mapping);
  if (unseen === undefined) {
    unseen = catalog.newestFirst.filter((c) => mapping.catalogToModel[c] < 0);
    unseenByMapping.set(mapping, unseen);
  }
  return unseen;
}

/**
 * The `n` newest allowed services that the model has never seen (all services when no model is loaded):
 * new services get impressions, hence the data that brings them into the next model.
 */
export function addExplorationCandidates(ctx: CandidateContext, n: number): void {
  if (n === 0) return;
  const unseen = newestUnseen(ctx.catalog, ctx.mapping);
  let taken = 0;
  for (let k = 0; k < unseen.length && taken < n; k++) {
    const c = unseen[k];
    if (ctx.allowed[c] === 0) continue;
    ctx.set.add(c, SOURCE.exploration, 1 - taken / n);
    taken++;
  }
}
