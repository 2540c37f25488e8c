import type { EvaluateModelOptions } from '../evaluation/evaluate-model';
import type { TrainAndRegisterProgress } from '../pipelines/train-and-register';
import type { JobProgress } from './contract';

type EvaluationEvent = Parameters<NonNullable<EvaluateModelOptions['onProgress']>>[0];

/** An evaluation event as job progress: the share of all folds done, with the fit's epoch and loss. */
export function evaluationProgress(event: EvaluationEvent): JobProgress {
  const within = event.stage === 'score' ? 0.95 : 0.9 * (event.fit?.fraction ?? 0);
  return {
    phase: 'evaluate',
    fraction: clamp01((event.foldIndex + within) / Math.max(1, event.folds)),
    fold: event.fold,
    ...fitFields(event.fit),
  };
}

/** A `trainAndRegister` event as job progress. */
export function trainingProgress(event: TrainAndRegisterProgress): JobProgress {
  switch (event.phase) {
    case 'evaluate':
      return evaluationProgress(event.evaluation);
    case 'fit':
      return { phase: 'fit', fraction: clamp01(event.fit.fraction), ...fitFields(event.fit) };
    case 'save':
      return { phase: 'save', fraction: 0 };
    case 'register':
      return { phase: 'register', fraction: 0 };
  }
}

function fitFields(fit: EvaluationEvent['fit']): Partial<JobProgress> {
  if (!fit) return {};
  const out: Partial<JobProgress> = {};
  if (fit.epoch !== undefined) out.epoch = fit.epoch;
  if (fit.epochs !== undefined) out.epochs = fit.epochs;
  if (fit.loss !== undefined && Number.isFinite(fit.loss)) out.loss = fit.loss;
  if (fit.metric && Number.isFinite(fit.metric.value)) out.metric = fit.metric;
  return out;
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
