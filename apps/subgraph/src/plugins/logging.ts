import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { SubgraphContext } from '../context';

/** Codes that are the client's doing: logged at info, everything else at error with its stack. */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/** One log line per GraphQL error, carrying the request id, the operation and the error's path. */
export function loggingPlugin(): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            const code =
              typeof error.extensions.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
            const entry = { code, operation: operationName ?? null, path: error.path ?? null };
            if (CLIENT_CODES.has(code)) {
              contextValue.log.info(entry, error.message);
            } else {
              contextValue.log.error({ ...entry, err: unwrapResolverError(error) }, error.message);
            }
          }
        },
      };
    },
  };
}
