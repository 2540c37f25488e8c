import { INTERACTION_TYPES, type InteractionTypeName } from '@recsys/db';
import { FeatureError, FeatureErrorCode } from '../errors';
import type { Json } from '../state';

/**
 * Which events the per-user and per-service aggregates count, and how. Saved with the pipelines
 * (`recordOptions`), so that serving rebuilds records the way training did.
 */
export interface RecordOptions {
  /** Events that count as activity (counts, recency, sessions). Default: every type but IMPRESSION. */
  activityTypes: InteractionTypeName[];
  /** Events whose value is a rating (mean rating given / received). Default: RATING and REVIEW. */
  ratingTypes: InteractionTypeName[];
  /**
   * Events that show a user choosing a service, whose price tiers measure price sensitivity.
   * Default: CLICK, API_CALL, SUBSCRIBE, FAVORITE, RATING, REVIEW, PURCHASE (not IMPRESSION or VIEW, which
   * follow what the marketplace showed rather than what the user picked).
   */
  choiceTypes: InteractionTypeName[];
  /** Half-life of the trending score's exponential decay, in days. Default 7. */
  trendingHalfLifeDays: number;
  /** A gap longer than this between two activity events of a user starts a new session. Default 30 minutes. */
  sessionGapSeconds: number;
}

export const DEFAULT_RECORD_OPTIONS: Readonly<RecordOptions> = {
  activityTypes: INTERACTION_TYPES.filter((t) => t !== 'IMPRESSION'),
  ratingTypes: ['RATING', 'REVIEW'],
  choiceTypes: ['CLICK', 'API_CALL', 'SUBSCRIBE', 'FAVORITE', 'RATING', 'REVIEW', 'PURCHASE'],
  trendingHalfLifeDays: 7,
  sessionGapSeconds: 1800,
};

/** The options with defaults filled in, checked (FEATURE_BAD_OPTION names the bad one). */
export function recordOptions(partial: Partial<RecordOptions> = {}): RecordOptions {
  const o: RecordOptions = {
    activityTypes: (partial.activityTypes ?? DEFAULT_RECORD_OPTIONS.activityTypes).slice(),
    ratingTypes: (partial.ratingTypes ?? DEFAULT_RECORD_OPTIONS.ratingTypes).slice(),
    choiceTypes: (partial.choiceTypes ?? DEFAULT_RECORD_OPTIONS.choiceTypes).slice(),
    trendingHalfLifeDays: partial.trendingHalfLifeDays ?? DEFAULT_RECORD_OPTIONS.trendingHalfLifeDays,
    sessionGapSeconds: partial.sessionGapSeconds ?? DEFAULT_RECORD_OPTIONS.sessionGapSeconds,
  };
  const known = new Set<string>(INTERACTION_TYPES);
  for (const key of ['activityTypes', 'ratingTypes', 'choiceTypes'] as const) {
    const bad = o[key].find((t) => !known.has(t));
    if (bad !== undefined)
      throw new FeatureError(FeatureErrorCode.BAD_OPTION, `${key}: unknown interaction type "${bad}"`);
  }
  if (!(o.trendingHalfLifeDays > 0 && Number.isFinite(o.trendingHalfLifeDays)))
    throw new FeatureError(FeatureErrorCode.BAD_OPTION, `trendingHalfLifeDays must be > 0`);
  if (!(o.sessionGapSeconds > 0 && Number.isFinite(o.sessionGapSeconds)))
    throw new FeatureError(FeatureErrorCode.BAD_OPTION, `sessionGapSeconds must be > 0`);
  return o;
}

/** A per-type-code 0/1 mask of a type list (index = code in INTERACTION_TYPES). */
export function typeMask(types: readonly InteractionTypeName[]): Uint8Array {
  const mask = new Uint8Array(INTERACTION_TYPES.length);
  for (const t of types) mask[INTERACTION_TYPES.indexOf(t)] = 1;
  return mask;
}

export function recordOptionsToJSON(o: RecordOptions): { [key: string]: Json } {
  return { ...o };
}

/** Parses saved options (validated as `recordOptions` does). */
export function recordOptionsFromJSON(json: unknown): RecordOptions {
  if (typeof json !== 'object' || json === null)
    throw new FeatureError(FeatureErrorCode.BAD_STATE, 'recordOptions: expected an object');
  try {
    return recordOptions(json as Partial<RecordOptions>);
  } catch (error) {
    throw new FeatureError(FeatureErrorCode.BAD_STATE, `recordOptions: ${(error as Error).message}`);
  }
}
