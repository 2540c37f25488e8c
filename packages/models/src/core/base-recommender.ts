import type { z } from 'zod';
import {
  datasetFingerprint,
  type IdMap,
  rowOf,
  userItemMatrix,
  type CsrMatrix,
  type InteractionDataset,
} from '@recsys/data';
import { readArtifact, writeArtifact } from '../artifact/artifact-io';
import type { Json, ModelArray } from '../artifact/manifest';
import { ColdStartError, ModelError, ModelErrorCode } from '../contract/errors';
import { parseParams } from '../contract/params';
import type {
  FitContext,
  ItemFilter,
  ModelInfo,
  RecommendOptions,
  ScoredItems,
  TrainableRecommender,
} from '../contract/recommender';
import { topK } from './top-k';

/** What a model saves besides the shared parts (id maps, seen matrix, params). */
export interface ModelState {
  arrays: Record<string, ModelArray>;
  values?: { [key: string]: Json };
}

interface TrainingFacts {
  dataset: string;
  fingerprint: string;
  users: IdMap;
  items: IdMap;
  events: number;
  /** Binary user × item matrix of the training events: what `excludeSeen` leaves out. */
  seen: CsrMatrix;
}

/**
 * The plumbing every model shares, so a model file holds only its algorithm (implicit's
 * MatrixFactorizationBase): parameter validation, id maps, the seen-items matrix, filtering and top-k
 * in `recommend`, and the artifact round trip. A model implements `train`, `scoreAll`,
 * `similarItems`, `exportState` and `importState`.
 */
export abstract class BaseRecommender<S extends z.ZodObject> implements TrainableRecommender {
  abstract readonly info: ModelInfo;
  /** Version of this model's saved state; bump it when `exportState` changes shape. */
  protected abstract readonly stateVersion: number;
  protected abstract readonly paramsSchema: S;

  private fitted: TrainingFacts | null = null;
  private currentParams: z.output<S> | null = null;

  get params(): Readonly<z.output<S>> {
    if (this.currentParams === null) return this.parseParams({});
    return this.currentParams;
  }

  /** Validates params for this model: unknown keys and wrong types are INVALID_PARAMS errors. */
  parseParams(input: unknown): z.output<S> {
    return parseParams(this.info.name, this.paramsSchema, input);
  }

  get nUsers(): number {
    return this.facts().users.size;
  }

  get nItems(): number {
    return this.facts().items.size;
  }

  get users(): IdMap {
    return this.facts().users;
  }

  get items(): IdMap {
    return this.facts().items;
  }

  /** The binary training matrix (users × items). */
  protected get seen(): CsrMatrix {
    return this.facts().seen;
  }

  async fit(dataset: InteractionDataset, params?: unknown, context: FitContext = {}): Promise<this> {
    const parsed = this.parseParams(params);
    if (dataset.log.length === 0)
      throw new ModelError(ModelErrorCode.FIT_FAILED, `${this.info.name}: no training events`);
    const seen = userItemMatrix(dataset.log, dataset.users.size, dataset.items.size, { value: 'binary' });
    this.currentParams = parsed;
    this.fitted = {
      dataset: dataset.name,
      fingerprint: datasetFingerprint(dataset),
      users: dataset.users,
      items: dataset.items,
      events: dataset.log.length,
      seen,
    };
    context.onProgress?.({ fraction: 0, message: 'training' });
    await this.train(dataset, parsed, context);
    context.onProgress?.({ fraction: 1, message: 'trained' });
    return this;
  }

  /** The algorithm: learn from `dataset.log` (the training events). */
  protected abstract train(
    dataset: InteractionDataset,
    params: z.output<S>,
    context: FitContext,
  ): Promise<void>;

  abstract scoreAll(user: number, out?: Float32Array): Float32Array;

  abstract similarItems(item: number, k: number): ScoredItems;

  protected abstract exportState(): ModelState;

  protected abstract importState(state: ModelState, params: z.output<S>): void;

  knowsUser(user: number): boolean {
    const f = this.facts();
    return user >= 0 && user < f.users.size && f.seen.indptr[user + 1] > f.seen.indptr[user];
  }

  /** Throws ColdStartError unless the model has training history for `user`. */
  protected requireKnownUser(user: number): void {
    this.checkUser(user);
    if (!this.knowsUser(user)) throw new ColdStartError(this.info.name, user);
  }

  protected checkUser(user: number): void {
    const n = this.facts().users.size;
    if (!Number.isInteger(user) || user < 0 || user >= n) {
      throw new ModelError(
        ModelErrorCode.UNKNOWN_ID,
        `${this.info.name}: user index ${user} outside 0..${n - 1}`,
      );
    }
  }

  protected checkItem(item: number): void {
    const n = this.facts().items.size;
    if (!Number.isInteger(item) || item < 0 || item >= n) {
      throw new ModelError(
        ModelErrorCode.UNKNOWN_ID,
        `${this.info.name}: item index ${item} outside 0..${n - 1}`,
      );
    }
  }

  score(user: number, items: Int32Array): Float32Array {
    for (let i = 0; i < items.length; i++) this.checkItem(items[i]);
    const all = this.scoreAll(user);
    const out = new Float32Array(items.length);
    for (let i = 0; i < items.length; i++) out[i] = all[items[i]];
    return out;
  }

  recommend(user: number, k: number, options: RecommendOptions = {}): ScoredItems {
    if (!Number.isInteger(k) || k <= 0)
      throw new RangeError(`${this.info.name}: k must be a positive integer, got ${k}`);
    const scores = this.scoreAll(user);
    if (options.excludeSeen ?? true) this.excludeSeen(user, scores);
    if (options.filter) applyFilter(scores, options.filter);
    return topK(scores, k);
  }

  /** Sets the scores of the user's training items to -Infinity. */
  protected excludeSeen(user: number, scores: Float32Array): void {
    const seen = this.facts().seen;
    if (user < 0 || user >= seen.rows) return;
    const row = rowOf(seen, user);
    for (let j = 0; j < row.indices.length; j++) scores[row.indices[j]] = -Infinity;
  }

  async save(dir: string, extras: { metrics?: Record<string, number> } = {}): Promise<void> {
    const f = this.facts();
    const state = this.exportState();
    for (const reserved of ['seen_indptr', 'seen_indices']) {
      if (reserved in state.arrays)
        throw new Error(`${this.info.name}: state array name "${reserved}" is reserved`);
    }
    await writeArtifact(
      dir,
      {
        modelType: this.info.name,
        modelVersion: this.stateVersion,
        params: this.params as unknown as Json,
        createdAt: new Date().toISOString(),
        data: {
          dataset: f.dataset,
          fingerprint: f.fingerprint,
          users: f.users.size,
          items: f.items.size,
          events: f.events,
        },
        metrics: extras.metrics ?? {},
        state: state.values ?? {},
      },
      f.users,
      f.items,
      { ...state.arrays, seen_indptr: f.seen.indptr, seen_indices: f.seen.indices },
    );
  }

  /** Restores this (new) instance from an artifact folder of this model type. */
  async loadFrom(dir: string): Promise<this> {
    const { manifest, users, items, arrays } = await readArtifact(dir, this.info.name, this.stateVersion);
    const params = this.parseParams(manifest.params);
    const indptr = arrays.seen_indptr as Int32Array;
    const indices = arrays.seen_indices as Int32Array;
    const seen: CsrMatrix = {
      rows: users.size,
      cols: items.size,
      indptr,
      indices,
      data: new Float32Array(indices.length).fill(1),
    };
    const rest: Record<string, ModelArray> = {};
    for (const [name, a] of Object.entries(arrays))
      if (name !== 'seen_indptr' && name !== 'seen_indices') rest[name] = a;
    this.currentParams = params;
    this.fitted = {
      dataset: manifest.data.dataset,
      fingerprint: manifest.data.fingerprint,
      users,
      items,
      events: manifest.data.events,
      seen,
    };
    this.importState({ arrays: rest, values: manifest.state }, params);
    return this;
  }

  private facts(): TrainingFacts {
    if (this.fitted === null)
      throw new ModelError(ModelErrorCode.NOT_FITTED, `${this.info.name}: call fit() or load() first`);
    return this.fitted;
  }
}

/** Sets the scores of items the filter rejects to -Infinity. */
export function applyFilter(scores: Float32Array, filter: ItemFilter): void {
  if (filter instanceof Uint8Array) {
    if (filter.length !== scores.length) {
      throw new RangeError(`filter mask has ${filter.length} entries for ${scores.length} items`);
    }
    for (let i = 0; i < scores.length; i++) if (filter[i] === 0) scores[i] = -Infinity;
  } else {
    for (let i = 0; i < scores.length; i++) if (!filter(i)) scores[i] = -Infinity;
  }
}
