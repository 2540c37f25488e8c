/**
 * The shared types of the experiments package: definitions as an admin writes them, experiments as
 * stored, assignments, exposures and results.
 */

export const EXPERIMENT_STATUSES = ['draft', 'running', 'stopped'] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

/**
 * What a variant is judged on, each a proportion of shown lists (exposures) followed by at least one
 * interaction carrying the list's requestId: `ctr` a CLICK, `conversion` a SUBSCRIBE or PURCHASE,
 * `engagement` an API_CALL.
 */
export const EXPERIMENT_METRICS = ['ctr', 'conversion', 'engagement'] as const;
export type ExperimentMetric = (typeof EXPERIMENT_METRICS)[number];

/** One arm of a definition. Exactly one of `modelVersion` and `policy`. */
export interface VariantDefinition {
  /** 1-64 of [A-Za-z0-9._-], starting with a letter or digit; unique within the experiment. */
  name: string;
  /**
   * Shown variants: the share of users (0, 1]; the shown shares sum to 1. Shadow variants: the share of
   * requests on which they are also scored.
   */
  share: number;
  /** A registry ModelVersion: its id, or `modelType@version` (`als@3`). */
  modelVersion?: string;
  /** A named serving policy (`production`: the placement's production model). */
  policy?: string;
  /** Scored and logged on `share` of the requests, never shown. */
  shadow?: boolean;
  /** A small-share variant (at most MAX_CANARY_SHARE) putting a new model before a few users first. */
  canary?: boolean;
}

/** An experiment as an admin defines it. The first variant is the control and must be shown. */
export interface ExperimentDefinition {
  /** 1-64 of [A-Za-z0-9._-], starting with a letter or digit; also the salt of the assignment hash. */
  name: string;
  description?: string;
  /** Where it applies: home, search, service_page. */
  placement: string;
  /** Planned start; the time it is started when absent or past. */
  startAt?: Date;
  /** Planned end; open-ended when absent. */
  endAt?: Date;
  primaryMetric: ExperimentMetric;
  guardrailMetrics?: ExperimentMetric[];
  /** Exposures each shown variant needs before any significance decision. @defaultValue 1000 */
  minSampleSize?: number;
  /** Significance level of the sequential tests. @defaultValue 0.05 */
  alpha?: number;
  variants: VariantDefinition[];
}

export interface Variant {
  id: string;
  name: string;
  /** 0 is the control. */
  position: number;
  share: number;
  /** The registry ModelVersion id it serves, or null when it serves a policy. */
  modelVersionId: string | null;
  policy: string | null;
  shadow: boolean;
  canary: boolean;
}

export interface Experiment {
  id: string;
  name: string;
  description: string | null;
  placement: string;
  status: ExperimentStatus;
  startAt: Date | null;
  endAt: Date | null;
  primaryMetric: ExperimentMetric;
  guardrailMetrics: ExperimentMetric[];
  minSampleSize: number;
  alpha: number;
  createdAt: Date;
  createdBy: string;
  startedAt: Date | null;
  startedBy: string | null;
  stoppedAt: Date | null;
  stoppedBy: string | null;
  /** In definition order: the control first. */
  variants: Variant[];
}

/** The variant a user is shown in an experiment, and the shadow variants to score for the request. */
export interface Assignment {
  experiment: Experiment;
  variant: Variant;
  shadows: Variant[];
}

/** One item of a logged list. */
export interface ExposureItem {
  serviceId: string;
  /** 1-based. */
  position: number;
  score: number;
  /** Probability that the variant's policy puts this service at this position (1 when deterministic). */
  propensity: number;
}

/** One served (or shadow-scored) list, as the serving path hands it to the exposure logger. */
export interface ExposureInput {
  experimentId: string;
  variantId: string;
  userId: string;
  /** The requestId of the list shown to the user (for shadow variants too: outcomes join on it). */
  requestId: string;
  placement: string;
  /** The ModelVersion the variant asked for; null for policies. */
  modelVersionId: string | null;
  /** modelType@version (or cold-start) that actually ranked the list. */
  modelVersion: string;
  shown: boolean;
  /** The probability of this variant for the request: its share. */
  assignmentProbability: number;
  items: ExposureItem[];
  servedAt: Date;
}

/** A closed interval of a rate or a difference of rates. */
export interface Interval {
  low: number;
  high: number;
}

/**
 * The sequential verdict of a variant against the control on one metric. `not_significant_yet` until
 * the peeking guard allows a decision (minimum sample reached and always-valid p ≤ alpha);
 * `not_significant` once the experiment stopped without one.
 */
export type SignificanceDecision = 'not_significant_yet' | 'not_significant' | 'better' | 'worse';

export interface MetricComparison {
  /** Variant rate minus control rate. */
  difference: number;
  /** difference / control rate; null when the control rate is 0. */
  relativeLift: number | null;
  /** Two-proportion z statistic (pooled), fixed horizon. */
  zScore: number;
  /** Two-sided p-value of the z-test: valid for one look decided in advance only. */
  pValue: number;
  /** mSPRT always-valid p-value: valid whenever it is read. */
  alwaysValidPValue: number;
  /** Always-valid (1 - alpha) confidence interval of the difference. */
  alwaysValidInterval: Interval;
  decision: SignificanceDecision;
  /** Why the decision is what it is, in words. */
  reason: string;
}

export type MetricRole = 'primary' | 'guardrail' | 'secondary';

export interface MetricResult {
  metric: ExperimentMetric;
  role: MetricRole;
  /** Shown lists followed by the metric's event. */
  successes: number;
  /** Shown lists. */
  trials: number;
  rate: number;
  /** Wilson score interval at 1 - alpha. */
  interval: Interval;
  /** Against the control; null for the control itself. */
  vsControl: MetricComparison | null;
  /** A guardrail metric this variant makes significantly worse. */
  guardrailViolated: boolean;
}

export interface VariantResults {
  variant: string;
  shown: boolean;
  /** Lists logged: shown ones, or for a shadow variant scored ones. */
  exposures: number;
  users: number;
  /** Items in the logged lists. */
  items: number;
  /** API_CALL events attributed to the lists. */
  apiCalls: number;
  /** Every metric, primary first; empty for shadow variants (nothing was shown). */
  metrics: MetricResult[];
}

export interface ExperimentResults {
  experiment: string;
  computedAt: Date;
  control: string;
  variants: VariantResults[];
  /** Variants with at least one violated guardrail. */
  guardrailViolations: string[];
}
