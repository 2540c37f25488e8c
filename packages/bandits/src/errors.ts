/** Public error codes of the bandits package; callers branch on `code`, never on message text. */
export const BanditErrorCode = {
  /** An option is out of range or of the wrong type (epsilon outside [0, 1], no arms, duplicate arms...). */
  INVALID_OPTIONS: 'INVALID_OPTIONS',
  /** `update` or a target policy names an arm the bandit does not have. */
  UNKNOWN_ARM: 'UNKNOWN_ARM',
  /** A reward is not finite, or outside [0, 1] where the policy models Bernoulli rewards. */
  INVALID_REWARD: 'INVALID_REWARD',
  /** A context's feature vector has the wrong length or a non-finite entry, or a context has no candidates. */
  INVALID_CONTEXT: 'INVALID_CONTEXT',
  /** A serialised state does not parse: wrong kind or version, arrays of the wrong length, impossible counts. */
  INVALID_STATE: 'INVALID_STATE',
  /** A logged decision cannot be used for off-policy evaluation (propensity outside (0, 1], no action...). */
  INVALID_LOG: 'INVALID_LOG',
  /** The target policy puts no probability on any logged action: importance weights are all 0. */
  NO_OVERLAP: 'NO_OVERLAP',
} as const;
export type BanditErrorCode = (typeof BanditErrorCode)[keyof typeof BanditErrorCode];

export class BanditError extends Error {
  constructor(
    readonly code: BanditErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BanditError';
  }
}

/** Throws INVALID_OPTIONS unless `ok`; `what` names the option and its expected range. */
export function checkOption(ok: boolean, what: string, value: unknown): void {
  if (!ok) throw new BanditError('INVALID_OPTIONS', `${what}, got ${String(value)}`);
}
