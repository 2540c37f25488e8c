// The map type is not re-exported from the package root; dist/schema-helper is its home in 2.x.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { InferenceEngine } from '@recsys/serving';
import type { SubgraphContext } from '../context';
import { DateTimeScalar } from '../schema/date-time';
import { JSONObjectScalar } from '../schema/json-object';
import { CandidateSourceValues, DeviceValues, PlacementValues } from './enums';
import {
  experimentMutationResolvers,
  experimentQueryResolvers,
  experimentTypeResolvers,
  type ExperimentsDeps,
} from './experiments';
import {
  ExperimentMetricValues,
  ExperimentStatusValues,
  MetricRoleValues,
  SignificanceDecisionValues,
} from './experiments-enums';
import { mutationResolvers } from './mutation';
import { queryResolvers } from './query';
import type { RetrainingDeps } from './request-retraining';
import { recommendationResolvers } from './recommendation';
import { serviceResolvers } from './service';
import { userResolvers } from './user';

/** Every resolver of the schema, over one engine, one training queue and the A/B experiments (if any). */
export function createResolvers(
  engine: InferenceEngine,
  retraining: RetrainingDeps,
  experiments: ExperimentsDeps = null,
): GraphQLResolverMap<SubgraphContext> {
  return {
    DateTime: DateTimeScalar,
    JSONObject: JSONObjectScalar,
    Placement: PlacementValues,
    Device: DeviceValues,
    CandidateSource: CandidateSourceValues,
    ExperimentStatus: ExperimentStatusValues,
    ExperimentMetric: ExperimentMetricValues,
    MetricRole: MetricRoleValues,
    SignificanceDecision: SignificanceDecisionValues,
    Query: { ...queryResolvers(engine, experiments), ...experimentQueryResolvers(experiments) },
    Mutation: { ...mutationResolvers(engine, retraining), ...experimentMutationResolvers(experiments) },
    User: { ...userResolvers(engine, experiments) },
    ...experimentTypeResolvers(experiments),
    Service: { ...serviceResolvers(engine) },
    Recommendation: { ...recommendationResolvers },
  };
}
