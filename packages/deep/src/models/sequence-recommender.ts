import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { userSequences, type CsrMatrix, type InteractionDataset } from '@recsys/data';
import {
  applyFilter,
  BaseRecommender,
  cosineToAll,
  ModelError,
  ModelErrorCode,
  rowNorms,
  stateArray,
  topK,
  type FitContext,
  type ModelState,
  type RecommendOptions,
  type ScoredItems,
} from '@recsys/models';
import { ONNX_FILE } from '../onnx/onnx-scorer';
import { ensureBackend, type BackendChoice } from '../runtime/backend-ladder';
import type { DeepLogger } from '../runtime/logger';
import { createAdam } from '../training/fused-adam';
import { sampledHitRate, sampledValidation, type PairScorer } from '../training/sampled-hit-rate';
import {
  lastItems,
  padSequence,
  SequenceExamples,
  type SequenceNegatives,
} from '../training/sequence-examples';
import type { SequenceNetwork } from '../training/sequence-network';
import { epochProgress, trainNetwork, type TrainNetworkResult } from '../training/train-network';
import { restoreWeights } from '../nn/saved-weights';

/**
 * Default windows per batch. The paper's 128 on cpu/wasm, where a step's cost grows with the batch;
 * on a GPU backend per-step dispatch overhead dominates small batches, so more windows per step.
 */
export const DEFAULT_SEQUENCE_BATCH_SIZE = { gpu: 1024, cpu: 128 } as const;

/** The training hyper-parameters every sequential model shares (each model's schema spreads them). */
export const sequenceTrainingShape = {
  /**
   * Positions of the input sequence: a history's last `maxLen` items. Training cuts longer histories
   * into windows of this length, so every event is a target. 50 by default, where SASRec's paper uses
   * 200 on MovieLens-1M: ML-100K's histories have a median of 65 events (mean 106; 148 of 943 users
   * exceed 200), so 200 positions would be mostly padding, and a window's cost grows with maxLen
   * (SASRec's attention with its square).
   */
  maxLen: z.number().int().min(2).max(1024).default(50),
  epochs: z.number().int().min(1).max(1000).default(100),
  /** Windows per Adam step; omitted: DEFAULT_SEQUENCE_BATCH_SIZE for the backend (GPU or not). */
  batchSize: z.number().int().min(1).max(65_536).optional(),
  learningRate: z.number().positive().max(1).default(0.001),
  /** Early stopping: hold out each user's last training event, HR@validationK against sampled negatives. */
  validation: z.boolean().default(true),
  validationNegatives: z.number().int().min(1).max(1000).default(99),
  validationK: z.number().int().min(1).max(100).default(10),
  /** Validation users at most (all users with a held-out event by default). */
  validationUsers: z.number().int().min(1).optional(),
  /** Epochs without a better validation metric before stopping. */
  patience: z.number().int().min(1).max(100).default(5),
  seed: z.number().int().default(42),
};

/** The shared hyper-parameters as parsed. */
export interface SequenceTrainingParams {
  maxLen: number;
  epochs: number;
  batchSize?: number;
  learningRate: number;
  validation: boolean;
  validationNegatives: number;
  validationK: number;
  validationUsers?: number;
  patience: number;
  seed: number;
}

/** Options of a sequential model instance that are not hyper-parameters (not saved with the model). */
export interface SequenceModelOptions {
  /** Where the best weights are also written during training (checkpoint.json + weights.bin). */
  checkpointDir?: string;
  logger?: DeepLogger;
  /** Whether `save` also writes `model.onnx` into the artifact folder (default true). */
  exportOnnx?: boolean;
}

/** Sequences per tf call when encoding histories. */
const ENCODE_ROWS = 256;
/** The state array holding each user's last maxLen training items. */
const HISTORIES = 'histories';

/** What scoring needs, read out of the network once per weight change: plain arrays, no tensors. */
interface ScoringTables {
  dim: number;
  /** Each user's hidden state after their stored history, users × dim. */
  states: Float32Array;
  /** The output layer: items × dim, and a bias per item or null. */
  items: Float32Array;
  bias: Float32Array | null;
  norms: Float32Array;
}

/**
 * The model-contract plumbing SASRec and GRU4Rec share: training on next-item windows with the shared
 * loop (seeded, bounded batches, early stopping on sampled HR@k of each user's last training event,
 * checkpoints, progress), and scoring from each user's last `maxLen` training items, which the model
 * keeps (and saves) at fit time. A user's hidden state is computed once per weight change, so
 * `score`/`scoreAll` are dot products with the output layer; `scoreSequence` scores an anonymous
 * session (a sequence of item indexes, no user) with one forward pass. A subclass supplies the network,
 * the negatives its loss needs and the ONNX export.
 */
export abstract class SequentialRecommender<S extends z.ZodObject> extends BaseRecommender<S> {
  /** The backend that trained (or serves) this model, and the last fit's training history. */
  backend: BackendChoice | null = null;
  batchSize = 0;
  training: TrainNetworkResult | null = null;

  private network: SequenceNetwork | null = null;
  /** users × maxLen item indexes, left-padded with PAD. */
  private histories: Int32Array = new Int32Array(0);
  private tables: ScoringTables | null = null;

  constructor(protected readonly options: SequenceModelOptions = {}) {
    super();
  }

  /** A new network for `items` items, weights drawn from params.seed. */
  protected abstract createNetwork(params: z.output<S>, items: number): SequenceNetwork;
  /** The shared hyper-parameters within this model's params. */
  protected abstract trainingParams(params: z.output<S>): SequenceTrainingParams;
  /** The negatives the model's loss needs; `seen` is the whole training matrix. */
  protected abstract negativesFor(params: z.output<S>, seen: CsrMatrix): SequenceNegatives;
  /** The trained network as an ONNX ModelProto (see src/onnx). */
  abstract toOnnx(): Uint8Array;

  protected async train(
    dataset: InteractionDataset,
    params: z.output<S>,
    context: FitContext,
  ): Promise<void> {
    const t = this.trainingParams(params);
    const backend = await ensureBackend(this.options.logger ? { logger: this.options.logger } : {});
    this.backend = backend;
    this.batchSize =
      t.batchSize ?? (backend.gpu ? DEFAULT_SEQUENCE_BATCH_SIZE.gpu : DEFAULT_SEQUENCE_BATCH_SIZE.cpu);
    const validation = t.validation
      ? sampledValidation(dataset.log, this.seen, t.validationNegatives, t.seed + 7, t.validationUsers)
      : null;
    const useValidation = validation !== null && validation.users.length > 0;
    const trainLog = useValidation ? validation.train : dataset.log;
    const examples = new SequenceExamples(
      userSequences(trainLog, this.nUsers),
      t.maxLen,
      t.seed + 2,
      this.negativesFor(params, this.seen),
    );
    if (examples.windows === 0)
      throw new ModelError(
        ModelErrorCode.FIT_FAILED,
        `${this.info.name}: no user has two training events, so there is no order to learn`,
      );
    this.replaceNetwork(this.createNetwork(params, this.nItems));
    const network = this.net();
    const validationHistories = useValidation
      ? lastItems(userSequences(validation.train, this.nUsers), t.maxLen)
      : null;
    const optimizer = createAdam(t.learningRate);
    context.onProgress?.({
      fraction: 0,
      message: `training on the ${backend.candidate} backend, ${examples.windows} windows, batch ${this.batchSize}`,
    });
    try {
      this.training = await trainNetwork({
        modelName: this.info.name,
        network,
        optimizer,
        epochs: t.epochs,
        batches: () => examples.epoch(this.batchSize),
        ...(useValidation && validationHistories !== null
          ? {
              validation: {
                name: `hr@${t.validationK}`,
                patience: t.patience,
                evaluate: () =>
                  sampledHitRate(validation, this.historyScorer(validationHistories), t.validationK),
              },
            }
          : {}),
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
    this.histories = lastItems(userSequences(dataset.log, this.nUsers), t.maxLen);
    this.afterWeightsChanged();
  }

  /** Scores of every item for a user with training history, from their stored last maxLen items. */
  scoreAll(user: number, out: Float32Array = new Float32Array(this.nItems)): Float32Array {
    this.requireKnownUser(user);
    const s = this.scoring();
    for (let i = 0; i < this.nItems; i++) out[i] = itemScore(s, s.states, user * s.dim, i);
    return out;
  }

  override score(user: number, items: Int32Array): Float32Array {
    this.requireKnownUser(user);
    for (let k = 0; k < items.length; k++) this.checkItem(items[k]);
    const s = this.scoring();
    return Float32Array.from(items, (i) => itemScore(s, s.states, user * s.dim, i));
  }

  /**
   * Scores for an anonymous session: `items` is a sequence of item indexes, oldest first (its last
   * maxLen count); scores of `candidates`, or of every item when omitted. No user id is needed, so a
   * session without an account gets sequence-aware recommendations.
   */
  scoreSequence(items: ArrayLike<number>, candidates?: Int32Array): Float32Array {
    const state = this.encodeSession(items);
    const s = this.scoring();
    if (candidates === undefined)
      return Float32Array.from({ length: this.nItems }, (_, i) => itemScore(s, state, 0, i));
    for (let k = 0; k < candidates.length; k++) this.checkItem(candidates[k]);
    return Float32Array.from(candidates, (i) => itemScore(s, state, 0, i));
  }

  /** The top `k` items to follow an anonymous session (excluding the session's items by default). */
  recommendSequence(items: ArrayLike<number>, k: number, options: RecommendOptions = {}): ScoredItems {
    if (!Number.isInteger(k) || k <= 0)
      throw new RangeError(`${this.info.name}: k must be a positive integer, got ${k}`);
    const scores = this.scoreSequence(items);
    if (options.excludeSeen ?? true) for (let k2 = 0; k2 < items.length; k2++) scores[items[k2]] = -Infinity;
    if (options.filter) applyFilter(scores, options.filter);
    return topK(scores, k);
  }

  /** Cosine over the output layer's item vectors. */
  similarItems(item: number, k: number): ScoredItems {
    this.checkItem(item);
    const s = this.scoring();
    const scores = cosineToAll(s.items, this.nItems, s.dim, s.norms, item);
    scores[item] = -Infinity;
    return topK(scores, k);
  }

  /** The stored history of a user: their last maxLen training items, oldest first (no padding). */
  historyOf(user: number): Int32Array {
    this.checkUser(user);
    const L = this.net().maxLen;
    const row = this.histories.subarray(user * L, (user + 1) * L);
    let first = 0;
    while (first < L && row[first] < 0) first++;
    return row.slice(first);
  }

  /** Every user's stored history, users × maxLen, left-padded with PAD (a copy; what ONNX takes). */
  paddedHistories(): Int32Array {
    this.net();
    return this.histories.slice();
  }

  /** The trained weights by name (copies), e.g. for ONNX export. */
  weights(): Record<string, Float32Array> {
    return this.net().parameters.read();
  }

  /** Writes the artifact and, unless disabled, `model.onnx` beside it (see src/onnx). */
  override async save(dir: string, extras: { metrics?: Record<string, number> } = {}): Promise<void> {
    await super.save(dir, extras);
    if (this.options.exportOnnx ?? true) await writeFile(path.join(dir, ONNX_FILE), this.toOnnx());
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
      arrays: { ...this.net().parameters.read(), [HISTORIES]: this.histories },
      values: { batchSize: this.batchSize, backend: this.backend?.candidate ?? null },
    };
  }

  protected importState(state: ModelState, params: z.output<S>): void {
    const network = this.createNetwork(params, this.nItems);
    try {
      restoreWeights(this.info.name, state, network.parameters);
      this.histories = stateArray(this.info.name, state, HISTORIES, 'int32', this.nUsers * network.maxLen);
    } catch (error) {
      network.dispose();
      throw error;
    }
    this.batchSize = typeof state.values?.batchSize === 'number' ? state.values.batchSize : 0;
    this.replaceNetwork(network);
    this.afterWeightsChanged();
  }

  /** The network (NOT_FITTED before fit or load). */
  protected net(): SequenceNetwork {
    if (this.network === null)
      throw new ModelError(ModelErrorCode.NOT_FITTED, `${this.info.name}: call fit() or load() first`);
    return this.network;
  }

  private replaceNetwork(network: SequenceNetwork | null): void {
    this.network?.dispose();
    this.network = network;
    this.tables = null;
  }

  private afterWeightsChanged(): void {
    const { items, bias, dim } = this.outputLayer();
    this.tables = {
      dim,
      states: this.encodeRows(this.histories, this.nUsers),
      items,
      bias,
      norms: rowNorms(items, this.nItems, dim),
    };
  }

  private scoring(): ScoringTables {
    this.net();
    if (this.tables === null)
      throw new ModelError(ModelErrorCode.NOT_FITTED, `${this.info.name}: call fit() or load() first`);
    return this.tables;
  }

  /** The output layer's current weights for the real items (not the padding rows). */
  private outputLayer(): { items: Float32Array; bias: Float32Array | null; dim: number } {
    const net = this.net();
    const dim = net.dim;
    const items = net.parameters
      .get(net.output.items)
      .dataSync()
      .slice(0, this.nItems * dim) as Float32Array;
    const bias =
      net.output.bias === null
        ? null
        : (net.parameters.get(net.output.bias).dataSync().slice() as Float32Array);
    return { items, bias, dim };
  }

  /** Hidden states of `rows` padded sequences, rows × dim, in fixed chunks (the same on fit and load). */
  private encodeRows(sequences: Int32Array, rows: number): Float32Array {
    const net = this.net();
    const L = net.maxLen;
    const out = new Float32Array(rows * net.dim);
    for (let start = 0; start < rows; start += ENCODE_ROWS) {
      const end = Math.min(rows, start + ENCODE_ROWS);
      const values = tf.tidy(() =>
        net.encode(sequences.subarray(start * L, end * L), end - start).dataSync(),
      );
      out.set(values, start * net.dim);
    }
    return out;
  }

  private encodeSession(items: ArrayLike<number>): Float32Array {
    if (items.length === 0)
      throw new ModelError(
        ModelErrorCode.COLD_START,
        `${this.info.name}: an empty sequence has nothing to score from`,
      );
    for (let k = 0; k < items.length; k++) this.checkItem(items[k]);
    const net = this.net();
    return this.encodeRows(padSequence(items, net.maxLen), 1);
  }

  /**
   * Scores of (users[k], items[k]) pairs from `histories` (not the stored ones): validation during
   * training, with the current weights. Each distinct user is encoded once.
   */
  private historyScorer(histories: Int32Array): PairScorer {
    return (users, items) => {
      const net = this.net();
      const L = net.maxLen;
      const rowOf = new Map<number, number>();
      for (let k = 0; k < users.length; k++) if (!rowOf.has(users[k])) rowOf.set(users[k], rowOf.size);
      const sequences = new Int32Array(rowOf.size * L);
      for (const [user, row] of rowOf) sequences.set(histories.subarray(user * L, (user + 1) * L), row * L);
      const { items: table, bias, dim } = this.outputLayer();
      const states = this.encodeRows(sequences, rowOf.size);
      const s = { dim, items: table, bias };
      return Float32Array.from(items, (item, k) =>
        itemScore(s, states, (rowOf.get(users[k]) ?? 0) * dim, item),
      );
    };
  }
}

/** state · items[item] + bias[item], the state at states[offset .. offset + dim). */
function itemScore(
  s: { dim: number; items: Float32Array; bias: Float32Array | null },
  states: Float32Array,
  offset: number,
  item: number,
): number {
  let sum = s.bias === null ? 0 : s.bias[item];
  const base = item * s.dim;
  for (let f = 0; f < s.dim; f++) sum += states[offset + f] * s.items[base + f];
  return sum;
}
