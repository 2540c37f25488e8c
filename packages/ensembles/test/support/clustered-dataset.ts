import {
  IdMap,
  InteractionLogBuilder,
  interactionTypeCode,
  Rng,
  type InteractionDataset,
} from '@recsys/data';

/**
 * Users in `groups` taste groups, each using `perUser` distinct items of its own group, drawn with
 * Zipf-like weights 1/(rank + 1) (seeded): a collaborative model recovers the groups and, within a
 * group, which items are popular; random scores recover neither.
 */
export function clusteredDataset(
  options: {
    groups?: number;
    usersPerGroup?: number;
    itemsPerGroup?: number;
    /** Events per user, or a function of the user index. */
    perUser?: number | ((user: number) => number);
    seed?: number;
  } = {},
): InteractionDataset {
  const { groups = 4, usersPerGroup = 40, itemsPerGroup = 30, perUser = 12, seed = 3 } = options;
  const rng = new Rng(seed);
  const nUsers = groups * usersPerGroup;
  const nItems = groups * itemsPerGroup;
  const users = IdMap.from(Array.from({ length: nUsers }, (_, u) => `u${u}`));
  const items = IdMap.from(Array.from({ length: nItems }, (_, i) => `i${i}`));
  const log = new InteractionLogBuilder();
  const view = interactionTypeCode('VIEW');
  const weights = Array.from({ length: itemsPerGroup }, (_, j) => 1 / (j + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let t = 1_700_000_000;
  for (let u = 0; u < nUsers; u++) {
    const g = Math.floor(u / usersPerGroup);
    const taken = new Set<number>();
    const count = Math.min(itemsPerGroup, typeof perUser === 'number' ? perUser : perUser(u));
    while (taken.size < count) {
      let r = rng.next() * total;
      let j = 0;
      while (j < itemsPerGroup - 1 && r >= weights[j]) r -= weights[j++];
      if (taken.has(j)) continue;
      taken.add(j);
      log.push(u, g * itemsPerGroup + j, Number.NaN, t++, view);
    }
  }
  return { name: 'clustered', users, items, log: log.build() };
}
