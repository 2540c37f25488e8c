import { IdMap, InteractionLogBuilder, interactionTypeCode, type InteractionDataset } from '@recsys/data';

/**
 * A dataset from a dense user × item matrix: a non-zero cell is one event (a RATING with that value, or a
 * VIEW when `type` says so); zero is no event.
 */
export function datasetFromMatrix(rows: number[][], type: 'RATING' | 'VIEW' = 'RATING'): InteractionDataset {
  const users = IdMap.from(rows.map((_, u) => `u${u}`));
  const items = IdMap.from(rows[0].map((_, i) => `i${i}`));
  const log = new InteractionLogBuilder();
  const code = interactionTypeCode(type);
  rows.forEach((row, u) =>
    row.forEach((x, i) => x && log.push(u, i, type === 'RATING' ? x : Number.NaN, 1000 + u, code)),
  );
  return { name: 'toy', users, items, log: log.build() };
}
