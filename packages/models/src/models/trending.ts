import { z } from 'zod';
import { interactionTypeCode, type InteractionDataset } from '@recsys/data';
import type { FitContext, ItemFilter, ModelInfo, ScoredItems } from '../contract/recommender';
import { applyFilter, BaseRecommender, type ModelState } from '../core/base-recommender';
import { stateArray, stateNumber } from '../core/state-arrays';
import { topK } from '../core/top-k';

const SECONDS_PER_DAY = 86_400;

function isInteractionType(name: string): boolean {
  try {
    interactionTypeCode(name);
    return true;
  } catch {
    return false;
  }
}

const paramsSchema = z.object({
  /** Age (days before the latest training event) at which an event counts half. */
  halfLifeDays: z.number().positive().default(7),
  /**
   * Weight per interaction type name ('PURCHASE': 5, 'VIEW': 0.5...); types not listed weigh 1, and a
   * weight of 0 leaves the type out.
   */
  typeWeights: z
    .record(z.string(), z.number().min(0))
    .default({})
    .refine((w) => Object.keys(w).every(isInteractionType), {
      message: 'typeWeights keys must be interaction type names (IMPRESSION, VIEW, CLICK, API_CALL, ...)',
    }),
});

export type TrendingParams = z.output<typeof paramsSchema>;

/**
 * Trending items: popularity with exponential time decay (the "hot" score of news and app stores):
 * score_i = Σ_{events e on i} w_type(e) · exp(−ln 2 · (t_ref − t_e) / halfLife), with t_ref the latest
 * training timestamp, saved with the model so a loaded artifact serves the same list. User-agnostic,
 * like popularity, so it answers cold users. Restrict it to a category with a `filter` mask.
 */
export class TrendingModel extends BaseRecommender<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'trending',
    task: 'ranking',
    input: 'matrix',
    summary: 'Time-decayed popularity (exponential half-life)',
    reference:
      'Half-life decayed event counts; time-aware popularity as in Ji et al. 2020, "A Re-visit of the Popularity Baseline in Recommender Systems"',
  };
  protected readonly stateVersion = 1;
  protected readonly paramsSchema = paramsSchema;
  private scores: Float32Array = new Float32Array(0);
  private tRef = 0;

  protected async train(
    dataset: InteractionDataset,
    params: TrendingParams,
    _ctx: FitContext,
  ): Promise<void> {
    const log = dataset.log;
    const typeWeight = new Float64Array(256).fill(1);
    for (const [type, w] of Object.entries(params.typeWeights)) typeWeight[interactionTypeCode(type)] = w;
    let tRef = -Infinity;
    for (let e = 0; e < log.length; e++) if (log.timestamps[e] > tRef) tRef = log.timestamps[e];
    const rate = Math.LN2 / (params.halfLifeDays * SECONDS_PER_DAY);
    const acc = new Float64Array(dataset.items.size);
    for (let e = 0; e < log.length; e++) {
      const w = typeWeight[log.types[e]];
      if (w !== 0) acc[log.items[e]] += w * Math.exp(-rate * (tRef - log.timestamps[e]));
    }
    this.scores = Float32Array.from(acc);
    this.tRef = tRef;
  }

  /** Trending ignores the user, so a cold user gets the same (valid) answer. */
  override knowsUser(user: number): boolean {
    return user >= 0 && user < this.nUsers;
  }

  scoreAll(user: number, out: Float32Array = new Float32Array(this.nItems)): Float32Array {
    this.checkUser(user);
    out.set(this.scores);
    return out;
  }

  /** Trending has no notion of similarity: the most trending other items. */
  similarItems(item: number, k: number): ScoredItems {
    this.checkItem(item);
    const scores = Float32Array.from(this.scores);
    scores[item] = -Infinity;
    return topK(scores, k);
  }

  /** The `k` most trending items that pass `filter` (e.g. a category mask), for any caller, no user needed. */
  trending(k: number, filter?: ItemFilter): ScoredItems {
    const scores = Float32Array.from(this.scores);
    if (filter) applyFilter(scores, filter);
    return topK(scores, k);
  }

  /** Decayed score per item. */
  itemScores(): Float32Array {
    return this.scores;
  }

  /** The reference time (seconds): the latest training event. */
  referenceTime(): number {
    return this.tRef;
  }

  protected exportState(): ModelState {
    return { arrays: { scores: this.scores }, values: { tRef: this.tRef } };
  }

  protected importState(state: ModelState): void {
    this.scores = stateArray(this.info.name, state, 'scores', 'float32');
    this.tRef = stateNumber(this.info.name, state, 'tRef');
  }
}
