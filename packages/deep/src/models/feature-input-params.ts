import { z } from 'zod';

/**
 * Default batch sizes of the feature models: on a GPU backend a step's dispatch overhead dominates small
 * batches (see shared/notes/tensorflow-js-backends.md), so batches are large; on cpu/wasm 1,024 rows per
 * step, the size the models' default learning rates were tuned at (a larger batch takes fewer, larger
 * Adam steps per epoch: retune the learning rate with it).
 */
export const FEATURE_MODEL_BATCH_SIZE = { gpu: 8192, cpu: 1024 } as const;

/**
 * Training parameters every feature model shares (spread into each model's zod schema). As a ranking
 * model (`fit`) it learns from implicit positives and `negatives` sampled items per positive and stops
 * early on HR@validationK of a held-out event per user; as a CTR model (`fitCtr`) it learns from
 * labelled rows and stops early on the validation rows' `ctrValidationMetric`.
 */
export const TRAINING_PARAMS = {
  epochs: z.number().int().min(1).max(1000).default(20),
  /** Rows per Adam step; omitted: FEATURE_MODEL_BATCH_SIZE for the backend (GPU or not). */
  batchSize: z.number().int().min(1).max(1_048_576).optional(),
  /** Adam's step size (a model may set its own default with `learningRateParam`). */
  learningRate: z.number().positive().max(1).default(0.001),
  /**
   * Epochs without a better validation metric before stopping. 3: on ML-100K's ctr split the validation
   * log loss of FM and LR wobbled for two epochs early on before improving again.
   */
  patience: z.number().int().min(1).max(100).default(3),
  /** Ranking: sampled negatives per observed positive, redrawn each epoch. */
  negatives: z.number().int().min(1).max(100).default(4),
  /** Ranking: hold out each user's last training event and stop early on HR@validationK. */
  validation: z.boolean().default(true),
  validationNegatives: z.number().int().min(1).max(1000).default(99),
  validationK: z.number().int().min(1).max(100).default(10),
  /** Ranking: validation users at most (all users with a held-out event by default). */
  validationUsers: z.number().int().min(1).optional(),
  /**
   * CTR: the validation rows' metric early stopping watches (log loss is watched negated). Log loss by
   * default: it is the loss the models minimise and what a click probability is judged by; on ML-100K's
   * ctr split AUC kept creeping up for a few epochs after the validation log loss turned (the models
   * growing overconfident), so stopping on AUC cost log loss (Wide & Deep: 0.5477 vs 0.5396 on test).
   */
  ctrValidationMetric: z.enum(['auc', 'logloss']).default('logloss'),
  seed: z.number().int().default(42),
};

/** A model's own default learning rate (overrides TRAINING_PARAMS.learningRate in its schema). */
export const learningRateParam = (fallback: number) => z.number().positive().max(1).default(fallback);

/** The embedding size of every field (FM's k). */
export const embeddingDimParam = (fallback: number) => z.number().int().min(1).max(512).default(fallback);

/** L2 on the embedding rows a batch uses (libFM-style; first-order weights are not penalised). */
export const embeddingL2Param = (fallback: number) => z.number().min(0).max(10).default(fallback);

/** ReLU tower sizes and their dropout rates (checked to be the same length by `checkDropout`). */
export const layersParam = (fallback: number[]) =>
  z.array(z.number().int().min(1).max(16_384)).max(8).default(fallback);
export const dropoutParam = (fallback: number[]) =>
  z.array(z.number().min(0).max(0.95)).max(8).default(fallback);

/** The shared parameters as parsed (every feature model's params include these). */
export type FeatureTrainingParams = z.output<z.ZodObject<typeof TRAINING_PARAMS>>;
