import type { InteractionDataset } from '@recsys/data';
import { isCtrRecommender } from '@recsys/deep';
import type { FitProgress, Recommender } from '@recsys/models';
import { trainingRuntimeOf, type ComputeBackend, type TrainingRuntime } from '../pipelines/training-runtime';
import { buildFolds, type PredefinedFolds } from './protocols/build-folds';
import { evaluateCtr } from './protocols/ctr';
import type { EvaluationFold, ProtocolName, ProtocolOptions } from './protocol';
import { evaluateFullRanking, evaluateSampledRanking } from './ranking-evaluation';
import { evaluateRatings } from './rating-evaluation';

/** One model on one protocol: what `recsys evaluate --json` prints per model. */
export interface EvaluationResult {
  dataset: string;
  protocol: ProtocolName;
  model: string;
  params: object;
  k: number;
  seed: number;
  /** Means over folds, keyed like `ndcg@10`, `rmse`. */
  metrics: Record<string, number>;
  folds: number;
  /** Users (ranking) or ratings (cv5) evaluated, summed over folds. */
  evaluated: number;
  /** Test users skipped as cold (no training history), or ratings answered with the mean, summed over folds. */
  fallbacks: number;
  fitSeconds: number;
  scoreSeconds: number;
  /** The process's peak resident set size when this model finished, in MiB. */
  peakRssMb: number;
  /** What the fits ran on: 'cpu' (classical models) or `tfjs-<backend>` (deep models). */
  backend: ComputeBackend;
  /** A deep model's batch size (its parameter, or its default on that backend). */
  batchSize?: number;
}

export interface EvaluateModelOptions {
  protocol: ProtocolName;
  options: ProtocolOptions;
  params?: unknown;
  predefined?: PredefinedFolds;
  /** Progress over folds and within each fit. */
  onProgress?: (event: {
    fold: string;
    foldIndex: number;
    folds: number;
    fit?: FitProgress;
    stage: 'fit' | 'score';
  }) => void;
  signal?: AbortSignal;
}

/**
 * Whether a model of this task can be evaluated on the protocol (cv5 needs rating predictions, ctr a
 * model that declares the CtrRecommender contract: lr, fm, wide-deep, nfm, dcn-v2).
 */
export function supportsProtocol(model: Recommender, protocol: ProtocolName): boolean {
  if (protocol === 'ctr') return isCtrRecommender(model);
  return protocol === 'cv5' ? model.info.task !== 'ranking' : true;
}

/** Why a model cannot run a protocol (the message for a model `supportsProtocol` rejects). */
export function unsupportedProtocolMessage(model: string, protocol: ProtocolName): string {
  return protocol === 'ctr'
    ? `model "${model}" does not predict click-through from features, so it cannot run the ctr protocol ` +
        '(models that can: lr, fm, wide-deep, nfm, dcn-v2)'
    : `model "${model}" does not predict ratings, so it cannot run the ${protocol} protocol`;
}

async function evaluateFold(
  create: () => Recommender,
  fold: EvaluationFold,
  opts: EvaluateModelOptions,
  index: number,
  total: number,
): Promise<{
  metrics: Record<string, number>;
  evaluated: number;
  fallbacks: number;
  fitSeconds: number;
  scoreSeconds: number;
  params: object;
  runtime: TrainingRuntime;
}> {
  const model = create();
  const t0 = performance.now();
  await model.fit(fold.train, opts.params, {
    signal: opts.signal,
    onProgress: (fit) =>
      opts.onProgress?.({ fold: fold.label, foldIndex: index, folds: total, fit, stage: 'fit' }),
  });
  const t1 = performance.now();
  opts.onProgress?.({ fold: fold.label, foldIndex: index, folds: total, stage: 'score' });
  const k = opts.options.k;
  let metrics: Record<string, number>;
  let evaluated: number;
  let fallbacks: number;
  switch (fold.task.kind) {
    case 'rating': {
      const r = evaluateRatings(model, fold.train, fold.test);
      metrics = r.metrics;
      evaluated = r.predictions;
      fallbacks = r.impossible;
      break;
    }
    case 'ranking-full': {
      const r = evaluateFullRanking(model, fold.train, fold.test, k);
      metrics = r.metrics;
      evaluated = r.evaluatedUsers;
      fallbacks = r.coldUsers;
      break;
    }
    case 'ranking-sampled': {
      const r = evaluateSampledRanking(
        model,
        fold.train,
        fold.test,
        k,
        fold.task.negatives,
        opts.options.seed,
      );
      metrics = r.metrics;
      evaluated = r.evaluatedUsers;
      fallbacks = r.coldUsers;
      break;
    }
  }
  const t2 = performance.now();
  return {
    metrics,
    evaluated,
    fallbacks,
    fitSeconds: (t1 - t0) / 1000,
    scoreSeconds: (t2 - t1) / 1000,
    params: model.params,
    runtime: trainingRuntimeOf(model),
  };
}

/**
 * Fits a fresh model per fold of `protocol` and scores it: metrics averaged over folds, fit and scoring
 * seconds summed, and the process's peak RSS.
 */
export async function evaluateModel(
  dataset: InteractionDataset,
  create: () => Recommender,
  opts: EvaluateModelOptions,
): Promise<EvaluationResult> {
  const probe = create();
  if (!supportsProtocol(probe, opts.protocol))
    throw new Error(unsupportedProtocolMessage(probe.info.name, opts.protocol));
  if (opts.protocol === 'ctr') return evaluateCtrModel(dataset, probe, opts);
  const folds = buildFolds(dataset, opts.protocol, opts.options, opts.predefined);
  const sums: Record<string, number> = {};
  let evaluated = 0;
  let fallbacks = 0;
  let fitSeconds = 0;
  let scoreSeconds = 0;
  let params: object = {};
  let runtime: TrainingRuntime = { backend: 'cpu' };
  for (let i = 0; i < folds.length; i++) {
    const r = await evaluateFold(create, folds[i], opts, i, folds.length);
    for (const [key, value] of Object.entries(r.metrics)) sums[key] = (sums[key] ?? 0) + value;
    evaluated += r.evaluated;
    fallbacks += r.fallbacks;
    fitSeconds += r.fitSeconds;
    scoreSeconds += r.scoreSeconds;
    params = r.params;
    runtime = r.runtime;
  }
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(sums)) metrics[key] = value / folds.length;
  return {
    dataset: dataset.name,
    protocol: opts.protocol,
    model: probe.info.name,
    params,
    k: opts.options.k,
    seed: opts.options.seed,
    metrics,
    folds: folds.length,
    evaluated,
    fallbacks,
    fitSeconds,
    scoreSeconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...runtime,
  };
}

/** The `ctr` protocol (protocols/ctr.ts) as one EvaluationResult: a single split, AUC and log loss. */
async function evaluateCtrModel(
  dataset: InteractionDataset,
  model: Recommender,
  opts: EvaluateModelOptions,
): Promise<EvaluationResult> {
  if (!isCtrRecommender(model)) throw new Error(unsupportedProtocolMessage(model.info.name, 'ctr'));
  const r = await evaluateCtr(dataset, model, {
    seed: opts.options.seed,
    params: opts.params,
    signal: opts.signal,
    onProgress: (stage, fit) =>
      opts.onProgress?.({ fold: 'ctr', foldIndex: 0, folds: 1, stage, ...(fit ? { fit } : {}) }),
  });
  return {
    dataset: dataset.name,
    protocol: 'ctr',
    model: model.info.name,
    params: r.params,
    k: opts.options.k,
    seed: opts.options.seed,
    metrics: r.metrics,
    folds: 1,
    evaluated: r.evaluated,
    fallbacks: 0,
    fitSeconds: r.fitSeconds,
    scoreSeconds: r.scoreSeconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...trainingRuntimeOf(model),
  };
}
