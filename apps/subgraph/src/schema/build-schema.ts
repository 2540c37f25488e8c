import { buildSubgraphSchema } from '@apollo/subgraph';
import type { InferenceEngine } from '@recsys/serving';
import type { GraphQLSchema } from 'graphql';
import { createResolvers } from '../resolvers';
import type { RetrainingDeps } from '../resolvers/request-retraining';
import { loadTypeDefs } from './type-defs';

/** The executable subgraph schema: the SDL file plus the resolvers over `engine` and the training queue. */
export function buildSchema(engine: InferenceEngine, retraining: RetrainingDeps): GraphQLSchema {
  // @apollo/subgraph 2.x takes an array of modules; the bare-object form fails with
  // "doc.definitions is not iterable".
  return buildSubgraphSchema([{ typeDefs: loadTypeDefs(), resolvers: createResolvers(engine, retraining) }]);
}
