import type { ExperimentMetric, ExperimentStatus } from '@recsys/experiments';
import type { Placement } from '@recsys/serving';

/**
 * The TypeScript shapes of experiments.graphql's arguments as resolvers receive them: enum values are
 * already the package's (see resolvers/experiments-enums.ts), DateTime a Date, and any optional field may
 * be null.
 */

export interface ExperimentVariantInput {
  name: string;
  share: number;
  modelVersion?: string | null;
  policy?: string | null;
  shadow?: boolean | null;
  canary?: boolean | null;
}

export interface CreateExperimentInput {
  name: string;
  description?: string | null;
  placement: Placement;
  startAt?: Date | null;
  endAt?: Date | null;
  primaryMetric: ExperimentMetric;
  guardrailMetrics?: ExperimentMetric[] | null;
  minSampleSize?: number | null;
  alpha?: number | null;
  variants: ExperimentVariantInput[];
}

export interface CreateExperimentArgs {
  input: CreateExperimentInput;
}

export interface ExperimentNameArgs {
  name: string;
}

export interface ExperimentsArgs {
  status?: ExperimentStatus | null;
}
