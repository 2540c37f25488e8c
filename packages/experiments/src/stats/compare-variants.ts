import type { MetricComparison } from '../contract';
import { DEFAULT_MIXING_SD, sequentialTwoProportionTest } from './msprt';
import { twoProportionZTest } from './two-proportion-z-test';

/** Successes among trials of one variant on one metric. */
export interface ProportionCounts {
  successes: number;
  trials: number;
}

export interface ComparisonSettings {
  alpha: number;
  /** Trials each of the two needs before any decision. */
  minSampleSize: number;
  /** The experiment has stopped: no more data will come, so "not yet" becomes "not". */
  final: boolean;
  /** τ of the mSPRT mixture. @defaultValue DEFAULT_MIXING_SD */
  mixingSd?: number;
}

function format(p: number): string {
  return p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

/**
 * A treatment against the control on one proportion, with the peeking guard: the decision is
 * `not_significant_yet` until both have `minSampleSize` trials and the always-valid p-value is ≤ alpha;
 * then `better` or `worse` by the sign of the difference. The fixed-horizon z-test is reported beside
 * it, never decided on.
 */
export function compareToControl(
  control: ProportionCounts,
  treatment: ProportionCounts,
  settings: ComparisonSettings,
): MetricComparison {
  const z = twoProportionZTest(control.successes, control.trials, treatment.successes, treatment.trials);
  const sequential = sequentialTwoProportionTest(
    control.successes,
    control.trials,
    treatment.successes,
    treatment.trials,
    settings.alpha,
    settings.mixingSd ?? DEFAULT_MIXING_SD,
  );
  const controlRate = control.trials === 0 ? 0 : control.successes / control.trials;
  const smallest = Math.min(control.trials, treatment.trials);
  let decision: MetricComparison['decision'];
  let reason: string;
  if (smallest < settings.minSampleSize) {
    decision = settings.final ? 'not_significant' : 'not_significant_yet';
    reason = `needs ${settings.minSampleSize} exposures in each variant before deciding (has ${smallest})`;
  } else if (sequential.pValue <= settings.alpha) {
    decision = sequential.difference > 0 ? 'better' : 'worse';
    reason = `always-valid p = ${format(sequential.pValue)} <= alpha ${settings.alpha}`;
  } else {
    decision = settings.final ? 'not_significant' : 'not_significant_yet';
    reason = `always-valid p = ${format(sequential.pValue)} > alpha ${settings.alpha}`;
  }
  return {
    difference: z.difference,
    relativeLift: controlRate === 0 ? null : z.difference / controlRate,
    zScore: z.z,
    pValue: z.pValue,
    alwaysValidPValue: sequential.pValue,
    alwaysValidInterval: sequential.interval,
    decision,
    reason,
  };
}
