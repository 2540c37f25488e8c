import type { ServedModel } from '../models/served-model';
import type { CatalogSnapshot } from './catalog-snapshot';

/**
 * The link between catalog indexes and a model's item indexes (both dense, neither the other's):
 * -1 where a service is not in the model (created after training) or a model item left the catalog.
 */
export interface ItemMapping {
  catalogToModel: Int32Array;
  modelToCatalog: Int32Array;
}

const built = new WeakMap<ServedModel, { catalog: CatalogSnapshot; mapping: ItemMapping }>();

/** The mapping for this (catalog, model) pair, built once per pair and reused by every request. */
export function itemMapping(catalog: CatalogSnapshot, served: ServedModel): ItemMapping {
  const hit = built.get(served);
  if (hit && hit.catalog === catalog) return hit.mapping;
  const catalogToModel = new Int32Array(catalog.ids.size).fill(-1);
  const modelToCatalog = new Int32Array(served.items.size).fill(-1);
  for (let m = 0; m < served.items.size; m++) {
    const c = catalog.ids.indexOf(served.items.idAt(m));
    if (c !== undefined) {
      modelToCatalog[m] = c;
      catalogToModel[c] = m;
    }
  }
  const mapping = { catalogToModel, modelToCatalog };
  built.set(served, { catalog, mapping });
  return mapping;
}

/** The model-index mask of the catalog mask `allowed` (0 for model items outside the catalog). */
export function modelMask(allowed: Uint8Array, mapping: ItemMapping): Uint8Array {
  const m2c = mapping.modelToCatalog;
  const mask = new Uint8Array(m2c.length);
  for (let m = 0; m < m2c.length; m++) {
    const c = m2c[m];
    if (c >= 0 && allowed[c] === 1) mask[m] = 1;
  }
  return mask;
}
