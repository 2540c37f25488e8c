import { ExperimentError } from '@recsys/experiments';
import { GraphQLError } from 'graphql';
import { SubgraphErrorCode } from '../errors/codes';

/**
 * The argument at fault: for createExperiment the definition's field under `input`
 * (`input.variants[1].share`), for startExperiment and stopExperiment their only argument, `name`.
 */
function fieldOf(error: ExperimentError, inputName: string | null): string {
  if (inputName === null) return 'name';
  if (error.field === undefined || error.field === 'definition') return inputName;
  return `${inputName}.${error.field}`;
}

/**
 * An ExperimentError as clients see it: BAD_USER_INPUT (every one is about what the admin asked for),
 * with the package's code in `extensions.experimentCode` and the argument in `extensions.field`.
 * Anything else is returned unchanged and becomes INTERNAL_SERVER_ERROR.
 */
export function toExperimentError(error: unknown, inputName: string | null): unknown {
  if (!(error instanceof ExperimentError)) return error;
  return new GraphQLError(error.message, {
    extensions: {
      code: SubgraphErrorCode.BAD_USER_INPUT,
      experimentCode: error.code,
      field: fieldOf(error, inputName),
    },
    originalError: error,
  });
}
