import { mae, rmse } from '@recsys/metrics';
import { eventsByUser, type InteractionDataset, type InteractionLog } from '@recsys/data';
import { ModelErrorCode, type Recommender } from '@recsys/models';

export interface RatingFoldResult {
  metrics: { rmse: number; mae: number };
  /** Test ratings predicted. */
  predictions: number;
  /**
   * Of them, for users without training history (Surprise's was_impossible): the model answered with its
   * baseline (SVD: μ + b_i), or, where it raises COLD_START, the training mean stood in.
   */
  impossible: number;
}

/**
 * RMSE and MAE of the model's predicted ratings on the rated test events. Predictions for users the model
 * has no history for are counted in `impossible`; where such a model raises COLD_START instead of
 * answering with a baseline, the training mean rating stands in, as Surprise does.
 */
export function evaluateRatings(
  model: Recommender,
  train: InteractionDataset,
  test: InteractionLog,
): RatingFoldResult {
  let globalMean: number | null = null; // computed only if a model ever raises COLD_START
  const predicted: number[] = [];
  const actual: number[] = [];
  let impossible = 0;
  // One score call per user over their rated test items.
  const { indptr, events } = eventsByUser(test, train.users.size);
  for (let u = 0; u + 1 < indptr.length; u++) {
    const rated: number[] = [];
    for (let p = indptr[u]; p < indptr[u + 1]; p++)
      if (!Number.isNaN(test.values[events[p]])) rated.push(events[p]);
    if (rated.length === 0) continue;
    if (!model.knowsUser(u)) impossible += rated.length;
    let scores: Float32Array | null = null;
    try {
      scores = model.score(
        u,
        Int32Array.from(rated, (e) => test.items[e]),
      );
    } catch (error) {
      if ((error as { code?: string }).code !== ModelErrorCode.COLD_START) throw error;
      globalMean ??= trainingMean(train);
    }
    for (let r = 0; r < rated.length; r++) {
      predicted.push(scores === null ? (globalMean ?? 0) : scores[r]);
      actual.push(test.values[rated[r]]);
    }
  }
  if (predicted.length === 0) throw new Error('no rated test events to evaluate');
  const p = Float64Array.from(predicted);
  const a = Float64Array.from(actual);
  return { metrics: { rmse: rmse(p, a), mae: mae(p, a) }, predictions: p.length, impossible };
}

/** The mean of the training ratings (events with a value). */
function trainingMean(train: InteractionDataset): number {
  let sum = 0;
  let count = 0;
  for (let e = 0; e < train.log.length; e++) {
    const v = train.log.values[e];
    if (!Number.isNaN(v)) {
      sum += v;
      count++;
    }
  }
  return count > 0 ? sum / count : 0;
}
