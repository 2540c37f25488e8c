import { MetricErrorCode, MetricInputError } from '../metric-input-error';
import { validateCatalogSize } from '../shared/validation';
import { itemExposure } from './exposure';

/**
 * Item popularity among users, the input of `novelty`: userCounts[i] = the number of distinct users who
 * interacted with item i (in training data), out of numUsers users.
 */
export interface ItemPopularity {
  readonly userCounts: ArrayLike<number>;
  readonly numUsers: number;
}

/**
 * Counts, for each item, the distinct users whose history contains it (one history per user; a repeated item
 * counts once). numUsers is the number of histories.
 */
export function itemPopularityFromHistories(
  histories: ReadonlyArray<ArrayLike<number>>,
  numItems: number,
): ItemPopularity {
  validateCatalogSize(numItems, 'itemPopularityFromHistories');
  return { userCounts: itemExposure(histories, numItems), numUsers: histories.length };
}

/** Throws unless numUsers is a positive integer and every count is an integer in 0..numUsers. */
export function validatePopularity(popularity: ItemPopularity, fn: string): void {
  const { userCounts, numUsers } = popularity;
  if (!Number.isInteger(numUsers) || numUsers <= 0) {
    throw new MetricInputError(
      MetricErrorCode.INVALID_INPUT,
      `${fn}: numUsers must be a positive integer, got ${numUsers}`,
    );
  }
  for (let i = 0; i < userCounts.length; i++) {
    const count = userCounts[i];
    if (!Number.isInteger(count) || count < 0 || count > numUsers) {
      throw new MetricInputError(
        MetricErrorCode.INVALID_INPUT,
        `${fn}: userCounts[${i}] is ${count}; counts must be integers in 0..numUsers (${numUsers})`,
      );
    }
  }
}
