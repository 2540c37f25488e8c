import type { IdMap, InteractionDataset } from '@recsys/data';
import { InteractionWeighting } from '@recsys/features';
import { PersonalizationError, PersonalizationErrorCode, requireOption } from '../errors';
import { nestedState, openState, PERSONALIZATION_STATE_VERSION, type StateJson } from '../state';

export interface SegmentPreferencesOptions {
  /** Events counted (e.g. `split.train`); default all of the log. */
  events?: ArrayLike<number>;
  /**
   * Per-event weights: type, dwell and time decay (give it a half-life to favour recent taste). Default: the
   * default type weights, no decay.
   */
  weighting?: InteractionWeighting;
  /** Reference time of the decay; default the latest counted event. */
  asOfSeconds?: number;
  /** Services kept per segment, most popular first. @defaultValue 200 */
  topServices?: number;
}

/** One category's standing in a segment. */
export interface CategoryPreference {
  category: string;
  /** Share of the segment's (weighted) activity in this category; the shares of a segment sum to 1. */
  share: number;
  /** share / the category's share over all users: > 1 when the segment likes it more than average. */
  lift: number;
}

interface SegmentTable {
  categories: CategoryPreference[];
  serviceIds: string[];
  serviceScores: number[];
}

/**
 * What each user segment likes, for users about whom little else is known (a new user whose demographics
 * place them in a segment, a cold-ish user with a handful of events):
 * - categories: the weighted share of the segment's activity per category (an event on a service of c
 *   categories gives each 1/c of its weight), with its lift over all users;
 * - services: distinct users of the segment per service (the segment's own popularity list), top N.
 * Weights come from InteractionWeighting, the one weighting (type, dwell, time decay) of training.
 */
export class SegmentPreferences {
  private readonly perCatalog = new WeakMap<IdMap, Float32Array[]>();

  private constructor(private readonly tables: readonly SegmentTable[]) {}

  get segments(): number {
    return this.tables.length;
  }

  /**
   * @param segmentOfUser the segment of each dense user index of `dataset` (−1: none, not counted)
   * @param segments how many segments there are
   */
  static fit(
    dataset: InteractionDataset,
    segmentOfUser: Int32Array,
    segments: number,
    options: SegmentPreferencesOptions = {},
  ): SegmentPreferences {
    const side = dataset.itemSide;
    if (!side)
      throw new PersonalizationError(
        PersonalizationErrorCode.BAD_INPUT,
        `segment preferences: dataset "${dataset.name}" has no item side data (categories)`,
      );
    requireOption(Number.isInteger(segments) && segments >= 1, 'segments', 'an integer ≥ 1', segments);
    if (segmentOfUser.length !== dataset.users.size)
      throw new PersonalizationError(
        PersonalizationErrorCode.BAD_INPUT,
        `segment preferences: ${segmentOfUser.length} user segments for ${dataset.users.size} users`,
      );
    const top = options.topServices ?? 200;
    requireOption(Number.isInteger(top) && top >= 1, 'topServices', 'an integer ≥ 1', top);
    const weighting = options.weighting ?? InteractionWeighting.fit([]);
    const { log } = dataset;
    const n = options.events ? options.events.length : log.length;
    const at = (k: number): number => (options.events ? options.events[k] : k);
    let asOf = options.asOfSeconds ?? Number.NEGATIVE_INFINITY;
    if (options.asOfSeconds === undefined)
      for (let k = 0; k < n; k++) asOf = Math.max(asOf, log.timestamps[at(k)]);

    const nCat = side.categories.vocab.size;
    const nItems = dataset.items.size;
    const catWeight = new Float64Array(segments * nCat);
    const globalCat = new Float64Array(nCat);
    // Distinct (segment, item, user) triples: one key per counted event, sorted, counted once each.
    const keys: number[] = [];
    for (let k = 0; k < n; k++) {
      const e = at(k);
      const u = log.users[e];
      const s = segmentOfUser[u];
      if (s < 0) continue;
      if (s >= segments)
        throw new PersonalizationError(
          PersonalizationErrorCode.BAD_INPUT,
          `segment preferences: user ${dataset.users.idAt(u)} has segment ${s}, outside 0..${segments - 1}`,
        );
      const w = weighting.weight(log.types[e], Number.NaN, asOf - log.timestamps[e]);
      if (w <= 0) continue;
      const item = log.items[e];
      const c0 = side.categories.offsets[item];
      const c1 = side.categories.offsets[item + 1];
      for (let c = c0; c < c1; c++) {
        const share = w / (c1 - c0);
        catWeight[s * nCat + side.categories.values[c]] += share;
        globalCat[side.categories.values[c]] += share;
      }
      keys.push((s * nItems + item) * dataset.users.size + u);
    }
    keys.sort((a, b) => a - b);
    const users = new Float64Array(segments * nItems);
    for (let k = 0; k < keys.length; k++)
      if (k === 0 || keys[k] !== keys[k - 1]) users[Math.floor(keys[k] / dataset.users.size)]++;

    const globalTotal = globalCat.reduce((a, b) => a + b, 0);
    const tables: SegmentTable[] = [];
    for (let s = 0; s < segments; s++) {
      let total = 0;
      for (let c = 0; c < nCat; c++) total += catWeight[s * nCat + c];
      const categories: CategoryPreference[] = [];
      for (let c = 0; c < nCat; c++) {
        const w = catWeight[s * nCat + c];
        if (w <= 0) continue;
        const share = w / total;
        categories.push({
          category: side.categories.vocab.idAt(c),
          share,
          lift: share / (globalCat[c] / globalTotal),
        });
      }
      categories.sort((a, b) => b.share - a.share || a.category.localeCompare(b.category));
      const items = Array.from({ length: nItems }, (_, i) => i).filter((i) => users[s * nItems + i] > 0);
      items.sort((a, b) => users[s * nItems + b] - users[s * nItems + a] || a - b);
      const kept = items.slice(0, top);
      tables.push({
        categories,
        serviceIds: kept.map((i) => dataset.items.idAt(i)),
        serviceScores: kept.map((i) => users[s * nItems + i]),
      });
    }
    return new SegmentPreferences(tables);
  }

  /** The segment's categories, most liked first (share of its activity, lift over everyone). */
  categories(segment: number): readonly CategoryPreference[] {
    return this.table(segment).categories;
  }

  /** The segment's most used services (ids, best first) with their distinct-user counts. */
  topServices(segment: number, n: number): { serviceId: string; users: number }[] {
    const t = this.table(segment);
    return t.serviceIds.slice(0, n).map((serviceId, k) => ({ serviceId, users: t.serviceScores[k] }));
  }

  /**
   * The segment's popularity over a catalog's indexes (distinct users of the segment, 0 for services it
   * never used or that are not in the catalog), built once per catalog id map: a candidate source and a
   * prior for the segment's cold-ish users.
   */
  serviceScores(segment: number, catalogIds: IdMap): Float32Array {
    this.table(segment);
    let perSegment = this.perCatalog.get(catalogIds);
    if (perSegment === undefined) {
      perSegment = this.tables.map((t) => {
        const scores = new Float32Array(catalogIds.size);
        t.serviceIds.forEach((id, k) => {
          const c = catalogIds.indexOf(id);
          if (c !== undefined) scores[c] = t.serviceScores[k];
        });
        return scores;
      });
      this.perCatalog.set(catalogIds, perSegment);
    }
    return perSegment[segment];
  }

  private table(segment: number): SegmentTable {
    const t = this.tables[segment];
    if (!Number.isInteger(segment) || t === undefined)
      throw new PersonalizationError(
        PersonalizationErrorCode.BAD_INPUT,
        `segment ${segment} outside 0..${this.tables.length - 1}`,
      );
    return t;
  }

  toJSON(): StateJson {
    return {
      kind: 'segment-preferences',
      formatVersion: PERSONALIZATION_STATE_VERSION,
      segments: this.tables.map((t) => ({
        categories: t.categories.map((c) => ({ ...c })),
        serviceIds: [...t.serviceIds],
        serviceScores: [...t.serviceScores],
      })),
    };
  }

  static fromJSON(json: unknown): SegmentPreferences {
    const r = openState(json, 'segment-preferences');
    const tables = r.array('segments').map((raw, s): SegmentTable => {
      const t = nestedState(raw, `segment-preferences.segments[${s}]`);
      const serviceIds = t.strings('serviceIds');
      const serviceScores = t.numbers('serviceScores');
      if (serviceIds.length !== serviceScores.length) t.fail('serviceScores', `${serviceIds.length} numbers`);
      return {
        categories: t.array('categories').map((c, k) => {
          const f = nestedState(c, `segment-preferences.segments[${s}].categories[${k}]`);
          return { category: f.string('category'), share: f.number('share'), lift: f.number('lift') };
        }),
        serviceIds,
        serviceScores,
      };
    });
    if (tables.length === 0) r.fail('segments', 'at least one segment');
    return new SegmentPreferences(tables);
  }
}
