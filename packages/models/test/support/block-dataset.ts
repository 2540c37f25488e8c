import {
  IdMap,
  InteractionLogBuilder,
  interactionTypeCode,
  type InteractionDataset,
  type ItemSideData,
} from '@recsys/data';
import { itemSideData } from './side-data';

/**
 * A dataset with a known answer (implicit's checkerboard test): users 0..n-1 use only items of group A
 * (0..m-1), users n..2n-1 only items of group B (m..2m-1); each user misses one item of their group,
 * which a collaborative model must rank above every item of the other group. The last user has no events
 * (a cold-start user). Ratings are 4 or 5 within a group, so rating models learn. The catalog (blockItemSide)
 * agrees with the groups, so content models face the same known answer.
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
  return { name: 'block', users, items, log: log.build(), itemSide: blockItemSide(2 * m) };
}

/** The item each user of blockDataset misses from their own group. */
export function blockMissingItem(user: number, n = 12, m = 10): number {
  return (user < n ? 0 : m) + (user % m);
}

/**
 * The block dataset's catalog: the two groups' services share no word, category or tag except the word
 * "api" (vision services vs speech services).
 */
export function blockItemSide(nItems: number): ItemSideData {
  const half = nItems / 2;
  const group = (i: number): number => (i < half ? 0 : 1);
  const words = [
    ['vision', 'image', 'detection'],
    ['speech', 'audio', 'transcription'],
  ];
  const ids = Array.from({ length: nItems }, (_, i) => i);
  return itemSideData({
    titles: ids.map((i) => `${words[group(i)][0]} api ${['one', 'two', 'three', 'four', 'five'][i % 5]}`),
    descriptions: ids.map((i) =>
      i % 3 === 0 ? null : `An ${words[group(i)][1]} ${words[group(i)][2]} service.`,
    ),
    categories: ids.map((i) => [group(i) === 0 ? 'Computer Vision' : 'Speech']),
    tags: ids.map((i) => (group(i) === 0 ? ['images', `v${i % 4}`] : ['audio', `s${i % 4}`])),
  });
}
