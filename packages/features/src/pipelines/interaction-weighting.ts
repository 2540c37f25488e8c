import { INTERACTION_TYPES, type InteractionTypeName } from '@recsys/db';
import type { InteractionLog } from '@recsys/data';
import { FeatureError, FeatureErrorCode } from '../errors';
import { FEATURE_STATE_VERSION, StateReader, type Json } from '../state';
import { halfLifeSeconds, timeDecay } from '../time-decay';

/** Default confidence of each interaction type: exposure 0, passive 1, intent 2-3, commitment 4-5. */
export const DEFAULT_TYPE_WEIGHTS: Readonly<Record<InteractionTypeName, number>> = {
  IMPRESSION: 0,
  VIEW: 1,
  CLICK: 2,
  API_CALL: 3,
  SUBSCRIBE: 5,
  FAVORITE: 4,
  RATING: 3,
  REVIEW: 4,
  PURCHASE: 5,
};

export interface InteractionWeightingOptions {
  /** Overrides of DEFAULT_TYPE_WEIGHTS (each ≥ 0). */
  typeWeights?: Partial<Record<InteractionTypeName, number>>;
  /** Dwell cap in seconds; default: the `dwellCapQuantile` of the training dwell times (60 s without any). */
  dwellCapSeconds?: number;
  /** Default 0.99. */
  dwellCapQuantile?: number;
  /** β of the dwell multiplier 1 + β·d. Default 1 (a capped dwell doubles the weight). */
  dwellBoost?: number;
  /**
   * Half-life in days of the time decay 2^(−age/halfLife) (see `timeDecay`) applied by `weights` relative to a
   * reference time. Default none: no decay.
   */
  halfLifeDays?: number;
}

/** numpy's default (linear, "type 7") quantile of sorted values. */
function quantileSorted(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Per-event confidence weights for implicit-feedback training (weighted ALS, weighted losses):
 *
 *   d(dwell) = log1p(min(dwell_s, cap)) / log1p(cap) ∈ [0, 1]   (log-scaled, capped dwell time)
 *   w(type, dwell) = typeWeight[type] · (1 + β·d(dwell))        (w = typeWeight[type] when the dwell is unknown)
 *   w(type, dwell, age) = w(type, dwell) · 2^(−age / halfLife)   (with a half-life; see `timeDecay`)
 *
 * The cap is fitted (a high quantile of training dwell times) so that a few idle tabs do not dominate. The same
 * weights (type, dwell and decay) serve training and the online user profile, so both count an event alike.
 */
export class InteractionWeighting {
  private readonly byCode: Float64Array;
  /** The half-life in seconds; +Infinity without decay. */
  private readonly halfLife: number;

  private constructor(
    readonly typeWeights: Readonly<Record<InteractionTypeName, number>>,
    readonly dwellCapSeconds: number,
    readonly dwellBoost: number,
    /** null: no time decay. */
    readonly halfLifeDays: number | null = null,
  ) {
    this.byCode = Float64Array.from(INTERACTION_TYPES, (t) => typeWeights[t]);
    this.halfLife = halfLifeDays === null ? Number.POSITIVE_INFINITY : halfLifeSeconds(halfLifeDays);
  }

  /** @param dwellMs training dwell times in ms (NaN or negative = unknown, skipped). */
  static fit(
    dwellMs: Iterable<number> = [],
    options: InteractionWeightingOptions = {},
  ): InteractionWeighting {
    const weights = { ...DEFAULT_TYPE_WEIGHTS, ...options.typeWeights };
    for (const t of INTERACTION_TYPES)
      if (!(weights[t] >= 0 && Number.isFinite(weights[t])))
        throw new FeatureError(FeatureErrorCode.BAD_OPTION, `type weight of ${t} must be ≥ 0`);
    const boost = options.dwellBoost ?? 1;
    if (!(boost >= 0 && Number.isFinite(boost)))
      throw new FeatureError(FeatureErrorCode.BAD_OPTION, `dwellBoost must be ≥ 0`);
    let cap = options.dwellCapSeconds;
    if (cap === undefined) {
      const q = options.dwellCapQuantile ?? 0.99;
      if (!(q > 0 && q <= 1))
        throw new FeatureError(FeatureErrorCode.BAD_OPTION, `dwellCapQuantile must be in (0, 1]`);
      const seconds: number[] = [];
      for (const ms of dwellMs) if (ms >= 0 && Number.isFinite(ms)) seconds.push(ms / 1000);
      cap = seconds.length > 0 ? quantileSorted(Float64Array.from(seconds).sort(), q) : 60;
    }
    if (!(cap > 0 && Number.isFinite(cap))) cap = 60;
    const halfLife = options.halfLifeDays ?? null;
    if (halfLife !== null) halfLifeSeconds(halfLife); // checks it
    return new InteractionWeighting(weights, cap, boost, halfLife);
  }

  typeWeight(typeCode: number): number {
    return this.byCode[typeCode] ?? 0;
  }

  /** d(dwell) above; NaN when the dwell is unknown (NaN or negative). */
  dwellFeature(dwellMs: number): number {
    if (!(dwellMs >= 0)) return Number.NaN;
    return Math.log1p(Math.min(dwellMs / 1000, this.dwellCapSeconds)) / Math.log1p(this.dwellCapSeconds);
  }

  /** The decay factor of an event `ageSeconds` old: 2^(−age/halfLife), 1 without a half-life. */
  timeWeight(ageSeconds: number): number {
    return timeDecay(ageSeconds, this.halfLife);
  }

  /** w(type, dwell, age) above; an age of 0 (the default) leaves the decay out. */
  weight(typeCode: number, dwellMs = Number.NaN, ageSeconds = 0): number {
    const d = this.dwellFeature(dwellMs);
    const w = this.typeWeight(typeCode) * this.timeWeight(ageSeconds);
    return Number.isNaN(d) ? w : w * (1 + this.dwellBoost * d);
  }

  /**
   * w of every event of the log (dwell per event optional, NaN = unknown), decayed by its age at `asOfSeconds`
   * when the weighting has a half-life (default reference: the log's latest timestamp).
   */
  weights(log: InteractionLog, dwellMs?: ArrayLike<number>, asOfSeconds?: number): Float32Array {
    const out = new Float32Array(log.length);
    let asOf = asOfSeconds ?? Number.NEGATIVE_INFINITY;
    if (asOfSeconds === undefined && this.halfLifeDays !== null)
      for (let e = 0; e < log.length; e++) if (log.timestamps[e] > asOf) asOf = log.timestamps[e];
    const decays = this.halfLifeDays !== null;
    for (let e = 0; e < log.length; e++)
      out[e] = this.weight(
        log.types[e],
        dwellMs ? dwellMs[e] : Number.NaN,
        decays ? asOf - log.timestamps[e] : 0,
      );
    return out;
  }

  toJSON(): { [key: string]: Json } {
    return {
      kind: 'interaction-weighting',
      formatVersion: FEATURE_STATE_VERSION,
      typeWeights: { ...this.typeWeights },
      dwellCapSeconds: this.dwellCapSeconds,
      dwellBoost: this.dwellBoost,
      halfLifeDays: this.halfLifeDays,
    };
  }

  static fromJSON(json: unknown): InteractionWeighting {
    const r = StateReader.open(json, 'interaction-weighting');
    const saved = r.child('typeWeights') as Record<string, unknown> | null;
    const weights = {} as Record<InteractionTypeName, number>;
    for (const t of INTERACTION_TYPES) {
      const w = saved?.[t];
      if (typeof w !== 'number' || !(w >= 0))
        throw new FeatureError(
          FeatureErrorCode.BAD_STATE,
          `interaction-weighting.typeWeights.${t}: expected ≥ 0`,
        );
      weights[t] = w;
    }
    // States saved before time decay existed have no halfLifeDays: no decay.
    const halfLife = (json as { halfLifeDays?: unknown }).halfLifeDays ?? null;
    if (halfLife !== null && !(typeof halfLife === 'number' && halfLife > 0))
      throw new FeatureError(
        FeatureErrorCode.BAD_STATE,
        'interaction-weighting.halfLifeDays: expected a number > 0 or null',
      );
    return new InteractionWeighting(
      weights,
      r.number('dwellCapSeconds'),
      r.number('dwellBoost'),
      halfLife as number | null,
    );
  }
}
