/** Why a feature operation failed; stable strings, so callers and logs can match on them. */
export const FeatureErrorCode = {
  /** A saved state has a `kind` or `formatVersion` this build does not read. */
  UNSUPPORTED_STATE: 'FEATURE_UNSUPPORTED_STATE',
  /** A saved state is malformed (a missing field, a wrong type, inconsistent lengths). */
  BAD_STATE: 'FEATURE_BAD_STATE',
  /** An option or argument is out of range (a negative min count, zero hash buckets). */
  BAD_OPTION: 'FEATURE_BAD_OPTION',
  /** An output buffer is too small for what is written into it. */
  BAD_BUFFER: 'FEATURE_BAD_BUFFER',
} as const;
export type FeatureErrorCode = (typeof FeatureErrorCode)[keyof typeof FeatureErrorCode];

export class FeatureError extends Error {
  constructor(
    readonly code: FeatureErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FeatureError';
  }
}
