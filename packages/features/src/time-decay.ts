import { FeatureError, FeatureErrorCode } from './errors';

const DAY_SECONDS = 86_400;

/**
 * Exponential time decay by half-life, the one formula behind every time-decayed weight of the platform
 * (training weights in InteractionWeighting, the trending score of ServiceRecord, the online user profile of
 * @recsys/personalization):
 *
 *   decay(age) = 2^(−age / halfLife)
 *
 * An event now weighs 1, one half-life old ½, two ¼. A negative age (an event stamped after the reference
 * time, e.g. a clock skew between writers) weighs 1, never more; an infinite half-life means no decay.
 */
export function timeDecay(ageSeconds: number, halfLifeSeconds: number): number {
  if (halfLifeSeconds === Number.POSITIVE_INFINITY) return 1;
  return Math.pow(2, -Math.max(0, ageSeconds) / halfLifeSeconds);
}

/** A half-life in days as seconds, checked (> 0, finite or +Infinity); FEATURE_BAD_OPTION names `what`. */
export function halfLifeSeconds(halfLifeDays: number, what = 'halfLifeDays'): number {
  if (!(halfLifeDays > 0) || Number.isNaN(halfLifeDays))
    throw new FeatureError(FeatureErrorCode.BAD_OPTION, `${what} must be > 0, got ${halfLifeDays}`);
  return halfLifeDays * DAY_SECONDS;
}
