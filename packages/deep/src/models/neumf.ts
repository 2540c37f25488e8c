import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { UniformNegativeSampler, userItemMatrix, type InteractionDataset } from '@recsys/data';
import {
  BaseRecommender,
  cosineToAll,
  ModelError,
  ModelErrorCode,
  rowNorms,
  topK,
  type FitContext,
  type ModelInfo,
  type ModelState,
  type ScoredItems,
} from '@recsys/models';
import { neuMfToOnnx } from '../onnx/neumf-to-onnx';
import type { OnnxScorer, OnnxServable } from '../onnx/onnx-scorer';
import { ensureBackend, type BackendChoice } from '../runtime/backend-ladder';
import type { DeepLogger } from '../runtime/logger';
import { createAdam } from '../training/fused-adam';
import { batchesOf, PointwiseExamples } from '../training/pointwise-examples';
import { sampledHitRate, sampledValidation, type SampledValidation } from '../training/sampled-hit-rate';
import { epochProgress, trainNetwork, type TrainNetworkResult } from '../training/train-network';
import { restoreWeights } from '../nn/saved-weights';
import { NeuMfNetwork, type NeuMfArchitecture } from './neumf-network';

/**
 * Default batch sizes: on a GPU backend one step's dispatch overhead dominates small batches (an H100
 * through WebGPU: 75 s per ML-100K epoch at 1,024, 9 s at 8,192), so batches are large; on wasm (with
 * the kernels of src/kernels and the fused Adam) the cost per example hardly changes from 1,024 to 8,192
 * (34–40 µs measured on the project's 2-core machine), so 2,048 keeps more updates per epoch, as
 * PyTorch's reference in bench/neumf_torch.py does.
 */
export const DEFAULT_BATCH_SIZE = { gpu: 8192, cpu: 2048 } as const;

const paramsSchema = z.object({
  /** GMF embedding size. */
  gmfDim: z.number().int().min(1).max(1024).default(64),
  /** Size of the MLP branch's user and item embeddings (each). */
  mlpEmbeddingDim: z.number().int().min(1).max(1024).default(64),
  /** Units of the MLP's ReLU layers (the tower 128-64-32). */
  mlpLayers: z.array(z.number().int().min(1).max(8192)).max(8).default([128, 64, 32]),
  /** Dropout rate after each MLP layer (same length as mlpLayers). */
  dropout: z.array(z.number().min(0).max(0.95)).max(8).default([0.5, 0.3, 0]),
  /** Sampled negatives per observed positive, redrawn each epoch. */
  negatives: z.number().int().min(1).max(100).default(4),
  epochs: z.number().int().min(1).max(1000).default(20),
  /** Examples per Adam step; omitted: DEFAULT_BATCH_SIZE for the backend (GPU or not). */
  batchSize: z.number().int().min(1).max(1_048_576).optional(),
  learningRate: z.number().positive().max(1).default(0.001),
  /** Early stopping: hold out each user's last training event, HR@validationK against sampled negatives. */
  validation: z.boolean().default(true),
  validationNegatives: z.number().int().min(1).max(1000).default(99),
  validationK: z.number().int().min(1).max(100).default(10),
  /** Validation users at most (all users with a held-out event by default). */
  validationUsers: z.number().int().min(1).optional(),
  /** Epochs without a better validation metric before stopping. */
  patience: z.number().int().min(1).max(100).default(3),
  seed: z.number().int().default(42),
});

export type NeuMfParams = z.output<typeof paramsSchema>;

/** Options of a NeuMF instance that are not hyper-parameters (not saved with the model). */
export interface NeuMfOptions {
  /** Where the best weights are also written during training (checkpoint.json + weights.bin). */
  checkpointDir?: string;
  logger?: DeepLogger;
  /** Whether `save` also writes `model.onnx` into the artifact folder (default true). */
  exportOnnx?: boolean;
}

/** Scores per tf call when scoring the whole catalog. */
const SCORE_CHUNK = 65_536;

/**
 * Neural matrix factorisation: He, Liao, Zhang, Nie, Hu & Chua 2017, "Neural Collaborative Filtering"
 * (WWW '17), trained from scratch (no GMF/MLP pre-training) with binary cross-entropy on implicit
 * positives and `negatives` uniformly sampled negatives per positive (§3.1.1), Adam, early stopping on
 * HR@10 of a held-out event per user. The network is in neumf-network.ts; the training loop in
 * training/train-network.ts is shared by every deep model.
 */
export class NeuMfModel extends BaseRecommender<typeof paramsSchema> implements OnnxServable {
  readonly info: ModelInfo = {
    name: 'neumf',
    task: 'ranking',
    input: 'pointwise',
    summary: 'Neural matrix factorisation (GMF + MLP) on TensorFlow.js, BCE with sampled negatives',
    reference: 'He, Liao, Zhang, Nie, Hu, Chua 2017, "Neural Collaborative Filtering" (WWW)',
  };
  protected readonly stateVersion = 1;
  protected readonly paramsSchema = paramsSchema;

  private network: NeuMfNetwork | null = null;
  private itemVectors: { values: Float32Array; dim: number; norms: Float32Array } | null = null;
  private allItems: Int32Array = new Int32Array(0);
  /** When set (by the serving engine), scores come from the exported graph through ONNX Runtime. */
  private onnx: OnnxScorer | null = null;
  /** The backend that trained (or serves) this model, and the last fit's training history. */
  backend: BackendChoice | null = null;
  batchSize = 0;
  training: TrainNetworkResult | null = null;

  constructor(private readonly options: NeuMfOptions = {}) {
    super();
  }

  protected async train(
    dataset: InteractionDataset,
    params: NeuMfParams,
    context: FitContext,
  ): Promise<void> {
    checkArchitecture(params);
    const backend = await ensureBackend(this.options.logger ? { logger: this.options.logger } : {});
    this.backend = backend;
    this.batchSize = params.batchSize ?? (backend.gpu ? DEFAULT_BATCH_SIZE.gpu : DEFAULT_BATCH_SIZE.cpu);
    const nUsers = this.nUsers;
    const nItems = this.nItems;

    let validation: SampledValidation | null = null;
    let trainLog = dataset.log;
    if (params.validation) {
      validation = sampledValidation(
        dataset.log,
        this.seen,
        params.validationNegatives,
        params.seed + 7,
        params.validationUsers,
      );
      if (validation.users.length > 0) trainLog = validation.train;
      else validation = null;
    }
    const positives = userItemMatrix(trainLog, nUsers, nItems, { value: 'binary' });
    const examples = new PointwiseExamples(
      positives,
      new UniformNegativeSampler(positives, { seed: params.seed + 1 }),
      params.negatives,
      params.seed + 2,
    );

    this.replaceNetwork(new NeuMfNetwork(architectureOf(params, nUsers, nItems)));
    const network = this.network as NeuMfNetwork;
    const optimizer = createAdam(params.learningRate);
    context.onProgress?.({
      fraction: 0,
      message: `training on the ${backend.candidate} backend, batch ${this.batchSize}`,
    });
    try {
      this.training = await trainNetwork({
        modelName: this.info.name,
        network,
        optimizer,
        epochs: params.epochs,
        batches: () => batchesOf(examples.epoch(), this.batchSize),
        ...(validation
          ? {
              validation: {
                name: `hr@${params.validationK}`,
                patience: params.patience,
                evaluate: () =>
                  sampledHitRate(validation, (u, i) => network.predict(u, i), params.validationK),
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
    this.afterWeightsChanged();
  }

  /** ŷ_ui for every item. */
  scoreAll(user: number, out?: Float32Array): Float32Array {
    this.requireKnownUser(user);
    if (this.onnx !== null) {
      const scores = this.onnx.scoreAll(user);
      if (out === undefined) return scores;
      out.set(scores);
      return out;
    }
    const users = new Int32Array(this.nItems).fill(user);
    return this.net().predict(users, this.allItems, out ?? new Float32Array(this.nItems), SCORE_CHUNK);
  }

  /** ŷ for the candidates only (one forward pass over them). */
  override score(user: number, items: Int32Array): Float32Array {
    this.requireKnownUser(user);
    for (let i = 0; i < items.length; i++) this.checkItem(items[i]);
    if (this.onnx !== null) return this.onnx.score(Int32Array.of(user), items);
    return this.net().predict(new Int32Array(items.length).fill(user), items, undefined, SCORE_CHUNK);
  }

  /** ŷ for pairs (users[k], items[k]): batch scoring across users (validation, offline jobs). */
  scorePairs(users: Int32Array, items: Int32Array): Float32Array {
    for (let k = 0; k < users.length; k++) {
      this.checkUser(users[k]);
      this.checkItem(items[k]);
    }
    if (this.onnx !== null) return this.onnx.score(users, items, 1);
    return this.net().predict(users, items, undefined, SCORE_CHUNK);
  }

  /**
   * Scores through ONNX Runtime from now on (`scorer` opened on this model's exported graph, e.g.
   * `OnnxScorer.fromArtifact(dir)`), or through TensorFlow.js again with null. The model owns the
   * scorer: replacing it or `dispose` closes it.
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

  /** Where scores come from: 'onnx' once a scorer is attached, else 'tfjs'. */
  get scoringRuntime(): 'onnx' | 'tfjs' {
    return this.onnx === null ? 'tfjs' : 'onnx';
  }

  /** Cosine over each item's concatenated GMF and MLP embeddings. */
  similarItems(item: number, k: number): ScoredItems {
    this.checkItem(item);
    this.net();
    const v = this.itemVectors;
    if (v === null) throw new ModelError(ModelErrorCode.NOT_FITTED, `${this.info.name}: no item vectors`);
    const scores = cosineToAll(v.values, this.nItems, v.dim, v.norms, item);
    scores[item] = -Infinity;
    return topK(scores, k);
  }

  /** The trained weights by name (copies), e.g. for ONNX export. */
  weights(): Record<string, Float32Array> {
    return this.net().parameters.read();
  }

  /** The architecture the weights belong to. */
  architecture(): NeuMfArchitecture {
    return this.net().arch;
  }

  /** Writes the artifact and, unless disabled, `model.onnx` beside it (see src/onnx). */
  override async save(dir: string, extras: { metrics?: Record<string, number> } = {}): Promise<void> {
    await super.save(dir, extras);
    if (this.options.exportOnnx ?? true) {
      await writeFile(path.join(dir, 'model.onnx'), neuMfToOnnx(this.architecture(), this.weights()));
    }
  }

  override async loadFrom(dir: string): Promise<this> {
    this.backend = await ensureBackend(this.options.logger ? { logger: this.options.logger } : {});
    return super.loadFrom(dir);
  }

  /** Frees the network's tensors and any ONNX scorer; the model cannot score afterwards. */
  dispose(): void {
    this.replaceNetwork(null);
  }

  protected exportState(): ModelState {
    return {
      arrays: this.net().parameters.read(),
      values: { batchSize: this.batchSize, backend: this.backend?.candidate ?? null },
    };
  }

  protected importState(state: ModelState, params: NeuMfParams): void {
    checkArchitecture(params);
    const network = new NeuMfNetwork(architectureOf(params, this.nUsers, this.nItems));
    try {
      restoreWeights(this.info.name, state, network.parameters);
    } catch (error) {
      network.dispose();
      throw error;
    }
    this.batchSize = typeof state.values?.batchSize === 'number' ? state.values.batchSize : 0;
    this.replaceNetwork(network);
    this.afterWeightsChanged();
  }

  /** Swaps the network; an attached ONNX scorer belonged to the old weights and is closed. */
  private replaceNetwork(network: NeuMfNetwork | null): void {
    this.useOnnxScorer(null);
    this.network?.dispose();
    this.network = network;
    this.itemVectors = null;
  }

  private afterWeightsChanged(): void {
    const net = this.net();
    this.allItems = Int32Array.from({ length: this.nItems }, (_, i) => i);
    const gmf = net.parameters.get('gmf_item_embedding').dataSync();
    const mlp = net.parameters.get('mlp_item_embedding').dataSync();
    const a = net.arch.gmfDim;
    const b = net.arch.mlpEmbeddingDim;
    const dim = a + b;
    const values = new Float32Array(this.nItems * dim);
    for (let i = 0; i < this.nItems; i++) {
      values.set(gmf.subarray(i * a, (i + 1) * a), i * dim);
      values.set(mlp.subarray(i * b, (i + 1) * b), i * dim + a);
    }
    this.itemVectors = { values, dim, norms: rowNorms(values, this.nItems, dim) };
  }

  private net(): NeuMfNetwork {
    if (this.network === null)
      throw new ModelError(ModelErrorCode.NOT_FITTED, `${this.info.name}: call fit() or load() first`);
    return this.network;
  }
}

function checkArchitecture(params: NeuMfParams): void {
  if (params.dropout.length !== params.mlpLayers.length) {
    throw new ModelError(
      ModelErrorCode.INVALID_PARAMS,
      `neumf: "dropout" has ${params.dropout.length} rates for ${params.mlpLayers.length} MLP layers`,
    );
  }
}

function architectureOf(params: NeuMfParams, users: number, items: number): NeuMfArchitecture {
  return {
    users,
    items,
    gmfDim: params.gmfDim,
    mlpEmbeddingDim: params.mlpEmbeddingDim,
    mlpLayers: [...params.mlpLayers],
    dropout: [...params.dropout],
    seed: params.seed,
  };
}
