import { peakRssMb, roundTo, type BenchResult } from '@recsys/benchmarking';
import { createModel, MODEL_NAMES } from '@recsys/models';
import { DEFAULT_PROTOCOL_OPTIONS, evaluateModel, loadDataset, movieLens100kFolds } from '../src';

/**
 * SVD on MovieLens 100K's five canonical folds, fit and test: the target is under 4 s in total
 * (Surprise 1.1.4: 4.3 s, RMSE 0.938 / MAE 0.739) with RMSE ≤ 0.925 and MAE ≤ 0.730.
 */
export async function svdCv5Bench(): Promise<BenchResult> {
  const ml = await loadDataset('ml-100k');
  const folds = await movieLens100kFolds(ml);
  const r = await evaluateModel(ml, () => createModel('svd'), {
    protocol: 'cv5',
    options: DEFAULT_PROTOCOL_OPTIONS,
    predefined: folds,
  });
  return {
    seconds: roundTo(r.fitSeconds + r.scoreSeconds),
    fitSeconds: roundTo(r.fitSeconds),
    rmse: roundTo(r.metrics.rmse, 4),
    mae: roundTo(r.metrics.mae, 4),
    targetSeconds: 4,
    targetRmse: 0.925,
    targetMae: 0.73,
    peakRssMb: peakRssMb(),
  };
}

/** NDCG@10 of every ranking model on MovieLens 100K's holdout protocol (targets: best ≥ 0.48, ALS ≥ 0.44, EASE ≥ 0.46). */
export async function holdoutQualityBench(): Promise<BenchResult> {
  const ml = await loadDataset('ml-100k');
  const out: BenchResult = {};
  for (const name of MODEL_NAMES) {
    const r = await evaluateModel(ml, () => createModel(name), {
      protocol: 'holdout',
      options: DEFAULT_PROTOCOL_OPTIONS,
    });
    out[`${name}.ndcg@10`] = roundTo(r.metrics['ndcg@10'], 4);
    out[`${name}.fitSeconds`] = roundTo(r.fitSeconds);
  }
  out.peakRssMb = peakRssMb();
  return out;
}
