import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import {
  Rng,
  selectEvents,
  UniformNegativeSampler,
  userItemMatrix,
  type InteractionDataset,
} from '@recsys/data';
import {
  ctrExamples,
  fitCtrPipelines,
  ratingLabel,
  type CtrBatch,
  type FeatureSchema,
} from '@recsys/features';
import {
  BaseRecommender,
  cosineToAll,
  ModelError,
  ModelErrorCode,
  rowNorms,
  topK,
  type FitContext,
  type ModelState,
  type ScoredItems,
} from '@recsys/models';
import { OnnxGraphBuilder } from '../onnx/onnx-graph';
import type { OnnxScorer, OnnxServable } from '../onnx/onnx-scorer';
import {
  FeatureInputGraph,
  finishFeatureGraph,
  type FeatureGraphSource,
} from '../onnx/feature-input-to-onnx';
import { ensureBackend, type BackendChoice } from '../runtime/backend-ladder';
import type { DeepLogger } from '../runtime/logger';
import { batchesOf, PointwiseExamples } from '../training/pointwise-examples';
import { sampledHitRate, sampledValidation } from '../training/sampled-hit-rate';
import { epochProgress, trainNetwork, type TrainNetworkResult } from '../training/train-network';
import { restoreWeights } from '../nn/saved-weights';
import type { FeatureLayout, FeatureRows, LabelledRows } from './feature-input';
import {
  ctrScores,
  type CtrRecommender,
  type CtrRowsOptions,
  type CtrTrainingData,
} from './feature-input-ctr';
import type { FeatureNetwork } from './feature-input-network';
import { FEATURE_MODEL_BATCH_SIZE, type FeatureTrainingParams } from './feature-input-params';
import { FittedFeatures, type FeatureRecordRow } from './feature-input-tables';

/** Options of a feature model instance that are not hyper-parameters (not saved with the model). */
export interface FeatureModelOptions {
  /** Where the best weights are also written during training (checkpoint.json + weights.bin). */
  checkpointDir?: string;
  logger?: DeepLogger;
  /** Whether `save` also writes `model.onnx` (the ranking graph) into the artifact folder (default true). */
  exportOnnx?: boolean;
}

/** Which graph `toOnnx` builds (see FeatureGraphSource). */
export type FeatureGraphForm = 'ranking' | 'rows';

/** Rows per tf call when scoring. */
const SCORE_CHUNK = 16_384;
/** Rows per batch when the model reads labelled rows for validation or `ctrRows`. */
const ROWS_BATCH = 4096;

/** A training plan: the epoch's batches and the validation metric (higher is better). */
interface Plan {
  batches(): Iterable<LabelledRows>;
  validation?: { name: string; evaluate(): number };
}

/**
 * Everything the feature models (logistic regression, FM, Wide & Deep, NFM, DCN-v2) share, so each model
 * module holds only its network, its ONNX graph and its parameters:
 * - features: the user, service and context pipelines of @recsys/features fitted on the training events
 *   (`fitCtrPipelines`), every user's and item's row transformed once (FittedFeatures), saved with the model;
 * - two ways to train, one network: `fit(dataset)` as a ranking model (NCF's pointwise protocol: implicit
 *   positives and sampled negatives, early stopping on HR@K of a held-out event per user, like NeuMF) and
 *   `fitCtr(data)` on labelled events (early stopping on validation AUC or log loss), both through the
 *   shared loop (training/train-network.ts: bounded batches, checkpoints, no tensor leaks);
 * - scoring (`score`, `scoreAll`, `predictCtr`, `predictRecords`), similar items (cosine over the item's
 *   field embeddings), the artifact round trip and the ONNX export (`toOnnx`; `save` writes model.onnx).
 */
export abstract class FeatureInputRecommender<S extends z.ZodObject>
  extends BaseRecommender<S>
  implements CtrRecommender, OnnxServable
{
  readonly supportsCtr = true as const;
  protected readonly stateVersion = 1;

  private network: FeatureNetwork | null = null;
  private fittedFeatures: FittedFeatures | null = null;
  private pendingCtr: CtrTrainingData | null = null;
  private itemVectors: { values: Float32Array; dim: number; norms: Float32Array } | null = null;
  private allItems: Int32Array = new Int32Array(0);
  /** When set (by the serving engine), (user, item) scores come from the ranking graph through ONNX Runtime. */
  private onnx: OnnxScorer | null = null;
  /** The backend that trained (or serves) this model, and the last fit's training history. */
  backend: BackendChoice | null = null;
  batchSize = 0;
  training: TrainNetworkResult | null = null;

  constructor(protected readonly options: FeatureModelOptions = {}) {
    super();
  }

  /** The model's network for these rows (a new one, initialised from params.seed). */
  protected abstract createNetwork(
    layout: FeatureLayout,
    schema: FeatureSchema,
    params: z.output<S>,
  ): FeatureNetwork;

  /** Adds the model's layers above `input` to `g`; returns the logit ([N] or [N, 1]). */
  protected abstract graphLogit(
    g: OnnxGraphBuilder,
    input: FeatureInputGraph,
    network: FeatureNetwork,
    weights: Record<string, Float32Array>,
  ): string;

  /** Checks of params that zod cannot express (e.g. dropout rates per layer); INVALID_PARAMS. */
  protected checkParams(params: z.output<S>): void {
    void params;
  }

  /** Every feature model's schema spreads TRAINING_PARAMS, so its parsed params carry these fields. */
  private trainingParams(params: z.output<S>): FeatureTrainingParams {
    return params as unknown as FeatureTrainingParams;
  }

  async fitCtr(data: CtrTrainingData, params?: unknown, context: FitContext = {}): Promise<this> {
    const n = data.dataset.log.length;
    for (const [name, events] of [
      ['train', data.train],
      ['validation', data.validation ?? []],
    ] as const) {
      for (let k = 0; k < events.length; k++)
        if (!Number.isInteger(events[k]) || events[k] < 0 || events[k] >= n)
          throw new ModelError(
            ModelErrorCode.INVALID_PARAMS,
            `${this.info.name}: ${name} event ${events[k]} is not an index of the log (0..${n - 1})`,
          );
    }
    const label = data.label ?? ratingLabel(4);
    const { values, types } = data.dataset.log;
    let labelled = 0;
    for (let k = 0; k < data.train.length; k++)
      if (!Number.isNaN(label(values[data.train[k]], types[data.train[k]]))) labelled++;
    if (labelled === 0)
      throw new ModelError(
        ModelErrorCode.FIT_FAILED,
        `${this.info.name}: none of the ${data.train.length} training events has a label ` +
          '(the default label needs RATING or REVIEW events with a value)',
      );
    this.pendingCtr = data;
    try {
      // The base class records id maps and the seen matrix of the training events; `train` sees pendingCtr.
      return await this.fit(
        { ...data.dataset, log: selectEvents(data.dataset.log, data.train) },
        params,
        context,
      );
    } finally {
      this.pendingCtr = null;
    }
  }

  protected async train(
    dataset: InteractionDataset,
    params: z.output<S>,
    context: FitContext,
  ): Promise<void> {
    this.checkParams(params);
    const p = this.trainingParams(params);
    const backend = await ensureBackend(this.options.logger ? { logger: this.options.logger } : {});
    this.backend = backend;
    this.batchSize =
      p.batchSize ?? (backend.gpu ? FEATURE_MODEL_BATCH_SIZE.gpu : FEATURE_MODEL_BATCH_SIZE.cpu);
    const ctr = this.pendingCtr;
    const features = ctr
      ? FittedFeatures.fit('ctr', fitCtrPipelines(ctr.dataset, ctr.train))
      : FittedFeatures.fit(
          'ranking',
          fitCtrPipelines(
            dataset,
            Int32Array.from({ length: dataset.log.length }, (_, e) => e),
          ),
        );
    const network = this.createNetwork(features.layout, features.schema, params);
    const plan = ctr
      ? this.ctrPlan(ctr, features, network, p)
      : this.rankingPlan(dataset, features, network, p);
    this.replaceNetwork(null);
    this.fittedFeatures = features;
    this.network = network;
    const optimizer = tf.train.adam(p.learningRate);
    context.onProgress?.({
      fraction: 0,
      message: `training (${features.objective}) on the ${backend.candidate} backend, batch ${this.batchSize}`,
    });
    try {
      this.training = await trainNetwork({
        modelName: this.info.name,
        network,
        optimizer,
        epochs: p.epochs,
        batches: () => plan.batches(),
        ...(plan.validation ? { validation: { ...plan.validation, patience: p.patience } } : {}),
        ...(this.options.checkpointDir !== undefined ? { checkpointDir: this.options.checkpointDir } : {}),
        ...(context.signal ? { signal: context.signal } : {}),
        onEpoch: (r) => context.onProgress?.(epochProgress(r)),
      });
    } catch (error) {
      this.replaceNetwork(null);
      throw error;
    } finally {
      optimizer.dispose();
    }
    this.afterWeightsChanged();
  }

  /** Implicit feedback: NCF's positives + sampled negatives, HR@K on one held-out event per user. */
  private rankingPlan(
    dataset: InteractionDataset,
    features: FittedFeatures,
    network: FeatureNetwork,
    p: FeatureTrainingParams,
  ): Plan {
    const drawn = p.validation
      ? sampledValidation(dataset.log, this.seen, p.validationNegatives, p.seed + 7, p.validationUsers)
      : null;
    const validation = drawn !== null && drawn.users.length > 0 ? drawn : null;
    const trainLog = validation !== null ? validation.train : dataset.log;
    const positives = userItemMatrix(trainLog, this.nUsers, this.nItems, { value: 'binary' });
    const examples = new PointwiseExamples(
      positives,
      new UniformNegativeSampler(positives, { seed: p.seed + 1 }),
      p.negatives,
      p.seed + 2,
    );
    const batchSize = this.batchSize;
    return {
      *batches() {
        for (const b of batchesOf(examples.epoch(), batchSize))
          yield features.pairRows(b.users, b.items, b.labels);
      },
      ...(validation !== null
        ? {
            validation: {
              name: `hr@${p.validationK}`,
              evaluate: () =>
                sampledHitRate(
                  validation,
                  (u, i) => network.predict(features.pairRows(u, i), undefined, SCORE_CHUNK),
                  p.validationK,
                ),
            },
          }
        : {}),
    };
  }

  /** Labelled events: rows of the shuffled training events each epoch, AUC or log loss on validation rows. */
  private ctrPlan(
    data: CtrTrainingData,
    features: FittedFeatures,
    network: FeatureNetwork,
    p: FeatureTrainingParams,
  ): Plan {
    const pipelines = features.fitted;
    if (pipelines === null) throw new Error('ctrPlan: features were not fitted in this process');
    const label = data.label ?? ratingLabel(4);
    const order = Int32Array.from(data.train);
    const rng = new Rng(p.seed + 3);
    const batchSize = this.batchSize;
    const validationEvents = data.validation ?? [];
    const byLogLoss = p.ctrValidationMetric === 'logloss';
    return {
      batches() {
        rng.shuffle(order);
        return ctrExamples(data.dataset, order, pipelines, { batchSize, label });
      },
      ...(validationEvents.length > 0
        ? {
            validation: {
              name: byLogLoss ? '-logloss' : 'auc',
              evaluate: () => {
                const s = ctrScores(
                  ctrExamples(data.dataset, validationEvents, pipelines, { batchSize: ROWS_BATCH, label }),
                  (rows) => network.predict(rows, undefined, SCORE_CHUNK),
                );
                return byLogLoss ? -s.logloss : s.auc;
              },
            },
          }
        : {}),
    };
  }

  /** ŷ for every item (the user's training-time features, each item's; a ctr model's neutral context). */
  scoreAll(user: number, out?: Float32Array): Float32Array {
    this.requireKnownUser(user);
    if (this.onnx !== null) {
      const scores = this.onnx.scoreAll(user);
      if (out === undefined) return scores;
      out.set(scores);
      return out;
    }
    const f = this.features();
    return this.net().predict(
      f.pairRows(new Int32Array(this.nItems).fill(user), this.allItems),
      out ?? new Float32Array(this.nItems),
      SCORE_CHUNK,
    );
  }

  /** ŷ for the candidates only (one forward pass over them). */
  override score(user: number, items: Int32Array): Float32Array {
    this.requireKnownUser(user);
    for (let i = 0; i < items.length; i++) this.checkItem(items[i]);
    return this.scoreRows(new Int32Array(items.length).fill(user), items);
  }

  /** ŷ for pairs (users[k], items[k]): batch scoring across users. */
  scorePairs(users: Int32Array, items: Int32Array): Float32Array {
    for (let k = 0; k < users.length; k++) {
      this.checkUser(users[k]);
      this.checkItem(items[k]);
    }
    return this.scoreRows(users, items);
  }

  private scoreRows(users: Int32Array, items: Int32Array): Float32Array {
    if (this.onnx !== null) return this.onnx.score(users, items, 1);
    return this.net().predict(this.features().pairRows(users, items), undefined, SCORE_CHUNK);
  }

  predictCtr(rows: FeatureRows): Float32Array {
    return this.net().predict(rows, undefined, SCORE_CHUNK);
  }

  /** P(positive) of raw records through the saved pipelines: what a loaded model serves new users with. */
  predictRecords(records: readonly FeatureRecordRow[]): Float32Array {
    return this.predictCtr(this.features().recordRows(records));
  }

  *ctrRows(
    dataset: InteractionDataset,
    events: ArrayLike<number>,
    options: CtrRowsOptions = {},
  ): Generator<CtrBatch> {
    const f = this.features();
    if (f.objective !== 'ctr' || f.fitted === null)
      throw new ModelError(
        ModelErrorCode.NOT_FITTED,
        `${this.info.name}: ctrRows needs a model trained by fitCtr in this process`,
      );
    yield* ctrExamples(dataset, events, f.fitted, {
      batchSize: options.batchSize ?? ROWS_BATCH,
      label: options.label ?? ratingLabel(4),
    });
  }

  /** The fitted features (pipelines, schema, per-user and per-item rows). */
  features(): FittedFeatures {
    if (this.fittedFeatures === null)
      throw new ModelError(ModelErrorCode.NOT_FITTED, `${this.info.name}: call fit() or load() first`);
    return this.fittedFeatures;
  }

  /** Cosine over the item's item-side field embeddings (its dense feature row for a model without any). */
  similarItems(item: number, k: number): ScoredItems {
    this.checkItem(item);
    this.net();
    const v = this.itemVectors;
    if (v === null) throw new ModelError(ModelErrorCode.NOT_FITTED, `${this.info.name}: no item vectors`);
    const scores = cosineToAll(v.values, this.nItems, v.dim, v.norms, item);
    scores[item] = -Infinity;
    return topK(scores, k);
  }

  /** The trained weights by name (copies). */
  weights(): Record<string, Float32Array> {
    return this.net().parameters.read();
  }

  /** The network (for tests and exporters). */
  get trainedNetwork(): FeatureNetwork {
    return this.net();
  }

  /**
   * The ONNX graph of the trained model: `ranking` takes user and item int64[N] with every user's and
   * item's feature row baked in (what OnnxScorer serves; `save` writes it as model.onnx), `rows` takes
   * feature rows in the schema's layout.
   */
  toOnnx(form: FeatureGraphForm = 'ranking'): Uint8Array {
    const net = this.net();
    const f = this.features();
    const weights = net.parameters.read();
    const g = new OnnxGraphBuilder(this.info.name);
    const userBlock = f.schema.block('user');
    const source: FeatureGraphSource =
      form === 'rows'
        ? { kind: 'rows' }
        : {
            kind: 'ranking',
            users: f.users,
            items: f.items,
            ...f.tables,
            userDenseWidth: userBlock.denseWidth,
            userFields: userBlock.categoricalCount,
          };
    const input = new FeatureInputGraph(
      g,
      {
        layout: net.input.layout,
        options: net.input.options,
        offsets: net.input.offsets,
        tableRows: net.input.tableRows,
      },
      weights,
      source,
    );
    const logit = this.graphLogit(g, input, net, weights);
    return finishFeatureGraph(g, input, source, logit, {
      graphName: this.info.name,
      summary: `${this.info.summary} (${this.info.reference}; trained as a ${f.objective} model).`,
      metadata: { objective: f.objective, schema: JSON.stringify(f.schema.toJSON()) },
    });
  }

  /**
   * Scores (user, item) pairs through ONNX Runtime from now on (`scorer` opened on this model's ranking
   * graph, e.g. `OnnxScorer.fromArtifact(dir)`), or through TensorFlow.js again with null. The model owns
   * the scorer: replacing it or `dispose` closes it. Feature rows (`predictCtr`, `predictRecords`) stay on
   * TensorFlow.js.
   */
  useOnnxScorer(scorer: OnnxScorer | null): void {
    if (scorer !== null && (scorer.users !== this.nUsers || scorer.items !== this.nItems))
      throw new ModelError(
        ModelErrorCode.BAD_ARTIFACT,
        `${this.info.name}: ONNX graph is ${scorer.users} × ${scorer.items}, the model ${this.nUsers} × ${this.nItems}`,
      );
    if (this.onnx !== scorer) this.onnx?.close();
    this.onnx = scorer;
  }

  /** Where (user, item) scores come from: 'onnx' once a scorer is attached, else 'tfjs'. */
  get scoringRuntime(): 'onnx' | 'tfjs' {
    return this.onnx === null ? 'tfjs' : 'onnx';
  }

  /** Writes the artifact and, unless disabled, `model.onnx` (the ranking graph) beside it. */
  override async save(dir: string, extras: { metrics?: Record<string, number> } = {}): Promise<void> {
    await super.save(dir, extras);
    if (this.options.exportOnnx ?? true)
      await writeFile(path.join(dir, 'model.onnx'), this.toOnnx('ranking'));
  }

  override async loadFrom(dir: string): Promise<this> {
    this.backend = await ensureBackend(this.options.logger ? { logger: this.options.logger } : {});
    return super.loadFrom(dir);
  }

  /** Frees the network's tensors; the model cannot score afterwards. */
  dispose(): void {
    this.replaceNetwork(null);
  }

  protected exportState(): ModelState {
    return {
      arrays: { ...this.net().parameters.read(), ...this.features().arrays() },
      values: {
        features: this.features().toJSON(),
        batchSize: this.batchSize,
        backend: this.backend?.candidate ?? null,
      },
    };
  }

  protected importState(state: ModelState, params: z.output<S>): void {
    this.checkParams(params);
    const features = FittedFeatures.restore(state.values?.features, state.arrays);
    if (features.users !== this.nUsers || features.items !== this.nItems)
      throw new ModelError(
        ModelErrorCode.BAD_ARTIFACT,
        `${this.info.name}: feature tables cover ${features.users} × ${features.items}, the id maps ${this.nUsers} × ${this.nItems}`,
      );
    const network = this.createNetwork(features.layout, features.schema, params);
    try {
      restoreWeights(this.info.name, state, network.parameters);
    } catch (error) {
      network.dispose();
      throw error;
    }
    this.batchSize = typeof state.values?.batchSize === 'number' ? state.values.batchSize : 0;
    this.replaceNetwork(network);
    this.fittedFeatures = features;
    this.afterWeightsChanged();
  }

  /** Swaps the network; an attached ONNX scorer belonged to the old weights and is closed. */
  private replaceNetwork(network: FeatureNetwork | null): void {
    this.useOnnxScorer(null);
    this.network?.dispose();
    this.network = network;
    this.itemVectors = null;
  }

  /** Item vectors for similarItems: the item's item-side categorical embeddings, else its dense row. */
  private afterWeightsChanged(): void {
    const net = this.net();
    const f = this.features();
    this.allItems = Int32Array.from({ length: this.nItems }, (_, i) => i);
    const itemBlock = f.schema.block('item');
    const k = net.input.options.embeddingDim;
    const fields = itemBlock.categoricalCount;
    const useEmbeddings = k > 0 && fields > 0 && net.parameters.names().includes('feature_embedding');
    const dim = useEmbeddings ? fields * k : itemBlock.denseWidth;
    const values = new Float32Array(this.nItems * dim);
    const table = useEmbeddings ? net.parameters.get('feature_embedding').dataSync() : null;
    for (let i = 0; i < this.nItems; i++) {
      const row = f.itemRow(i);
      if (table === null) {
        values.set(row.dense.subarray(0, itemBlock.denseWidth), i * dim);
        continue;
      }
      for (let j = 0; j < fields; j++) {
        const r = net.input.offsets[itemBlock.categoricalOffset + j] + row.categorical[j];
        values.set(table.subarray(r * k, (r + 1) * k), i * dim + j * k);
      }
    }
    this.itemVectors = { values, dim, norms: rowNorms(values, this.nItems, dim) };
  }

  private net(): FeatureNetwork {
    if (this.network === null)
      throw new ModelError(ModelErrorCode.NOT_FITTED, `${this.info.name}: call fit() or load() first`);
    return this.network;
  }
}

/** INVALID_PARAMS unless every tower has one dropout rate per layer. */
export function checkDropout(
  model: string,
  name: string,
  layers: readonly number[],
  dropout: readonly number[],
): void {
  if (dropout.length !== layers.length)
    throw new ModelError(
      ModelErrorCode.INVALID_PARAMS,
      `${model}: "${name}" has ${dropout.length} dropout rates for ${layers.length} layers`,
    );
}
