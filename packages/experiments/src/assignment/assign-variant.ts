import type { Assignment, Experiment, Variant } from '../contract';
import { assignmentBucket, BUCKETS, shadowBucket } from './bucket';

/**
 * The upper bucket bound of each shown variant: variant i owns [bound(i-1), bound(i)), the bounds being
 * the rounded cumulative shares, the last one BUCKETS whatever rounding did.
 */
export function splitBounds(shares: readonly number[]): number[] {
  let cumulative = 0;
  return shares.map((share, i) => {
    cumulative += share;
    return i === shares.length - 1 ? BUCKETS : Math.min(BUCKETS, Math.round(cumulative * BUCKETS));
  });
}

/** The shown variant owning `bucket`. */
export function variantForBucket<V extends { share: number }>(shown: readonly V[], bucket: number): V {
  const bounds = splitBounds(shown.map((variant) => variant.share));
  const index = bounds.findIndex((bound) => bucket < bound);
  return shown[index === -1 ? shown.length - 1 : index];
}

/**
 * The user's variant in `experiment` (a pure function of the experiment's name, its shown variants'
 * shares and the user id) and the shadow variants whose mirrored share includes the user.
 */
export function assignVariant(experiment: Experiment, userId: string): Assignment {
  const shown: Variant[] = [];
  const shadowVariants: Variant[] = [];
  for (const variant of experiment.variants) (variant.shadow ? shadowVariants : shown).push(variant);
  const variant = variantForBucket(shown, assignmentBucket(experiment.name, userId));
  const shadows = shadowVariants.filter(
    (shadow) => shadowBucket(experiment.name, shadow.name, userId) < Math.round(shadow.share * BUCKETS),
  );
  return { experiment, variant, shadows };
}
