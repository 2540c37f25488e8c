import { JobError, JobErrorCode } from '@recsys/training';
import { GraphQLError } from 'graphql';
import { SubgraphErrorCode } from './codes';

/**
 * A training-queue error as the GraphQL error clients see: INVALID_PAYLOAD becomes BAD_USER_INPUT naming
 * the bad input fields (`input.params`; `extensions.field` the first, `extensions.fields` all of them),
 * QUEUE_UNAVAILABLE becomes SERVICE_UNAVAILABLE (the Redis details stay in the log, via originalError);
 * the contract's code is kept in `extensions.jobCode`.
 * Anything else is returned unchanged and becomes INTERNAL_SERVER_ERROR.
 */
export function toRetrainingError(error: unknown, inputName = 'input'): unknown {
  if (!(error instanceof JobError)) return error;
  if (error.code === JobErrorCode.INVALID_PAYLOAD) {
    const issues = error.issues.map((issue) => ({
      field: [inputName, ...issue.path].join('.'),
      message: issue.message,
    }));
    const fields = [...new Set(issues.map((issue) => issue.field))];
    return new GraphQLError(
      issues.length > 0
        ? issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')
        : error.message,
      {
        extensions: {
          code: SubgraphErrorCode.BAD_USER_INPUT,
          field: fields[0] ?? inputName,
          fields,
          jobCode: error.code,
        },
        originalError: error,
      },
    );
  }
  if (error.code === JobErrorCode.QUEUE_UNAVAILABLE) {
    return new GraphQLError('The training queue is unavailable; try again later', {
      extensions: { code: SubgraphErrorCode.SERVICE_UNAVAILABLE, jobCode: error.code },
      originalError: error,
    });
  }
  return error;
}
