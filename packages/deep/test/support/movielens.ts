import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  datasetsDir,
  IdMap,
  InteractionLogBuilder,
  interactionTypeCode,
  type InteractionDataset,
} from '@recsys/data';

let cached: InteractionDataset | null = null;

/** MovieLens 100K ratings (u.data) as an InteractionDataset, read straight from the file (as models' tests do). */
export function movieLens100k(): InteractionDataset {
  if (cached) return cached;
  const text = readFileSync(path.join(datasetsDir(), 'ml-100k', 'u.data'), 'utf8');
  const users = new IdMap();
  const items = new IdMap();
  const log = new InteractionLogBuilder(100_000);
  const rating = interactionTypeCode('RATING');
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    const [u, i, r, t] = line.split('\t');
    log.push(users.add(u), items.add(i), Number(r), Number(t), rating);
  }
  cached = { name: 'ml-100k', users, items, log: log.build() };
  return cached;
}
