import { buildDatasetFromRows, movieLens100k, type InteractionDataset } from '@recsys/data';
import { ImportIssues } from '@recsys/db';
import { peakRssMb, roundTo, type BenchResult } from '@recsys/benchmarking';
import { createModel } from '@recsys/models';
import {
  ctrScores,
  ctrSplit,
  ensureBackend,
  OnnxScorer,
  type CtrRecommender,
  type FeatureInputRecommender,
} from '../src';

/** MovieLens 100K through the real importer's parser (no database): ratings with user and movie side data. */
async function movieLens(): Promise<InteractionDataset> {
  return buildDatasetFromRows('ml-100k', movieLens100k().rows(new ImportIssues()));
}

/** The models the ctr comparison runs, baselines first. */
const CTR_MODELS = ['lr', 'fm', 'wide-deep', 'nfm', 'dcn-v2'] as const;

/**
 * The `ctr` protocol on ML-100K (label = rating ≥ 4; seeded 80/10/10 split of the ratings, seed 42;
 * features fitted on the training ratings only), every feature model with its default parameters (the
 * same features for all), as `recsys evaluate --dataset ml-100k --protocol ctr --model <name>` runs it.
 * Targets (issue #6): Wide & Deep, NFM and DCN-v2 each beat LR and FM on AUC and on log loss; DCN-v2 the
 * best or within 0.005 AUC of the best. CTR_BENCH_MODELS (comma-separated) runs a subset,
 * CTR_BENCH_PARAMS ({"model": {...}}) overrides parameters.
 */
export async function ctrComparisonBench(): Promise<BenchResult> {
  const backend = await ensureBackend();
  const dataset = await movieLens();
  const split = ctrSplit(dataset, { seed: 42 });
  const names = process.env.CTR_BENCH_MODELS?.split(',') ?? [...CTR_MODELS];
  const overrides = JSON.parse(process.env.CTR_BENCH_PARAMS ?? '{}') as Record<string, object>;
  const out: BenchResult = {
    backend: backend.candidate,
    trainRows: split.train.length,
    testRows: split.test.length,
  };
  const auc: Record<string, number> = {};
  const logloss: Record<string, number> = {};
  for (const name of names) {
    const model = createModel(name) as CtrRecommender & FeatureInputRecommender<never>;
    const t0 = performance.now();
    await model.fitCtr({ dataset, train: split.train, validation: split.validation }, overrides[name] ?? {});
    const fitSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const s = ctrScores(model.ctrRows(dataset, split.test), (rows) => model.predictCtr(rows));
    auc[name] = s.auc;
    logloss[name] = s.logloss;
    out[`${name}.auc`] = roundTo(s.auc, 4);
    out[`${name}.logloss`] = roundTo(s.logloss, 4);
    out[`${name}.fitSeconds`] = roundTo(fitSeconds, 1);
    out[`${name}.scoreSeconds`] = roundTo((performance.now() - t1) / 1000, 2);
    out[`${name}.epochs`] = model.training?.history.length ?? 0;
    out[`${name}.bestEpoch`] = model.training?.bestEpoch ?? 0;
    out[`${name}.batchSize`] = model.batchSize;
    model.dispose();
  }
  const has = (n: string) => auc[n] !== undefined;
  if (['lr', 'fm', 'wide-deep', 'nfm', 'dcn-v2'].every(has)) {
    const deep = ['wide-deep', 'nfm', 'dcn-v2'];
    out.deepBeatBaselines = deep.every(
      (d) => auc[d] > Math.max(auc.lr, auc.fm) && logloss[d] < Math.min(logloss.lr, logloss.fm),
    );
    const bestAuc = Math.max(...Object.values(auc));
    out.dcnV2BehindBestAuc = roundTo(bestAuc - auc['dcn-v2'], 4);
    out.dcnV2WithinTarget = bestAuc - auc['dcn-v2'] <= 0.005;
  }
  out.peakRssMb = peakRssMb();
  return out;
}

/**
 * ONNX Runtime (CPU EP, 1 thread) on each feature model's default ranking graph for ML-100K's 943 ×
 * 1,682 (trained one epoch as a ranking model, so the feature tables are real): one user × every item
 * and 1,024 users × 100 candidates; the issue's targets are NeuMF's, < 2 ms and < 50 ms.
 */
export async function featureOnnxInferenceBench(): Promise<BenchResult> {
  await ensureBackend();
  const dataset = await movieLens();
  const out: BenchResult = {};
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const users = Int32Array.from({ length: 1024 }, (_, u) => u % dataset.users.size);
  const candidates = Int32Array.from({ length: 1024 * 100 }, (_, k) => (k * 7919) % dataset.items.size);
  for (const name of process.env.CTR_BENCH_MODELS?.split(',') ?? CTR_MODELS) {
    const model = createModel(name) as FeatureInputRecommender<never>;
    await model.fit(dataset, { epochs: 1, validation: false });
    const scorer = await OnnxScorer.fromFile(model.toOnnx('ranking'), dataset.users.size, dataset.items.size);
    const time = (reps: number, f: () => unknown): number => {
      for (let r = 0; r < 3; r++) f();
      const ms: number[] = [];
      for (let r = 0; r < reps; r++) {
        const t = performance.now();
        f();
        ms.push(performance.now() - t);
      }
      return median(ms);
    };
    out[`${name}.oneUserAllItemsMs`] = roundTo(time(30, () => scorer.scoreAll(17)));
    out[`${name}.users1024x100Ms`] = roundTo(time(5, () => scorer.score(users, candidates, 100)));
    scorer.close();
    model.dispose();
  }
  out.peakRssMb = peakRssMb();
  return out;
}
