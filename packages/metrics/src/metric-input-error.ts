/**
 * Codes carried by every error this package throws, so callers branch on `error.code`, never on the message.
 */
export const MetricErrorCode = {
  /** K is not a positive integer. */
  INVALID_K: 'INVALID_K',
  /** A score, rating, gain or embedding value is NaN or infinite. */
  NOT_FINITE: 'NOT_FINITE',
  /** Two arrays that must be aligned have different lengths. */
  LENGTH_MISMATCH: 'LENGTH_MISMATCH',
  /** A label is not 0 or 1. */
  INVALID_LABEL: 'INVALID_LABEL',
  /** A relevance gain is negative, or a relevant-item array is not strictly increasing. */
  INVALID_RELEVANCE: 'INVALID_RELEVANCE',
  /** An item id is not an integer in 0..numItems-1. */
  ITEM_OUT_OF_RANGE: 'ITEM_OUT_OF_RANGE',
  /** The metric has no value for this input (AUC with one class, Gini with no exposure, popularity 0). */
  UNDEFINED_METRIC: 'UNDEFINED_METRIC',
  /** An input that must hold at least one element is empty, or an option is malformed. */
  INVALID_INPUT: 'INVALID_INPUT',
} as const;

export type MetricErrorCode = (typeof MetricErrorCode)[keyof typeof MetricErrorCode];

/**
 * The one error class of this package. It extends RangeError, since every failure is an argument outside
 * the metric's domain; the message starts with the name of the function that rejected the input.
 */
export class MetricInputError extends RangeError {
  override readonly name = 'MetricInputError';

  constructor(
    readonly code: MetricErrorCode,
    message: string,
  ) {
    super(message);
  }
}
