import { Rng, type InteractionDataset } from '@recsys/data';
import { ratingLabel, type CtrBatch, type CtrLabel } from '@recsys/features';
import { aucOfScores, logLoss } from '@recsys/metrics';
import type { FitContext, Recommender, TrainableRecommender } from '@recsys/models';
import type { FeatureRows } from './feature-input';

/**
 * Labelled data for CTR training: the whole dataset (its log holds every event; features need the side
 * data and each event's session context) and which events train and which validate.
 */
export interface CtrTrainingData {
  dataset: InteractionDataset;
  /** Training events (indexes into dataset.log); the feature pipelines are fitted on these only. */
  train: ArrayLike<number>;
  /** Validation events for early stopping; without them training runs all epochs. */
  validation?: ArrayLike<number>;
  /** The label of an event (NaN leaves it out). Default `ratingLabel(4)`: liked = rated 4 or 5. */
  label?: CtrLabel;
}

export interface CtrRowsOptions {
  /** Rows per batch (default 4,096). */
  batchSize?: number;
  label?: CtrLabel;
}

/**
 * A model that predicts the probability of a positive label for an event (a click, a liked rating) from
 * user, item and context features: the contract of the `ctr` protocol. One model class serves both
 * uses: `fit(dataset)` trains it as a ranking model (implicit positives, sampled negatives, user | item
 * rows); `fitCtr(data)` trains it on labelled events (user | item | context rows). Either way the model
 * is a Recommender afterwards (`score`/`recommend` use each user's and item's training-time features).
 */
export interface CtrRecommender extends TrainableRecommender {
  /** The declaration the `ctr` protocol checks. */
  readonly supportsCtr: true;
  /**
   * Fits the feature pipelines on `data.train`'s events only, then trains on their labelled rows with
   * early stopping on the validation rows (log loss by default; see the model's `ctrValidationMetric`).
   */
  fitCtr(data: CtrTrainingData, params?: unknown, context?: FitContext): Promise<this>;
  /**
   * The labelled rows of `events` built with this model's fitted pipelines (user and item features from
   * its training data, each event's own context), in bounded batches. Needs the model that fitted them
   * (the training records are not saved); a loaded model scores raw records with `predictRecords`.
   */
  ctrRows(
    dataset: InteractionDataset,
    events: ArrayLike<number>,
    options?: CtrRowsOptions,
  ): Generator<CtrBatch>;
  /** P(label = 1) of each row (rows in this model's schema, e.g. from `ctrRows`). */
  predictCtr(rows: FeatureRows): Float32Array;
}

/** Whether a model declares the ctr contract (the `ctr` protocol runs only these). */
export function isCtrRecommender(model: Recommender): model is CtrRecommender {
  const m = model as Partial<CtrRecommender>;
  return m.supportsCtr === true && typeof m.fitCtr === 'function' && typeof m.predictCtr === 'function';
}

/** AUC and log loss of a model's predictions on labelled rows (both need both classes present for AUC). */
export interface CtrScores {
  auc: number;
  logloss: number;
  rows: number;
  positives: number;
}

/** Predicts every batch and computes AUC and log loss over all rows (NaN AUC when one class is absent). */
export function ctrScores(
  batches: Iterable<CtrBatch>,
  predict: (rows: FeatureRows) => Float32Array,
): CtrScores {
  const scores: Float32Array[] = [];
  const labels: Float32Array[] = [];
  let n = 0;
  for (const b of batches) {
    scores.push(predict(b));
    labels.push(b.labels);
    n += b.size;
  }
  const s = new Float32Array(n);
  const y = new Float32Array(n);
  let at = 0;
  scores.forEach((part, k) => {
    s.set(part, at);
    y.set(labels[k], at);
    at += part.length;
  });
  let positives = 0;
  for (let k = 0; k < n; k++) positives += y[k];
  if (n === 0) return { auc: Number.NaN, logloss: Number.NaN, rows: 0, positives: 0 };
  return {
    auc: positives > 0 && positives < n ? aucOfScores(s, y) : Number.NaN,
    logloss: logLoss(s, y),
    rows: n,
    positives,
  };
}

/** A three-way split of the labelled events: event indexes into the log, each list ascending. */
export interface CtrSplit {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/**
 * The `ctr` protocol's split: the events `label` keeps (default `ratingLabel(4)`: the rated ones),
 * shuffled by a seeded Fisher-Yates (Rng) and cut into round(0.8 n) training, round(0.1 n) validation
 * and the rest test events. Deterministic from `seed`; every labelled event lands in exactly one part.
 */
export function ctrSplit(
  dataset: InteractionDataset,
  options: { seed: number; label?: CtrLabel; trainFraction?: number; validationFraction?: number },
): CtrSplit {
  const label = options.label ?? ratingLabel(4);
  const { values, types } = dataset.log;
  const kept: number[] = [];
  for (let e = 0; e < dataset.log.length; e++) if (!Number.isNaN(label(values[e], types[e]))) kept.push(e);
  const order = new Rng(options.seed).shuffle(Int32Array.from(kept));
  const n = order.length;
  const trainFraction = options.trainFraction ?? 0.8;
  const validationFraction = options.validationFraction ?? 0.1;
  if (!(trainFraction > 0 && validationFraction >= 0 && trainFraction + validationFraction < 1))
    throw new RangeError(
      `ctrSplit: fractions must be train > 0, validation ≥ 0, together < 1 (got ${trainFraction}, ${validationFraction})`,
    );
  const nTrain = Math.round(trainFraction * n);
  const nValidation = Math.round(validationFraction * n);
  const sorted = (a: Int32Array) => a.slice().sort();
  return {
    train: sorted(order.subarray(0, nTrain)),
    validation: sorted(order.subarray(nTrain, nTrain + nValidation)),
    test: sorted(order.subarray(nTrain + nValidation)),
  };
}
