import { MetricErrorCode, MetricInputError } from '../metric-input-error';
import { assertNonEmpty, assertSameLength, countBinaryLabels } from '../shared/validation';

/** Probabilities are clipped into [ε, 1 − ε] so a confident mistake costs −ln ε rather than infinity. */
export const LOG_LOSS_EPSILON = 1e-15;

/**
 * Mean binary cross-entropy (log loss) of predicted probabilities against 0/1 labels:
 *
 *   logLoss = −(1/n) Σᵢ [yᵢ ln pᵢ + (1 − yᵢ) ln(1 − pᵢ)],   pᵢ clipped into [ε, 1 − ε]
 *
 * scikit-learn's `log_loss(labels, probabilities)` for binary labels (with its historical ε = 1e-15).
 * Lower is better; a constant prediction of the positive rate π scores the entropy −π ln π − (1−π) ln(1−π).
 * Throws MetricInputError for mismatched lengths, an empty input, labels other than 0/1, or a
 * probability outside [0, 1] (NaN included).
 */
export function logLoss(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  const fn = 'logLoss';
  assertSameLength(probabilities, 'probabilities', labels, 'labels', fn);
  assertNonEmpty(labels, 'labels', fn);
  countBinaryLabels(labels, fn);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = probabilities[i];
    if (!(p >= 0 && p <= 1))
      throw new MetricInputError(
        MetricErrorCode.NOT_FINITE,
        `${fn}: probabilities[${i}] is ${p}; probabilities must lie in [0, 1]`,
      );
    const q = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, p));
    sum -= labels[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return sum / labels.length;
}
