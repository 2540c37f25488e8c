import type { InteractionDataset } from '../dataset/dataset';
import { splitFromMask, type Split } from './split';

/**
 * A split given from outside as (user id, item id) pairs, such as MovieLens 100K's u1.test..u5.test
 * folds: every event on a listed pair is test, every other event train.
 * Throws, naming the pair, when a listed pair matches no event (a fold file for another dataset, or ids
 * mapped differently), rather than silently testing on less.
 */
export function predefinedSplit(
  dataset: InteractionDataset,
  testPairs: Iterable<readonly [userId: string, itemId: string]>,
): Split {
  const { log } = dataset;
  const nItems = dataset.items.size;
  // Pair key u·nItems + i is exact in a double up to 2^53 cells.
  const listed = new Map<number, readonly [string, string]>();
  for (const pair of testPairs) {
    const [userId, itemId] = pair;
    const u = dataset.users.indexOf(userId);
    const i = dataset.items.indexOf(itemId);
    if (u === undefined || i === undefined) {
      throw new Error(
        `predefinedSplit: test pair (user "${userId}", item "${itemId}") matches no event: unknown ${u === undefined ? 'user' : 'item'} id`,
      );
    }
    listed.set(u * nItems + i, pair);
  }
  const isTest = new Uint8Array(log.length);
  const matched = new Set<number>();
  for (let e = 0; e < log.length; e++) {
    const key = log.users[e] * nItems + log.items[e];
    if (listed.has(key)) {
      isTest[e] = 1;
      matched.add(key);
    }
  }
  if (matched.size !== listed.size) {
    for (const [key, [userId, itemId]] of listed) {
      if (!matched.has(key))
        throw new Error(`predefinedSplit: test pair (user "${userId}", item "${itemId}") matches no event`);
    }
  }
  return splitFromMask(isTest);
}
