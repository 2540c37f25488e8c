import {
  appliesAt,
  type Experiment,
  type ExperimentDefinition,
  type ExperimentResults,
  type ExperimentService,
  type Variant,
  type VariantDefinition,
} from '@recsys/experiments';
import { assertAdmin } from '../auth/authorize';
import { serviceUnavailable } from '../errors/codes';
import type {
  CreateExperimentArgs,
  CreateExperimentInput,
  ExperimentNameArgs,
  ExperimentsArgs,
} from '../schema/experiment-inputs';
import { validId } from '../validation/ids';
import { toExperimentError } from './experiments-errors';
import type { FieldResolver } from './types';

/** The experiments of this subgraph, or null when it has none (the ADMIN fields answer SERVICE_UNAVAILABLE). */
export type ExperimentsDeps = ExperimentService | null;

export interface ExperimentQueryResolvers {
  experiment: FieldResolver<unknown, ExperimentNameArgs, Experiment | null>;
  experiments: FieldResolver<unknown, ExperimentsArgs, Experiment[]>;
}

export interface ExperimentMutationResolvers {
  createExperiment: FieldResolver<unknown, CreateExperimentArgs, Experiment>;
  startExperiment: FieldResolver<unknown, ExperimentNameArgs, Experiment>;
  stopExperiment: FieldResolver<unknown, ExperimentNameArgs, Experiment>;
}

export interface ExperimentTypeResolvers {
  Experiment: {
    active: FieldResolver<Experiment, unknown, boolean>;
    results: FieldResolver<Experiment, unknown, ExperimentResults>;
  };
  ExperimentVariant: { control: FieldResolver<Variant, unknown, boolean> };
}

/** The definition as @recsys/experiments takes it: GraphQL's nulls become absent fields. */
export function experimentDefinition(input: CreateExperimentInput): ExperimentDefinition {
  const definition: ExperimentDefinition = {
    name: input.name,
    placement: input.placement,
    primaryMetric: input.primaryMetric,
    variants: input.variants.map((variant) => {
      const out: VariantDefinition = { name: variant.name, share: variant.share };
      if (variant.modelVersion != null) out.modelVersion = variant.modelVersion;
      if (variant.policy != null) out.policy = variant.policy;
      if (variant.shadow != null) out.shadow = variant.shadow;
      if (variant.canary != null) out.canary = variant.canary;
      return out;
    }),
  };
  if (input.description != null) definition.description = input.description;
  if (input.startAt != null) definition.startAt = input.startAt;
  if (input.endAt != null) definition.endAt = input.endAt;
  if (input.guardrailMetrics != null) definition.guardrailMetrics = input.guardrailMetrics;
  if (input.minSampleSize != null) definition.minSampleSize = input.minSampleSize;
  if (input.alpha != null) definition.alpha = input.alpha;
  return definition;
}

function available(experiments: ExperimentsDeps): ExperimentService {
  if (experiments === null) {
    throw serviceUnavailable(
      'Experiments are not available: this subgraph has no experiment store configured',
    );
  }
  return experiments;
}

/**
 * ADMIN only, like requestRetraining: anyone else gets FORBIDDEN before an argument is looked at. A bad
 * definition or status change is BAD_USER_INPUT naming the field, the package's code in
 * `extensions.experimentCode`.
 */
export function experimentQueryResolvers(experiments: ExperimentsDeps): ExperimentQueryResolvers {
  return {
    experiment(_root, args, { caller }) {
      assertAdmin(caller, 'Reading experiments');
      return available(experiments).get(validId(args.name, 'name'));
    },
    experiments(_root, args, { caller }) {
      assertAdmin(caller, 'Reading experiments');
      return available(experiments).list(args.status ?? undefined);
    },
  };
}

export function experimentMutationResolvers(experiments: ExperimentsDeps): ExperimentMutationResolvers {
  return {
    async createExperiment(_root, { input }, { caller, log }) {
      const adminId = assertAdmin(caller, 'Creating experiments');
      try {
        const experiment = await available(experiments).create(experimentDefinition(input), adminId);
        log.info({ experiment: experiment.name, createdBy: adminId }, 'experiment created');
        return experiment;
      } catch (error) {
        throw toExperimentError(error, 'input');
      }
    },
    async startExperiment(_root, { name }, { caller, log }) {
      const adminId = assertAdmin(caller, 'Starting experiments');
      try {
        const experiment = await available(experiments).start(validId(name, 'name'), adminId);
        log.info({ experiment: experiment.name, startedBy: adminId }, 'experiment started');
        return experiment;
      } catch (error) {
        throw toExperimentError(error, null);
      }
    },
    async stopExperiment(_root, { name }, { caller, log }) {
      const adminId = assertAdmin(caller, 'Stopping experiments');
      try {
        const experiment = await available(experiments).stop(validId(name, 'name'), adminId);
        log.info({ experiment: experiment.name, stoppedBy: adminId }, 'experiment stopped');
        return experiment;
      } catch (error) {
        throw toExperimentError(error, null);
      }
    },
  };
}

export function experimentTypeResolvers(experiments: ExperimentsDeps): ExperimentTypeResolvers {
  return {
    Experiment: {
      active: (experiment) => experiment.status === 'running' && appliesAt(experiment, new Date()),
      // Only reachable through the ADMIN fields above; computed from the exposure log when asked for.
      results: (experiment) => available(experiments).results(experiment),
    },
    ExperimentVariant: { control: (variant) => variant.position === 0 },
  };
}
