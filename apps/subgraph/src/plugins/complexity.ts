import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import type { SubgraphContext } from '../context';
import { queryTooComplex } from '../errors/codes';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../validation/numbers';

/**
 * A list field costs 1 plus its items' cost times how many it may return: its `limit` argument (the
 * default when absent; capped at the largest valid limit, since validation rejects larger ones with a
 * clearer error), or the number of entity representations for federation's `_entities`.
 */
export const listEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (field.name === '_entities' && Array.isArray(args.representations)) {
    return 1 + args.representations.length * Math.max(1, childComplexity);
  }
  if ('limit' in args || field.args.some((arg) => arg.name === 'limit')) {
    const limit =
      typeof args.limit === 'number' && args.limit > 0 ? Math.min(args.limit, MAX_LIMIT) : DEFAULT_LIMIT;
    return 1 + limit * Math.max(1, childComplexity);
  }
  return undefined;
};

/** Rejects operations whose estimated cost is above `maximum` before anything executes. */
export function complexityPlugin(maximum: number): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [listEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (error) {
            // Variables that do not coerce: execution coerces them the same way before any resolver runs
            // and answers with Apollo's own BAD_USER_INPUT (HTTP 400) naming the variable and the field.
            if (error instanceof GraphQLError) return;
            throw error;
          }
          if (complexity > maximum) throw queryTooComplex(complexity, maximum);
        },
      };
    },
  };
}
