import type { PrismaClient } from '@recsys/db';
import type {
  Experiment,
  ExperimentMetric,
  ExperimentResults,
  MetricResult,
  MetricRole,
  VariantResults,
} from '../contract';
import { EXPERIMENT_METRICS } from '../contract';
import { compareToControl, type ProportionCounts } from '../stats/compare-variants';
import { wilsonInterval } from '../stats/wilson-interval';
import { NO_COUNTS, readVariantCounts, type VariantCounts } from './variant-counts';

export interface ResultsOptions {
  /** τ of the sequential test's mixture. @defaultValue DEFAULT_MIXING_SD */
  mixingSd?: number;
  now?: Date;
}

const SUCCESSES_OF: Record<ExperimentMetric, (counts: VariantCounts) => number> = {
  ctr: (c) => c.clicked,
  conversion: (c) => c.converted,
  engagement: (c) => c.engaged,
};

function proportion(metric: ExperimentMetric, counts: VariantCounts): ProportionCounts {
  return { successes: SUCCESSES_OF[metric](counts), trials: counts.exposures };
}

/** Primary first, then guardrails, then the rest. */
function metricsInOrder(experiment: Experiment): { metric: ExperimentMetric; role: MetricRole }[] {
  const roleOf = (metric: ExperimentMetric): MetricRole =>
    metric === experiment.primaryMetric
      ? 'primary'
      : experiment.guardrailMetrics.includes(metric)
        ? 'guardrail'
        : 'secondary';
  const rank: Record<MetricRole, number> = { primary: 0, guardrail: 1, secondary: 2 };
  return EXPERIMENT_METRICS.map((metric) => ({ metric, role: roleOf(metric) })).sort(
    (a, b) => rank[a.role] - rank[b.role],
  );
}

/**
 * Per-variant results from counts (pure: the numbers tests check by hand). Every shown variant gets each
 * metric's rate with its Wilson interval; each non-control one its comparison with the control (z-test,
 * always-valid p and interval, the guarded decision). A guardrail metric (the primary one included, when
 * listed) is violated when the decision is `worse`. Shadow variants were never shown: counts only.
 */
export function summarizeResults(
  experiment: Experiment,
  counts: ReadonlyMap<string, VariantCounts>,
  options: ResultsOptions = {},
): ExperimentResults {
  const control = experiment.variants[0];
  const controlCounts = counts.get(control.id) ?? NO_COUNTS;
  const metrics = metricsInOrder(experiment);
  const settings = {
    alpha: experiment.alpha,
    minSampleSize: experiment.minSampleSize,
    final: experiment.status === 'stopped',
    ...(options.mixingSd === undefined ? {} : { mixingSd: options.mixingSd }),
  };
  const variants = experiment.variants.map((variant): VariantResults => {
    const own = counts.get(variant.id) ?? NO_COUNTS;
    const results: MetricResult[] = variant.shadow
      ? []
      : metrics.map(({ metric, role }) => {
          const mine = proportion(metric, own);
          const vsControl =
            variant.id === control.id
              ? null
              : compareToControl(proportion(metric, controlCounts), mine, settings);
          return {
            metric,
            role,
            successes: mine.successes,
            trials: mine.trials,
            rate: mine.trials === 0 ? 0 : mine.successes / mine.trials,
            interval: wilsonInterval(mine.successes, mine.trials, experiment.alpha),
            vsControl,
            guardrailViolated:
              experiment.guardrailMetrics.includes(metric) &&
              vsControl !== null &&
              vsControl.decision === 'worse',
          };
        });
    return {
      variant: variant.name,
      shown: !variant.shadow,
      exposures: own.exposures,
      users: own.users,
      items: own.items,
      apiCalls: own.apiCalls,
      metrics: results,
    };
  });
  return {
    experiment: experiment.name,
    computedAt: options.now ?? new Date(),
    control: control.name,
    variants,
    guardrailViolations: variants
      .filter((variant) => variant.metrics.some((metric) => metric.guardrailViolated))
      .map((variant) => variant.variant),
  };
}

/** The experiment's results as of now, from its exposures and their outcomes in PostgreSQL. */
export async function experimentResults(
  prisma: PrismaClient,
  experiment: Experiment,
  options: ResultsOptions = {},
): Promise<ExperimentResults> {
  return summarizeResults(experiment, await readVariantCounts(prisma, experiment.id), options);
}
