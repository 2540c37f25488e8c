import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { IdMap } from '@recsys/data';
import {
  BaseRecommender,
  FactorModel,
  loadModel,
  readManifest,
  type Factors,
  type Recommender,
} from '@recsys/models';
import type { ModelRef } from './model-source';

/** A loaded model with what serving needs beside it. Immutable: a swap replaces the whole object. */
export interface ServedModel {
  readonly versionId: string;
  readonly label: string;
  readonly model: Recommender;
  readonly users: IdMap;
  readonly items: IdMap;
  /** The dataset the artifact was trained on (its manifest). */
  readonly dataset: string;
  /** Item factors of factor models (ALS, SVD...), for explanation affinities; null otherwise. */
  readonly factors: Factors | null;
  readonly loadedAtMs: number;
}

/** Loads an artifact folder completely (model, id maps) before anything may serve it. */
export async function loadServedModel(ref: ModelRef): Promise<ServedModel> {
  const model = await loadModel(ref.dir);
  const manifest = await readManifest(ref.dir);
  let users: IdMap;
  let items: IdMap;
  if (model instanceof BaseRecommender) {
    users = model.users;
    items = model.items;
  } else {
    users = await readIdMap(path.join(ref.dir, manifest.idMaps.users));
    items = await readIdMap(path.join(ref.dir, manifest.idMaps.items));
  }
  return {
    versionId: ref.versionId,
    label: ref.versionLabel,
    model,
    users,
    items,
    dataset: manifest.data.dataset,
    factors: model instanceof FactorModel ? model.factors : null,
    loadedAtMs: Date.now(),
  };
}

async function readIdMap(file: string): Promise<IdMap> {
  return IdMap.fromJSON(JSON.parse(await readFile(file, 'utf8')) as string[]);
}
