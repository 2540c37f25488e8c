import { buildSubgraphSchema } from '@apollo/subgraph';
import type { InferenceEngine } from '@recsys/serving';
import type { GraphQLSchema } from 'graphql';
import { createResolvers } from '../resolvers';
import { loadTypeDefs } from './type-defs';

/** The executable subgraph schema: the SDL file plus the resolvers over `engine`. */
export function buildSchema(engine: InferenceEngine): GraphQLSchema {
  // @apollo/subgraph 2.x takes an array of modules; the bare-object form fails with
  // "doc.definitions is not iterable".
  return buildSubgraphSchema([{ typeDefs: loadTypeDefs(), resolvers: createResolvers(engine) }]);
}
