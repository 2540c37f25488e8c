/**
 * Public error codes of the registry. Callers branch on `code`, never on message text: the subgraph maps
 * VERSION_NOT_FOUND to NOT_FOUND and INVALID_STAGE_CHANGE to BAD_USER_INPUT.
 */
export const RegistryErrorCode = {
  /** No model version with that id. */
  VERSION_NOT_FOUND: 'VERSION_NOT_FOUND',
  /** A stage change the rules do not allow (same stage, PRODUCTION → CANARY, a bad canary share). */
  INVALID_STAGE_CHANGE: 'INVALID_STAGE_CHANGE',
  /** `rollback` found no archived version of the placement that was once in production. */
  NO_ROLLBACK_TARGET: 'NO_ROLLBACK_TARGET',
  /** The artifact folder (local or uploaded) is not there, or is empty. */
  ARTIFACT_MISSING: 'ARTIFACT_MISSING',
  /** `put` under a key that already holds an artifact: keys are never overwritten. */
  ARTIFACT_EXISTS: 'ARTIFACT_EXISTS',
  /** A key with empty, `.` or `..` segments or characters outside [A-Za-z0-9._-]. */
  INVALID_ARTIFACT_KEY: 'INVALID_ARTIFACT_KEY',
  /** A URI this store cannot read (another scheme, bucket or prefix). */
  INVALID_ARTIFACT_URI: 'INVALID_ARTIFACT_URI',
  /** Register input that cannot be stored (non-finite metrics, empty names). */
  INVALID_INPUT: 'INVALID_INPUT',
  /** RECSYS_ARTIFACTS or the S3_* variables do not describe a store. */
  INVALID_CONFIG: 'INVALID_CONFIG',
} as const;
export type RegistryErrorCode = (typeof RegistryErrorCode)[keyof typeof RegistryErrorCode];

export class RegistryError extends Error {
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RegistryError';
  }
}

export function isRegistryError(error: unknown, code?: RegistryErrorCode): error is RegistryError {
  return error instanceof RegistryError && (code === undefined || error.code === code);
}
