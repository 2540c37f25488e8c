import type { InteractionDataset } from '@recsys/data';
import { ctrScores, ctrSplit, type CtrRecommender } from '@recsys/deep';
import type { FitProgress } from '@recsys/models';

/** What one `ctr` run yields (EvaluationResult's fields for it). */
export interface CtrRunResult {
  /** `auc` and `logloss` over the test rows. */
  metrics: Record<string, number>;
  /** Test rows scored. */
  evaluated: number;
  fitSeconds: number;
  scoreSeconds: number;
  params: object;
}

export interface CtrRunOptions {
  seed: number;
  params?: unknown;
  signal?: AbortSignal;
  onProgress?: (stage: 'fit' | 'score', fit?: FitProgress) => void;
}

/**
 * The `ctr` protocol: label = rating ≥ 4 (`ratingLabel(4)`), a seeded random 80/10/10 split of the rated
 * events into train, validation and test (`ctrSplit`); the model fits its feature pipelines on the
 * training events only and trains on their rows (user, item and context features), early-stopping on
 * the validation rows; the test rows are scored with AUC (`aucOfScores`) and log loss (`logLoss`).
 */
export async function evaluateCtr(
  dataset: InteractionDataset,
  model: CtrRecommender,
  options: CtrRunOptions,
): Promise<CtrRunResult> {
  const split = ctrSplit(dataset, { seed: options.seed });
  if (split.test.length === 0 || split.train.length === 0)
    throw new Error(
      `the ctr protocol needs rated events; dataset "${dataset.name}" has ${split.train.length + split.validation.length + split.test.length}`,
    );
  const t0 = performance.now();
  await model.fitCtr({ dataset, train: split.train, validation: split.validation }, options.params, {
    signal: options.signal,
    onProgress: (fit) => options.onProgress?.('fit', fit),
  });
  const t1 = performance.now();
  options.onProgress?.('score');
  const scores = ctrScores(model.ctrRows(dataset, split.test), (rows) => model.predictCtr(rows));
  if (Number.isNaN(scores.auc))
    throw new Error(
      `the ctr protocol's test rows of "${dataset.name}" hold only one class; AUC is undefined`,
    );
  return {
    metrics: { auc: scores.auc, logloss: scores.logloss },
    evaluated: scores.rows,
    fitSeconds: (t1 - t0) / 1000,
    scoreSeconds: (performance.now() - t1) / 1000,
    params: model.params,
  };
}
