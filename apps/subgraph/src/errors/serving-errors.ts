import { ServingError, ServingErrorCode } from '@recsys/serving';
import { GraphQLError } from 'graphql';
import { SubgraphErrorCode } from './codes';

/** The GraphQL code each engine error code becomes. */
const CODE_OF: Record<ServingErrorCode, SubgraphErrorCode> = {
  [ServingErrorCode.UNKNOWN_SERVICE]: SubgraphErrorCode.BAD_USER_INPUT,
  [ServingErrorCode.INVALID_INPUT]: SubgraphErrorCode.BAD_USER_INPUT,
  [ServingErrorCode.UNAVAILABLE]: SubgraphErrorCode.SERVICE_UNAVAILABLE,
};

/**
 * A ServingError as the GraphQL error clients see (the engine's code kept in `extensions.servingCode`);
 * anything else is returned unchanged and becomes INTERNAL_SERVER_ERROR.
 */
export function toGraphQLError(error: unknown): unknown {
  if (!(error instanceof ServingError)) return error;
  return new GraphQLError(error.message, {
    extensions: { code: CODE_OF[error.code], servingCode: error.code },
    originalError: error,
  });
}
