import { applySplit, stratifiedHoldout, type InteractionDataset, type InteractionLog } from '@recsys/data';

export interface FitValidationSplit {
  /** The training data less the held-out events: what the base models learn from while weights are learned. */
  fit: InteractionDataset;
  /** The held-out events: what the ensemble's weights are learned to rank. */
  validation: InteractionLog;
}

/**
 * Splits training data for learning ensemble weights: `fraction` of each user's events held out at
 * random (seeded), the per-user stratified split the `holdout` protocol itself uses, so the weights
 * are learned on the task they are judged on. A user always keeps one event on the fit side.
 */
export function fitValidationSplit(
  dataset: InteractionDataset,
  fraction: number,
  seed: number,
): FitValidationSplit {
  const split = stratifiedHoldout(dataset.log, { testFraction: fraction, seed, nUsers: dataset.users.size });
  const { train, test } = applySplit(dataset.log, split);
  return { fit: { ...dataset, log: train }, validation: test };
}
