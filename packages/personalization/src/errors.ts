/** Why a personalization operation failed; stable strings, so callers and logs can match on them. */
export const PersonalizationErrorCode = {
  /** An option is out of range (k < 2, a negative half-life, an unknown column). */
  BAD_OPTION: 'PERSONALIZATION_BAD_OPTION',
  /** An argument of a call is malformed (a feature row of the wrong width, an unknown placement). */
  BAD_INPUT: 'PERSONALIZATION_BAD_INPUT',
  /** A saved state is malformed or of another kind or version. */
  BAD_STATE: 'PERSONALIZATION_BAD_STATE',
  /** Too little data to fit (fewer users than segments). */
  NOT_ENOUGH_DATA: 'PERSONALIZATION_NOT_ENOUGH_DATA',
  /** The profile or exploration store (Redis) failed; the caller goes on without it. */
  STORE_FAILED: 'PERSONALIZATION_STORE_FAILED',
} as const;
export type PersonalizationErrorCode =
  (typeof PersonalizationErrorCode)[keyof typeof PersonalizationErrorCode];

export class PersonalizationError extends Error {
  constructor(
    readonly code: PersonalizationErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PersonalizationError';
  }
}

/** Throws BAD_OPTION naming `name` unless `ok`. */
export function requireOption(ok: boolean, name: string, expected: string, value: unknown): void {
  if (!ok)
    throw new PersonalizationError(
      PersonalizationErrorCode.BAD_OPTION,
      `${name} must be ${expected}, got ${String(value)}`,
    );
}
