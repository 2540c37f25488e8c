import { readFileSync } from 'node:fs';
import path from 'node:path';
import { datasetsDir } from '../../src/sources/datasets-dir';
import { IdMap } from '../../src/ids/id-map';
import {
  InteractionLogBuilder,
  interactionTypeCode,
  type InteractionLog,
} from '../../src/interactions/interaction-log';

export interface RawRating {
  user: string;
  item: string;
  rating: number;
  timestamp: number;
}

/** u.data parsed directly: tab-separated user, item, rating, timestamp. */
export function readMl100kRatings(file = path.join(datasetsDir(), 'ml-100k', 'u.data')): RawRating[] {
  const out: RawRating[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const [user, item, rating, timestamp] = line.split('\t');
    out.push({ user, item, rating: Number(rating), timestamp: Number(timestamp) });
  }
  return out;
}

export interface Ml100kLog {
  users: IdMap;
  items: IdMap;
  log: InteractionLog;
  raw: RawRating[];
}

/** The ratings as an InteractionLog, ids in first-appearance order. */
export function ml100kLog(): Ml100kLog {
  const raw = readMl100kRatings();
  const users = new IdMap();
  const items = new IdMap();
  const b = new InteractionLogBuilder(raw.length);
  const rating = interactionTypeCode('RATING');
  for (const r of raw) b.push(users.add(r.user), items.add(r.item), r.rating, r.timestamp, rating);
  return { users, items, log: b.build(), raw };
}

/** A log from [user, item, timestamp, value?] tuples (type VIEW unless given). */
export function tinyLog(
  events: readonly (readonly [number, number, number, number?, string?])[],
): InteractionLog {
  const b = new InteractionLogBuilder(events.length);
  for (const [u, i, t, v, type] of events)
    b.push(u, i, v ?? Number.NaN, t, interactionTypeCode(type ?? 'VIEW'));
  return b.build();
}
