import { USER_ROLES } from '@recsys/db';
import type { InteractionDataset } from '@recsys/data';
import { groupEvents, latestTimestamp } from './group-events';
import { recordOptions, typeMask, type RecordOptions } from './record-options';

const DAY_SECONDS = 86_400;

/**
 * What is known about one user, raw (unscaled, categoricals as strings), as of `asOfSeconds`: the input of
 * UserFeaturePipeline. Built from a dataset by `userRecords`, or by a serving layer from a user's profile and
 * recent history. Unknown numbers are NaN, unknown categoricals null.
 */
export interface UserRecord {
  id: string;
  /** A USER_ROLES name. */
  role: string;
  /** Sign-up time, seconds since the epoch. */
  createdAtSeconds: number;
  age: number;
  gender: string | null;
  occupation: string | null;
  country: string | null;
  /** The time the behaviour below is measured at (account age and usage frequency are relative to it). */
  asOfSeconds: number;
  /** Activity events (RecordOptions.activityTypes). */
  interactions: number;
  distinctServices: number;
  /** Distinct categories among the services of the activity events ("categories explored"). */
  categoriesExplored: number;
  /** Distinct UTC days with activity. */
  activeDays: number;
  ratingCount: number;
  ratingSum: number;
  firstEventSeconds: number;
  lastEventSeconds: number;
  /** Sum and count of the price tiers of the services of the choice events (RecordOptions.choiceTypes). */
  choiceTierSum: number;
  choiceCount: number;
  /** Declared price sensitivity in [0, 1] (the synthetic marketplace's `attributes.priceSensitivity`), else NaN. */
  declaredPriceSensitivity: number;
}

export interface UserRecordsOptions extends Partial<RecordOptions> {
  /** The events to aggregate (e.g. `split.train`); default all of the log. */
  events?: ArrayLike<number>;
  /** Reference time; default the latest timestamp of `events`. */
  asOfSeconds?: number;
  /** Declared price sensitivity per dense user index (NaN where unknown); see `priceSensitivityFromAttributes`. */
  declaredPriceSensitivity?: ArrayLike<number>;
}

/** `attributes.priceSensitivity` of a user row when it is a number in [0, 1], else NaN. */
export function priceSensitivityFromAttributes(attributes: unknown): number {
  if (typeof attributes !== 'object' || attributes === null) return Number.NaN;
  const v = (attributes as { priceSensitivity?: unknown }).priceSensitivity;
  return typeof v === 'number' && v >= 0 && v <= 1 ? v : Number.NaN;
}

/**
 * One UserRecord per dense user index of the dataset, aggregating the chosen events. Only events at or before
 * `asOfSeconds` count (a later event would leak the future into the features). O(events + users).
 */
export function userRecords(dataset: InteractionDataset, options: UserRecordsOptions = {}): UserRecord[] {
  const o = recordOptions(options);
  const { log, itemSide, userSide } = dataset;
  const asOf = options.asOfSeconds ?? latestTimestamp(log.timestamps, options.events);
  const activity = typeMask(o.activityTypes);
  const rating = typeMask(o.ratingTypes);
  const choice = typeMask(o.choiceTypes);
  const nUsers = dataset.users.size;
  const grouped = groupEvents(log.users, nUsers, options.events);
  const itemStamp = new Int32Array(dataset.items.size).fill(-1);
  const categoryStamp = new Int32Array(itemSide ? itemSide.categories.vocab.size : 0).fill(-1);
  const days = new Set<number>();
  const records: UserRecord[] = [];
  for (let u = 0; u < nUsers; u++) {
    const r: UserRecord = {
      id: dataset.users.idAt(u),
      role: userSide ? USER_ROLES[userSide.roles[u]] : 'USER',
      createdAtSeconds: userSide ? userSide.createdAt[u] : Number.NaN,
      age: userSide ? userSide.ages[u] : Number.NaN,
      gender: userSide && userSide.genders[u] >= 0 ? userSide.genderVocab.idAt(userSide.genders[u]) : null,
      occupation:
        userSide && userSide.occupations[u] >= 0
          ? userSide.occupationVocab.idAt(userSide.occupations[u])
          : null,
      country:
        userSide && userSide.countries[u] >= 0 ? userSide.countryVocab.idAt(userSide.countries[u]) : null,
      asOfSeconds: asOf,
      interactions: 0,
      distinctServices: 0,
      categoriesExplored: 0,
      activeDays: 0,
      ratingCount: 0,
      ratingSum: 0,
      firstEventSeconds: Number.NaN,
      lastEventSeconds: Number.NaN,
      choiceTierSum: 0,
      choiceCount: 0,
      declaredPriceSensitivity: options.declaredPriceSensitivity
        ? Number(options.declaredPriceSensitivity[u])
        : Number.NaN,
    };
    days.clear();
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (let k = grouped.offsets[u]; k < grouped.offsets[u + 1]; k++) {
      const e = grouped.events[k];
      const t = log.timestamps[e];
      if (t > asOf) continue;
      const type = log.types[e];
      const item = log.items[e];
      const value = log.values[e];
      if (rating[type] === 1 && Number.isFinite(value)) {
        r.ratingCount++;
        r.ratingSum += value;
      }
      if (choice[type] === 1 && itemSide) {
        r.choiceTierSum += itemSide.priceTiers[item];
        r.choiceCount++;
      }
      if (activity[type] !== 1) continue;
      r.interactions++;
      if (t < first) first = t;
      if (t > last) last = t;
      days.add(Math.floor(t / DAY_SECONDS));
      if (itemStamp[item] !== u) {
        itemStamp[item] = u;
        r.distinctServices++;
        if (itemSide) {
          const { offsets, values } = itemSide.categories;
          for (let c = offsets[item]; c < offsets[item + 1]; c++) {
            if (categoryStamp[values[c]] === u) continue;
            categoryStamp[values[c]] = u;
            r.categoriesExplored++;
          }
        }
      }
    }
    r.activeDays = days.size;
    if (r.interactions > 0) {
      r.firstEventSeconds = first;
      r.lastEventSeconds = last;
    }
    records.push(r);
  }
  return records;
}
