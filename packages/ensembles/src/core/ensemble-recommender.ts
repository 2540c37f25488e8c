import { randomUUID } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import type { CsrMatrix, InteractionDataset } from '@recsys/data';
import {
  BaseRecommender,
  createModel,
  ModelError,
  ModelErrorCode,
  readManifest,
  topK,
  type FitContext,
  type Json,
  type ModelState,
  type ScoredItems,
  type TrainableRecommender,
} from '@recsys/models';
import { baseModelFolder, createBaseModels, type BaseModelSpec } from '../base-models/base-model-list';
import type { FeatureMap } from '../features/feature-map';
import { idealDcg, meanNdcg, type RankingList } from '../learning/ranking-lists';
import { normalizedBaseScores } from '../scoring/base-scores';
import { activityEdges, segmentOf, userActivity, type SegmentsParams } from '../segments/activity-segments';
import { buildValidationSet, type ValidationSet } from '../validation/validation-set';
import { fitValidationSplit } from '../validation/validation-split';

/** The parameters every ensemble shares (each model's zod schema spells them out). */
export interface EnsembleSettings {
  models: BaseModelSpec[];
  /** Share of each user's training events held out to learn the weights on. */
  validationFraction: number;
  /** Top items per base model pooled into a validation user's candidates. */
  candidates: number;
  /** The cutoff the weights are judged at (NDCG@k). */
  k: number;
  seed: number;
  segments?: SegmentsParams;
}

/** What learning the weights reports, saved in the artifact's state for `recsys models` and reviews. */
export interface LearningSummary {
  validationUsers: number;
  /** Mean validation NDCG@k of the global weights, and of each segment's users under its weights. */
  validationNdcg: number;
  segments: { users: number; ownWeights: boolean; ndcgGlobal: number; ndcgOwn: number }[];
}

/** A thing that learns one weight row (features, then the bias last) from validation lists. */
export interface WeightLearner {
  learn(lists: RankingList[], warmStart: Float64Array | null, context: FitContext): Promise<Float64Array>;
}

/** Fraction of the fit spent at each phase boundary (fit side, scoring validation, learning, refit). */
const PHASES = { fitSide: 0.45, validation: 0.5, learned: 0.55 } as const;

/**
 * The shared machinery of the blend and stacking models:
 * 1. split the training data per user into a fit side and a validation side (seeded);
 * 2. fit the base models on the fit side and score each validation user's candidates with them,
 *    standardised per user;
 * 3. learn the weights on the validation users (globally, then per activity segment when asked);
 * 4. refit the base models on all the training data, keeping the learned weights.
 * score(u, i) = w_segment(u) · features(u, i) + bias. The artifact holds the weights and one sub-folder
 * per base model (each a complete artifact of its own, checked against the ensemble's training data).
 */
export abstract class EnsembleRecommender<S extends z.ZodObject> extends BaseRecommender<S> {
  private bases: TrainableRecommender[] = [];
  private features: FeatureMap | null = null;
  /** Rows of (dimension + 1): row 0 the global weights, row 1 + s segment s's; the bias is last. */
  private weightRows: Float64Array = new Float64Array(0);
  private edges: Float64Array = new Float64Array(0);
  private activity: Int32Array = new Int32Array(0);
  private summary: LearningSummary | null = null;
  private buffers: { base: Float32Array; rows: Float32Array; scratch: Float32Array } | null = null;

  /** The shared settings inside this model's params. */
  protected abstract settings(params: Readonly<z.output<S>>): EnsembleSettings;

  /** The feature map over a training view (its binary user × item matrix). */
  protected abstract featureMap(seen: CsrMatrix, models: number): FeatureMap;

  /** The learner of this model's weights. */
  protected abstract weightLearner(params: z.output<S>, dimension: number): WeightLearner;

  /** Called with the training data before anything else, for models that keep side data. */
  protected onTrainingData(dataset: InteractionDataset): void {
    void dataset;
  }

  /** Model-specific state besides weights and segments. */
  protected exportExtraState(): ModelState {
    return { arrays: {} };
  }

  protected importExtraState(state: ModelState): void {
    void state;
  }

  /** The fitted base models, in the order of the `models` parameter. */
  get baseModels(): readonly TrainableRecommender[] {
    return this.bases;
  }

  /** The learned global weights (one per feature), without the bias. */
  get globalWeights(): Float64Array {
    const d = this.dimension();
    return this.weightRows.slice(0, d);
  }

  /** Weights of activity segment `s` (the global ones when the segment kept them). */
  segmentWeights(s: number): Float64Array {
    const d = this.dimension();
    const row = 1 + s;
    if (row * (d + 1) >= this.weightRows.length) return this.globalWeights;
    return this.weightRows.slice(row * (d + 1), row * (d + 1) + d);
  }

  get learningSummary(): LearningSummary | null {
    return this.summary;
  }

  private dimension(): number {
    if (this.features === null)
      throw new ModelError(ModelErrorCode.NOT_FITTED, `${this.info.name}: call fit() or load() first`);
    return this.features.dimension;
  }

  protected async train(
    dataset: InteractionDataset,
    params: z.output<S>,
    context: FitContext,
  ): Promise<void> {
    const s = this.settings(params);
    this.onTrainingData(dataset);
    const { fit, validation } = fitValidationSplit(dataset, s.validationFraction, s.seed);
    if (validation.length === 0) {
      throw new ModelError(
        ModelErrorCode.FIT_FAILED,
        `${this.info.name}: no user has enough events to hold ${s.validationFraction} of them out for validation`,
      );
    }
    const fitSide = await this.fitBases(s.models, fit, context, 0, PHASES.fitSide);
    const set = await buildValidationSet(fitSide, fit, validation, {
      candidates: s.candidates,
      signal: context.signal,
      model: this.info.name,
    });
    if (set.users.length === 0) {
      throw new ModelError(
        ModelErrorCode.FIT_FAILED,
        `${this.info.name}: no validation user has a held-out item outside their history`,
      );
    }
    context.onProgress?.({ fraction: PHASES.validation, message: 'learning weights' });
    const fitFeatures = this.featureMap(set.seen, s.models.length);
    this.activity = userActivity(this.seen);
    this.edges = s.segments ? activityEdges(this.activity, s.segments.buckets) : new Float64Array(0);
    await this.learnWeights(set, fitFeatures, params, context);
    context.onProgress?.({ fraction: PHASES.learned, message: 'refitting base models on all training data' });
    this.bases = await this.fitBases(s.models, dataset, context, PHASES.learned, 1);
    this.features = this.featureMap(this.seen, s.models.length);
    this.buffers = null;
  }

  private async fitBases(
    specs: readonly BaseModelSpec[],
    data: InteractionDataset,
    context: FitContext,
    from: number,
    to: number,
  ): Promise<TrainableRecommender[]> {
    const models = createBaseModels(specs);
    const share = (to - from) / models.length;
    for (let b = 0; b < models.length; b++) {
      await models[b].fit(data, specs[b].params, {
        signal: context.signal,
        onProgress: (p) =>
          context.onProgress?.({
            fraction: from + share * (b + p.fraction),
            message: `${specs[b].name}: ${p.message ?? 'training'}`,
          }),
      });
    }
    return models;
  }

  private async learnWeights(
    set: ValidationSet,
    features: FeatureMap,
    params: z.output<S>,
    context: FitContext,
  ): Promise<void> {
    const s = this.settings(params);
    const d = features.dimension;
    const lists: RankingList[] = set.users.map((v) => {
      const rows = new Float32Array(v.items.length * d);
      features.fill(v.user, v.items, v.scores, rows);
      return { features: rows, relevant: v.relevant, idealDcg: idealDcg(v.relevantCount, s.k) };
    });
    const learner = this.weightLearner(params, d);
    const global = await learner.learn(lists, null, context);
    const segmentCount = s.segments ? this.edges.length + 1 : 0;
    const table = new Float64Array((1 + segmentCount) * (d + 1));
    table.set(global, 0);
    const score = (ls: RankingList[], w: Float64Array): number => meanNdcg(ls, w.subarray(0, d), s.k);
    const summary: LearningSummary = {
      validationUsers: lists.length,
      validationNdcg: score(lists, global),
      segments: [],
    };
    for (let seg = 0; seg < segmentCount; seg++) {
      const mine = lists.filter((_, i) => segmentOf(this.activity[set.users[i].user], this.edges) === seg);
      const own = s.segments !== undefined && mine.length >= s.segments.minUsers;
      const w = own ? await learner.learn(mine, global, context) : global;
      table.set(w, (1 + seg) * (d + 1));
      summary.segments.push({
        users: mine.length,
        ownWeights: own,
        ndcgGlobal: score(mine, global),
        ndcgOwn: score(mine, w),
      });
    }
    this.weightRows = table;
    this.summary = summary;
  }

  scoreAll(user: number, out: Float32Array = new Float32Array(this.nItems)): Float32Array {
    this.requireKnownUser(user);
    const features = this.features;
    if (features === null) throw new ModelError(ModelErrorCode.NOT_FITTED, `${this.info.name}: not fitted`);
    const n = this.nItems;
    const d = features.dimension;
    const buf = (this.buffers ??= {
      base: new Float32Array(n * this.bases.length),
      rows: new Float32Array(n * d),
      scratch: new Float32Array(n),
    });
    normalizedBaseScores(this.bases, this.seen, user, buf.base, buf.scratch);
    features.fill(user, null, buf.base, buf.rows);
    const segment = this.edges.length > 0 ? segmentOf(this.activity[user], this.edges) : -1;
    const rowCount = this.weightRows.length / (d + 1);
    const o = 1 + segment < rowCount ? (1 + segment) * (d + 1) : 0;
    const w = this.weightRows;
    for (let i = 0; i < n; i++) {
      let s = w[o + d];
      for (let j = 0; j < d; j++) s += w[o + j] * buf.rows[i * d + j];
      out[i] = s;
    }
    return out;
  }

  /** How much each base model counts, for fusing their similar-item lists (non-negative). */
  protected abstract baseModelImportance(): Float64Array;

  /**
   * Reciprocal-rank fusion (Cormack, Clarke, Büttcher 2009) of the base models' similar-item lists,
   * each weighted by its importance in this ensemble: Σ_m w_m / (60 + rank_m(j)). Item-item
   * similarity has no validation signal of its own, so the user-level weights are the best guide.
   */
  similarItems(item: number, k: number): ScoredItems {
    this.checkItem(item);
    let importance = this.baseModelImportance();
    if (!importance.some((w) => w > 0)) importance = new Float64Array(this.bases.length).fill(1);
    const fused = new Float64Array(this.nItems).fill(-Infinity);
    const depth = Math.max(k, 50);
    this.bases.forEach((base, b) => {
      if (!(importance[b] > 0)) return;
      const list = base.similarItems(item, depth);
      for (let r = 0; r < list.items.length; r++) {
        const j = list.items[r];
        fused[j] = (fused[j] === -Infinity ? 0 : fused[j]) + importance[b] / (60 + r + 1);
      }
    });
    fused[item] = -Infinity;
    return topK(fused, k);
  }

  protected exportState(): ModelState {
    const extra = this.exportExtraState();
    for (const reserved of ['weights', 'segment_edges'])
      if (reserved in extra.arrays)
        throw new Error(`${this.info.name}: state array "${reserved}" is reserved`);
    const specs = this.settings(this.params).models;
    return {
      arrays: { ...extra.arrays, weights: this.weightRows, segment_edges: this.edges },
      values: {
        ...extra.values,
        dimension: this.dimension(),
        baseModels: specs.map((spec, i) => baseModelFolder(i, spec)),
        learning: this.summary === null ? null : (JSON.parse(JSON.stringify(this.summary)) as Json),
      },
    };
  }

  protected importState(state: ModelState, params: z.output<S>): void {
    const s = this.settings(params);
    const bad = (what: string): ModelError =>
      new ModelError(ModelErrorCode.BAD_ARTIFACT, `${this.info.name}: ${what}`);
    const weights = state.arrays.weights;
    const edges = state.arrays.segment_edges;
    if (!(weights instanceof Float64Array)) throw bad('state array "weights" is missing or not float64');
    if (!(edges instanceof Float64Array)) throw bad('state array "segment_edges" is missing or not float64');
    this.importExtraState(state);
    const features = this.featureMap(this.seen, s.models.length);
    const d = features.dimension;
    const rows = weights.length / (d + 1);
    const expectedRows = s.segments ? 1 + edges.length + 1 : 1;
    if (!Number.isInteger(rows) || rows !== expectedRows)
      throw bad(`${weights.length} weights do not make ${expectedRows} rows of ${d} features and a bias`);
    this.features = features;
    this.weightRows = weights;
    this.edges = edges;
    this.activity = userActivity(this.seen);
    this.buffers = null;
    const learning = state.values?.learning;
    this.summary = learning ? (learning as unknown as LearningSummary) : null;
  }

  /** Saves the ensemble's artifact with one sub-folder per base model, all or nothing. */
  override async save(dir: string, extras: { metrics?: Record<string, number> } = {}): Promise<void> {
    const target = path.resolve(dir);
    const staging = `${target}.staging-${randomUUID()}`;
    const specs = this.settings(this.params).models;
    try {
      await super.save(staging, extras);
      for (let b = 0; b < this.bases.length; b++)
        await this.bases[b].save(path.join(staging, baseModelFolder(b, specs[b])));
      await rm(target, { recursive: true, force: true });
      await rename(staging, target);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
  }

  /** Restores the ensemble, then each base model from its sub-folder (BAD_ARTIFACT if one is missing or stale). */
  override async loadFrom(dir: string): Promise<this> {
    await super.loadFrom(dir);
    const manifest = await readManifest(dir);
    const specs = this.settings(this.params).models;
    const bases: TrainableRecommender[] = [];
    for (let b = 0; b < specs.length; b++) {
      const sub = path.join(dir, baseModelFolder(b, specs[b]));
      let baseManifest;
      try {
        baseManifest = await readManifest(sub);
      } catch (error) {
        throw new ModelError(
          ModelErrorCode.BAD_ARTIFACT,
          `${this.info.name}: base model ${b} (${specs[b].name}) is missing or damaged: ${(error as Error).message}`,
        );
      }
      if (baseManifest.data.fingerprint !== manifest.data.fingerprint) {
        throw new ModelError(
          ModelErrorCode.BAD_ARTIFACT,
          `${this.info.name}: base model ${b} (${specs[b].name}) was trained on other data than the ensemble`,
        );
      }
      bases.push(await createModel(specs[b].name).loadFrom(sub));
    }
    this.bases = bases;
    return this;
  }
}
