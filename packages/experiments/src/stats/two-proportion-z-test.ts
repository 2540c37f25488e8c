import { normalUpperTail } from './normal';
import { checkCounts } from './wilson-interval';

export interface ZTestResult {
  /** Treatment rate minus control rate. */
  difference: number;
  /** (p̂₂ - p̂₁) / √(p̄(1-p̄)(1/n₁ + 1/n₂)), p̄ the pooled rate; 0 when that is 0 or 1. */
  z: number;
  /** Two-sided: 2·P(Z > |z|). */
  pValue: number;
}

/**
 * The two-proportion z-test with the pooled variance (the textbook test of H0: p₁ = p₂, as statsmodels'
 * `proportions_ztest`). Valid for one look fixed in advance: reading it repeatedly while data come in
 * inflates false positives, which is why decisions use the always-valid test (msprt.ts).
 */
export function twoProportionZTest(
  controlSuccesses: number,
  controlTrials: number,
  treatmentSuccesses: number,
  treatmentTrials: number,
): ZTestResult {
  checkCounts(controlSuccesses, controlTrials);
  checkCounts(treatmentSuccesses, treatmentTrials);
  if (controlTrials === 0 || treatmentTrials === 0) return { difference: 0, z: 0, pValue: 1 };
  const p1 = controlSuccesses / controlTrials;
  const p2 = treatmentSuccesses / treatmentTrials;
  const pooled = (controlSuccesses + treatmentSuccesses) / (controlTrials + treatmentTrials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / controlTrials + 1 / treatmentTrials));
  const difference = p2 - p1;
  if (se === 0) return { difference, z: 0, pValue: 1 };
  const z = difference / se;
  return { difference, z, pValue: Math.min(1, 2 * normalUpperTail(Math.abs(z))) };
}
