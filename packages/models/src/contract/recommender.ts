import type { InteractionDataset } from '@recsys/data';

/** Progress a model reports while it trains; the worker forwards it to the queue, the CLI to a bar. */
export interface FitProgress {
  /** 0..1 of the whole fit. */
  fraction: number;
  epoch?: number;
  epochs?: number;
  loss?: number;
  /** A validation metric, when the model evaluates one while it trains. */
  metric?: { name: string; value: number };
  message?: string;
}

export interface FitContext {
  onProgress?: (progress: FitProgress) => void;
  /** Stops training at the next epoch or block boundary with an ABORTED error. */
  signal?: AbortSignal;
}

/** Which items may be recommended: a mask over item indexes (1 = allowed) or a predicate. */
export type ItemFilter = Uint8Array | ((item: number) => boolean);

export interface RecommendOptions {
  /** Leave out items the user interacted with in the training data. Default true. */
  excludeSeen?: boolean;
  filter?: ItemFilter;
}

/** Items (dense indexes) with their scores, best first. */
export interface ScoredItems {
  items: Int32Array;
  scores: Float32Array;
}

/** What a model learns from and whether its scores are ratings. */
export type ModelTask = 'ranking' | 'rating' | 'ranking+rating';

/** The input a model trains on, which tells the trainer which loader or sampler to use (RecBole's input type). */
export type ModelInput = 'matrix' | 'ratings' | 'pointwise' | 'pairwise' | 'sequence' | 'content';

/** Static description of a model class. */
export interface ModelInfo {
  /** The registry name, also the artifact's model type. */
  name: string;
  task: ModelTask;
  input: ModelInput;
  /** One line for `recsys models` listings. */
  summary: string;
  /** The paper or reference implementation the model follows. */
  reference: string;
}

/**
 * The contract every model meets (the shape of implicit's RecommenderBase): fit once, then score,
 * recommend and find similar items by dense index, and save to a versioned artifact folder.
 * Users and items are the dense indexes of the dataset's IdMaps, which the artifact saves.
 */
export interface Recommender<P extends object = object> {
  readonly info: ModelInfo;
  readonly params: Readonly<P>;
  /** Trains on `dataset.log` (already the training part of any split). Params are validated first. */
  fit(dataset: InteractionDataset, params?: unknown, context?: FitContext): Promise<this>;
  /** Scores of `items` for `user`; ratings for rating models. Throws ColdStartError for an unknown user. */
  score(user: number, items: Int32Array): Float32Array;
  /** Scores of every item for `user`, written into `out` when given. */
  scoreAll(user: number, out?: Float32Array): Float32Array;
  recommend(user: number, k: number, options?: RecommendOptions): ScoredItems;
  /** The `k` items most similar to `item`, excluding itself. */
  similarItems(item: number, k: number): ScoredItems;
  /** Whether the model has training history for `user` (false: cold start). */
  knowsUser(user: number): boolean;
  save(dir: string, extras?: { metrics?: Record<string, number> }): Promise<void>;
}

/** A model the registry can create, configure and restore: every model class meets this. */
export interface TrainableRecommender extends Recommender {
  /** Validates params for this model (INVALID_PARAMS naming unknown keys and wrong types). */
  parseParams(input: unknown): object;
  /** Restores this new instance from an artifact folder of its type (BAD_ARTIFACT otherwise). */
  loadFrom(dir: string): Promise<this>;
}
