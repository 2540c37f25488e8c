import type { EvaluationResult } from '../evaluation/evaluate-model';
import { TuningError, TuningErrorCode } from './errors';
import type { Direction } from './trial';

/**
 * Which number of an evaluation a study optimises, and which way. Plain data plus one pure method, so
 * `{ metric, direction }` can travel in a job payload and be rebuilt with `objectiveFromEvaluation`.
 */
export interface EvaluationObjective {
  /** A key of `EvaluationResult.metrics`, e.g. `ndcg@10`, `recall@20`, `rmse`. */
  readonly metric: string;
  readonly direction: Direction;
  /** The metric's value in `result`; METRIC_MISSING (naming the keys present) when absent or not finite. */
  value(result: EvaluationResult): number;
}

/**
 * The objective "metric `metricKey` of an evaluateModel result, to maximise or minimise": e.g.
 * `objectiveFromEvaluation('ndcg@10', 'maximize')`, `objectiveFromEvaluation('rmse', 'minimize')`.
 * Create the study with the same direction (`objective.direction`).
 */
export function objectiveFromEvaluation(metricKey: string, direction: Direction): EvaluationObjective {
  if (metricKey.length === 0) {
    throw new TuningError(TuningErrorCode.INVALID_OPTIONS, 'objective: metric key is empty');
  }
  if (direction !== 'maximize' && direction !== 'minimize') {
    throw new TuningError(
      TuningErrorCode.INVALID_OPTIONS,
      `objective: direction must be "maximize" or "minimize", got ${JSON.stringify(direction)}`,
    );
  }
  return {
    metric: metricKey,
    direction,
    value(result: EvaluationResult): number {
      const v = Object.prototype.hasOwnProperty.call(result.metrics, metricKey)
        ? result.metrics[metricKey]
        : undefined;
      if (v === undefined) {
        throw new TuningError(
          TuningErrorCode.METRIC_MISSING,
          `objective: ${result.model} on ${result.protocol} has no metric "${metricKey}" (has: ${Object.keys(result.metrics).join(', ')})`,
        );
      }
      if (!Number.isFinite(v)) {
        throw new TuningError(
          TuningErrorCode.METRIC_MISSING,
          `objective: metric "${metricKey}" of ${result.model} is ${v}, not a finite number`,
        );
      }
      return v;
    },
  };
}
