/**
 * An MLflow request that failed: `errorCode` and `message` as the server sent them (`{ error_code,
 * message }`, e.g. RESOURCE_DOES_NOT_EXIST, RESOURCE_ALREADY_EXISTS, INVALID_PARAMETER_VALUE), and the
 * HTTP status. Failures with no MLflow body get `HTTP_<status>`; with no response at all (the network, or
 * input refused before sending) `httpStatus` is null and the code NETWORK_ERROR or INVALID_PARAMETER_VALUE.
 */
export class MlflowError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly httpStatus: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MlflowError';
  }
}

/** MLflow error codes this package branches on. */
export const MlflowErrorCode = {
  RESOURCE_DOES_NOT_EXIST: 'RESOURCE_DOES_NOT_EXIST',
  RESOURCE_ALREADY_EXISTS: 'RESOURCE_ALREADY_EXISTS',
  INVALID_PARAMETER_VALUE: 'INVALID_PARAMETER_VALUE',
  NETWORK_ERROR: 'NETWORK_ERROR',
} as const;

export function isMlflowError(error: unknown, errorCode?: string): error is MlflowError {
  return error instanceof MlflowError && (errorCode === undefined || error.errorCode === errorCode);
}
