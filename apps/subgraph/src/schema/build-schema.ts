import { buildSubgraphSchema } from '@apollo/subgraph';
import type { InferenceEngine } from '@recsys/serving';
import type { GraphQLSchema } from 'graphql';
import { createResolvers } from '../resolvers';
import type { ExperimentsDeps } from '../resolvers/experiments';
import type { RetrainingDeps } from '../resolvers/request-retraining';
import { loadSubgraphTypeDefs } from './type-defs';

/**
 * The executable subgraph schema: the SDL files plus the resolvers over `engine`, the training queue and
 * the A/B experiments (none: their ADMIN fields answer SERVICE_UNAVAILABLE and no list is in one).
 */
export function buildSchema(
  engine: InferenceEngine,
  retraining: RetrainingDeps,
  experiments: ExperimentsDeps = null,
): GraphQLSchema {
  // @apollo/subgraph 2.x takes an array of modules; the bare-object form fails with
  // "doc.definitions is not iterable".
  return buildSubgraphSchema([
    { typeDefs: loadSubgraphTypeDefs(), resolvers: createResolvers(engine, retraining, experiments) },
  ]);
}
