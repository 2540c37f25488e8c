import { IdMap, InteractionLogBuilder, interactionTypeCode, type InteractionDataset } from '@recsys/data';

/**
 * A dataset with a known answer (implicit's checkerboard test): users 0..n-1 use only items of group A
 * (0..m-1), users n..2n-1 only items of group B (m..2m-1); each user misses one item of their group,
 * which a collaborative model must rank above every item of the other group. The last user has no events
 * (a cold-start user). Ratings are 5 within a group, with a little variation so rating models learn.
 */
export function blockDataset(n = 12, m = 10): InteractionDataset {
  const users = IdMap.from(Array.from({ length: 2 * n + 1 }, (_, u) => `u${u}`));
  const items = IdMap.from(Array.from({ length: 2 * m }, (_, i) => `i${i}`));
  const log = new InteractionLogBuilder();
  const rating = interactionTypeCode('RATING');
  let t = 1_700_000_000;
  for (let u = 0; u < 2 * n; u++) {
    const group = u < n ? 0 : 1;
    const missing = u % m;
    for (let j = 0; j < m; j++) {
      if (j === missing) continue;
      log.push(u, group * m + j, 4 + ((u + j) % 2), t++, rating);
    }
  }
  return { name: 'block', users, items, log: log.build() };
}

/** The item each user of blockDataset misses from their own group. */
export function blockMissingItem(user: number, n = 12, m = 10): number {
  return (user < n ? 0 : m) + (user % m);
}
