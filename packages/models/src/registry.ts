import { ModelError, ModelErrorCode } from './contract/errors';
import type { TrainableRecommender } from './contract/recommender';
import { readManifest } from './artifact/artifact-io';
import { AlsModel } from './models/als';
import { CategorySimilarityModel } from './models/category-similarity';
import { ContentTfidfModel } from './models/content-tfidf';
import { EaseModel } from './models/ease';
import { ItemKnnModel } from './models/item-knn';
import { NmfModel } from './models/nmf';
import { PopularityModel } from './models/popularity';
import { SvdModel } from './models/svd';
import { TrendingModel } from './models/trending';
import { TruncatedSvdModel } from './models/truncated-svd';

/**
 * Every model by registry name: the one place that knows the classes. The CLI, the worker and the
 * serving layer create and load models through it; `ModelName` is derived from it, not from file names.
 */
const MODEL_FACTORIES = {
  popularity: () => new PopularityModel(),
  trending: () => new TrendingModel(),
  'item-knn': () => new ItemKnnModel(),
  ease: () => new EaseModel(),
  svd: () => new SvdModel(),
  'truncated-svd': () => new TruncatedSvdModel(),
  als: () => new AlsModel(),
  nmf: () => new NmfModel(),
  'content-tfidf': () => new ContentTfidfModel(),
  'category-similarity': () => new CategorySimilarityModel(),
} satisfies Record<string, () => TrainableRecommender>;

export type ModelName = keyof typeof MODEL_FACTORIES;
export const MODEL_NAMES = Object.keys(MODEL_FACTORIES) as ModelName[];

/** Models added by other packages at import time (`import '@recsys/deep'` adds neumf). */
const REGISTERED_FACTORIES = new Map<string, () => TrainableRecommender>();

/**
 * Adds a model that lives outside this package (one that depends on it, so it cannot be listed above):
 * createModel, loadModel, isModelName and MODEL_NAMES then know it. The static `ModelName` type lists
 * only the built-in models. Registering a built-in name throws; registering a name again replaces it.
 */
export function registerModelFactory(name: string, factory: () => TrainableRecommender): void {
  if (Object.prototype.hasOwnProperty.call(MODEL_FACTORIES, name))
    throw new Error(`model "${name}" is built in and cannot be registered again`);
  if (!REGISTERED_FACTORIES.has(name)) (MODEL_NAMES as string[]).push(name);
  REGISTERED_FACTORIES.set(name, factory);
}

export function isModelName(name: string): name is ModelName {
  return Object.prototype.hasOwnProperty.call(MODEL_FACTORIES, name) || REGISTERED_FACTORIES.has(name);
}

/** A new, unfitted model of `name`; INVALID_PARAMS naming the known models when there is none. */
export function createModel(name: string): TrainableRecommender {
  if (!isModelName(name)) {
    throw new ModelError(
      ModelErrorCode.INVALID_PARAMS,
      `unknown model "${name}" (known: ${MODEL_NAMES.join(', ')})`,
    );
  }
  return (REGISTERED_FACTORIES.get(name) ?? MODEL_FACTORIES[name])();
}

/** Loads any artifact folder, choosing the class from its manifest. */
export async function loadModel(dir: string): Promise<TrainableRecommender> {
  const manifest = await readManifest(dir);
  if (!isModelName(manifest.modelType)) {
    throw new ModelError(
      ModelErrorCode.BAD_ARTIFACT,
      `artifact ${dir}: unknown model type "${manifest.modelType}"`,
    );
  }
  return createModel(manifest.modelType).loadFrom(dir);
}
