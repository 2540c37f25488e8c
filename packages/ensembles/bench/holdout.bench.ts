import { peakRssMb, roundTo, type BenchResult } from '@recsys/benchmarking';
import { BlendModel, StackingModel } from '../src';
import { holdoutNdcg, holdoutSplit, movieLens100k } from '../test/support/holdout';

const SEGMENTS = { segments: { by: 'activity' as const, buckets: 3, minUsers: 100 } };

/**
 * The ensembles on MovieLens 100K's `holdout` protocol with default parameters, with and without
 * per-activity-segment weights, next to their base models (refitted on all training data, so equal to
 * the single models). Target (issue #7): each ensemble ≥ 1.02 × the best single model's NDCG@10.
 */
export async function holdoutEnsemblesBench(): Promise<BenchResult> {
  const { train, test } = holdoutSplit(await movieLens100k());
  const out: BenchResult = {};
  let best = 0;
  const variants = [
    ['blend', () => new BlendModel(), {}],
    ['blend+segments', () => new BlendModel(), SEGMENTS],
    ['stacking', () => new StackingModel(), {}],
    ['stacking+segments', () => new StackingModel(), SEGMENTS],
  ] as const;
  for (const [label, create, params] of variants) {
    const model = create();
    const t0 = performance.now();
    await model.fit(train, params);
    out[`${label}.fitSeconds`] = roundTo((performance.now() - t0) / 1000, 1);
    out[`${label}.ndcg@10`] = roundTo(holdoutNdcg(model, train, test), 4);
    if (label === 'blend') {
      model.baseModels.forEach((base) => {
        const ndcg = holdoutNdcg(base, train, test);
        out[`${base.info.name}.ndcg@10`] = roundTo(ndcg, 4);
        best = Math.max(best, ndcg);
      });
      out['blend.weights'] = Array.from(model.globalWeights, (w) => roundTo(w, 3)).join(' ');
    }
  }
  out.bestSingleNdcg = roundTo(best, 4);
  out.target = roundTo(1.02 * best, 4);
  for (const [label] of variants)
    out[`${label}.gainPercent`] = roundTo((100 * (Number(out[`${label}.ndcg@10`]) - best)) / best, 2);
  out.peakRssMb = peakRssMb();
  return out;
}
