import { GraphQLError } from 'graphql';

/**
 * The error codes this subgraph puts in `extensions.code`, besides Apollo's own (GRAPHQL_PARSE_FAILED,
 * GRAPHQL_VALIDATION_FAILED, INTERNAL_SERVER_ERROR...).
 */
export const SubgraphErrorCode = {
  /** An argument is malformed or out of range; `extensions.field` names it. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The identity headers are malformed, or the service token is wrong. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The caller may not read or act for this user. */
  FORBIDDEN: 'FORBIDDEN',
  /** Too many operations from this caller; `extensions.retryAfterSeconds` says when to retry. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The estimated cost of the operation is above the limit. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** The engine has no model and no fallback could answer. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const;
export type SubgraphErrorCode = (typeof SubgraphErrorCode)[keyof typeof SubgraphErrorCode];

/** BAD_USER_INPUT naming the argument: `limit must be ...`, with `extensions.field`. */
export function badUserInput(field: string, problem: string): GraphQLError {
  return new GraphQLError(`${field} ${problem}`, {
    extensions: { code: SubgraphErrorCode.BAD_USER_INPUT, field },
  });
}

/** Raised by a resolver: the response keeps HTTP 200 and the other fields' data. */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: SubgraphErrorCode.FORBIDDEN } });
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: SubgraphErrorCode.UNAUTHENTICATED, http: { status: 401 } },
  });
}

/**
 * HTTP 200 with a Retry-After header: a gateway or router turns any non-2xx subgraph answer into a generic
 * error and drops the code, while a 200 lets RATE_LIMITED and retryAfterSeconds reach the client.
 */
export function rateLimited(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Too many requests: retry after ${retryAfterSeconds} s`, {
    extensions: {
      code: SubgraphErrorCode.RATE_LIMITED,
      retryAfterSeconds,
      http: { status: 200, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}

export function queryTooComplex(complexity: number, maximum: number): GraphQLError {
  return new GraphQLError(`Query is too complex: estimated cost ${complexity}, at most ${maximum} allowed`, {
    extensions: { code: SubgraphErrorCode.QUERY_TOO_COMPLEX, complexity, maximum, http: { status: 400 } },
  });
}

export function serviceUnavailable(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: SubgraphErrorCode.SERVICE_UNAVAILABLE } });
}
