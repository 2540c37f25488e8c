import { PRICING_MODELS } from '@recsys/db';
import type { InteractionDataset, MultiValueColumn } from '@recsys/data';
import { groupEvents, latestTimestamp } from './group-events';
import { halfLifeSeconds, timeDecay } from '../time-decay';
import { recordOptions, typeMask, type RecordOptions } from './record-options';

/**
 * What is known about one service (item), raw, as of `asOfSeconds`: the input of ServiceFeaturePipeline.
 * Unknown numbers are NaN, an unknown provider null.
 */
export interface ServiceRecord {
  id: string;
  categories: readonly string[];
  tags: readonly string[];
  provider: string | null;
  /** A PRICING_MODELS name. */
  pricingModel: string;
  priceTier: number;
  priceUsd: number;
  freeTier: boolean;
  createdAtSeconds: number;
  asOfSeconds: number;
  /** Activity events on the service (RecordOptions.activityTypes). */
  interactions: number;
  distinctUsers: number;
  ratingCount: number;
  ratingSum: number;
  /**
   * Time-decayed activity count: Σ over activity events at t ≤ asOf of 2^(−(asOf − t)/halfLife), i.e. an event
   * now counts 1, one half-life ago 1/2 (halfLife = RecordOptions.trendingHalfLifeDays).
   */
  trendingScore: number;
}

export interface ServiceRecordsOptions extends Partial<RecordOptions> {
  /** The events to aggregate (e.g. `split.train`); default all of the log. */
  events?: ArrayLike<number>;
  /** Reference time; default the latest timestamp of `events`. */
  asOfSeconds?: number;
}

function listAt(column: MultiValueColumn | undefined, row: number): string[] {
  if (!column) return [];
  const out: string[] = [];
  for (let k = column.offsets[row]; k < column.offsets[row + 1]; k++)
    out.push(column.vocab.idAt(column.values[k]));
  return out;
}

/** One ServiceRecord per dense item index of the dataset (the whole catalog). O(events + items). */
export function serviceRecords(
  dataset: InteractionDataset,
  options: ServiceRecordsOptions = {},
): ServiceRecord[] {
  const o = recordOptions(options);
  const { log, itemSide } = dataset;
  const asOf = options.asOfSeconds ?? latestTimestamp(log.timestamps, options.events);
  const activity = typeMask(o.activityTypes);
  const rating = typeMask(o.ratingTypes);
  const halfLife = halfLifeSeconds(o.trendingHalfLifeDays, 'trendingHalfLifeDays');
  const nItems = dataset.items.size;
  const grouped = groupEvents(log.items, nItems, options.events);
  const userStamp = new Int32Array(dataset.users.size).fill(-1);
  const records: ServiceRecord[] = [];
  for (let i = 0; i < nItems; i++) {
    const provider = itemSide ? itemSide.providers[i] : -1;
    const r: ServiceRecord = {
      id: dataset.items.idAt(i),
      categories: listAt(itemSide?.categories, i),
      tags: listAt(itemSide?.tags, i),
      provider: itemSide && provider >= 0 ? itemSide.providerVocab.idAt(provider) : null,
      pricingModel: itemSide ? PRICING_MODELS[itemSide.pricingModels[i]] : 'PAY_AS_YOU_GO',
      priceTier: itemSide ? itemSide.priceTiers[i] : Number.NaN,
      priceUsd: itemSide ? itemSide.pricesUsd[i] : Number.NaN,
      freeTier: itemSide ? itemSide.freeTier[i] === 1 : false,
      createdAtSeconds: itemSide ? itemSide.createdAt[i] : Number.NaN,
      asOfSeconds: asOf,
      interactions: 0,
      distinctUsers: 0,
      ratingCount: 0,
      ratingSum: 0,
      trendingScore: 0,
    };
    for (let k = grouped.offsets[i]; k < grouped.offsets[i + 1]; k++) {
      const e = grouped.events[k];
      const t = log.timestamps[e];
      if (t > asOf) continue;
      const type = log.types[e];
      const value = log.values[e];
      if (rating[type] === 1 && Number.isFinite(value)) {
        r.ratingCount++;
        r.ratingSum += value;
      }
      if (activity[type] !== 1) continue;
      r.interactions++;
      r.trendingScore += timeDecay(asOf - t, halfLife);
      const u = log.users[e];
      if (userStamp[u] !== i) {
        userStamp[u] = i;
        r.distinctUsers++;
      }
    }
    records.push(r);
  }
  return records;
}
