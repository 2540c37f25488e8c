import type {
  ExperimentMetric,
  ExperimentStatus,
  MetricRole,
  SignificanceDecision,
} from '@recsys/experiments';

/** GraphQL enum names → @recsys/experiments' values (the schema maps both ways). */
export const ExperimentStatusValues = {
  DRAFT: 'draft',
  RUNNING: 'running',
  STOPPED: 'stopped',
} as const satisfies Record<string, ExperimentStatus>;

export const ExperimentMetricValues = {
  CTR: 'ctr',
  CONVERSION: 'conversion',
  ENGAGEMENT: 'engagement',
} as const satisfies Record<string, ExperimentMetric>;

export const MetricRoleValues = {
  PRIMARY: 'primary',
  GUARDRAIL: 'guardrail',
  SECONDARY: 'secondary',
} as const satisfies Record<string, MetricRole>;

export const SignificanceDecisionValues = {
  NOT_SIGNIFICANT_YET: 'not_significant_yet',
  NOT_SIGNIFICANT: 'not_significant',
  BETTER: 'better',
  WORSE: 'worse',
} as const satisfies Record<string, SignificanceDecision>;
