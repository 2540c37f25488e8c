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
  type ScoredItems,
} from '@recsys/models';
import type { Logger } from '../logger';
import type { ModelRef } from './model-source';
import { attachOnnxScoring, releaseModel, type ScoringRuntime } from './onnx-scoring';

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
  /** `model.similarItems`, memoized: a model's neighbours never change, and recomputing them per anchor
   * per request was the largest cost of an uncached recommendation. */
  readonly neighbours: NeighbourCache;
  /** Where `model.score`/`recommend` compute: ONNX Runtime on the artifact's model.onnx, or the model. */
  readonly runtime: ScoringRuntime;
  readonly loadedAtMs: number;
}

export interface LoadServedModelOptions {
  /** Where an unusable model.onnx is reported. */
  logger?: Logger;
  /** ONNX Runtime intra-op threads per version (default 1). */
  onnxThreads?: number;
}

/**
 * Each item's nearest neighbours, computed on first use (at least `depth` deep) and kept for the model's
 * life (a catalog of 10,000 items at depth 64 holds 5 MB). A deeper request recomputes once at its depth.
 */
export class NeighbourCache {
  private readonly lists: (ScoredItems | undefined)[];

  constructor(
    private readonly model: Recommender,
    nItems: number,
    readonly depth = 64,
  ) {
    this.lists = new Array<ScoredItems | undefined>(nItems);
  }

  similar(item: number, k: number): ScoredItems {
    let list = this.lists[item];
    if (list === undefined || (list.items.length < k && list.items.length >= this.depth)) {
      // A deeper request than the cached list recomputes at that depth and keeps the longer list.
      list = this.model.similarItems(item, Math.max(k, this.depth));
      this.lists[item] = list;
    }
    return list.items.length <= k
      ? list
      : { items: list.items.subarray(0, k), scores: list.scores.subarray(0, k) };
  }
}

/**
 * Loads an artifact folder completely (model, id maps) before anything may serve it; a model whose
 * artifact carries an ONNX graph it can use scores through ONNX Runtime (onnx-scoring.ts).
 */
export async function loadServedModel(
  ref: ModelRef,
  options: LoadServedModelOptions = {},
): Promise<ServedModel> {
  const model = await loadModel(ref.dir);
  try {
    const runtime = await attachOnnxScoring(model, ref, {
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.onnxThreads !== undefined ? { threads: options.onnxThreads } : {}),
    });
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
      neighbours: new NeighbourCache(model, items.size),
      runtime,
      loadedAtMs: Date.now(),
    };
  } catch (error) {
    releaseModel(model);
    throw error;
  }
}

async function readIdMap(file: string): Promise<IdMap> {
  return IdMap.fromJSON(JSON.parse(await readFile(file, 'utf8')) as string[]);
}
