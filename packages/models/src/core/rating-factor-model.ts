import type { z } from 'zod';
import type { RecommendOptions, ScoredItems } from '../contract/recommender';
import { BaseRecommender, type ModelState } from './base-recommender';
import { rowNorms } from './vector-math';
import { similarByCosine, type RatingScale } from './rated-events';
import { stateArray, stateNumber } from './state-arrays';

/** What a rating factor model has learnt, as `train` hands it over (any numeric arrays; stored as float32). */
export interface LearnedFactors {
  scale: RatingScale;
  nFactors: number;
  /** Whether predictions include μ + b_u + b_i (SVD; NMF's biased variant). */
  biased: boolean;
  bu: ArrayLike<number>;
  bi: ArrayLike<number>;
  /** Row-major nUsers × nFactors, zero rows for users without training ratings. */
  pu: ArrayLike<number>;
  /** Row-major nItems × nFactors, zero rows for items without training ratings. */
  qi: ArrayLike<number>;
  userKnown: Uint8Array;
  itemKnown: Uint8Array;
}

/**
 * The serving half shared by the explicit-rating factor models (SVD, NMF): the prediction rule with
 * Surprise's unknown-user / unknown-item fallbacks, clipping to the training rating scale, cold-start
 * reporting, cosine item similarity over q_i, and the saved state. Subclasses implement only `train`
 * (ending in `setFactors`) and say whether a loaded model is biased.
 *
 * Prediction (Surprise `estimate` + `predict`'s clipping):
 * - biased:   r̂_ui = μ + b_u + b_i + q_iᵀp_u, where an unknown user (item) has zero bias and factors,
 *             so a cold user gets μ + b_i, an unrated item μ + b_u, both unknown μ;
 * - unbiased: r̂_ui = q_iᵀp_u when both are known, else μ (Surprise's PredictionImpossible → global mean).
 *
 * Cold users: `knowsUser` is true only for users with at least one training rating; `recommend` throws
 * ColdStartError for the others (the ranking would be the same baseline list for all of them), while
 * `score` / `scoreAll` / `predict` answer with the baseline rating above, which is well defined.
 */
export abstract class RatingFactorModel<S extends z.ZodObject> extends BaseRecommender<S> {
  private mean = 0;
  private min = 0;
  private max = 0;
  private d = 0;
  private biased = true;
  private bu = new Float32Array(0);
  private bi = new Float32Array(0);
  private pu = new Float32Array(0);
  private qi = new Float32Array(0);
  private userKnown: Uint8Array = new Uint8Array(0);
  private itemKnown: Uint8Array = new Uint8Array(0);
  private itemNorms: Float32Array | null = null;

  /** The factor count and bias use of a model trained with `params` (to restore a saved one). */
  protected abstract layout(params: z.output<S>): { nFactors: number; biased: boolean };

  /** Installs the learnt parameters (called at the end of `train`, and by `importState`). */
  protected setFactors(f: LearnedFactors): void {
    this.mean = f.scale.mean;
    this.min = f.scale.min;
    this.max = f.scale.max;
    this.d = f.nFactors;
    this.biased = f.biased;
    this.bu = Float32Array.from(f.bu);
    this.bi = Float32Array.from(f.bi);
    this.pu = Float32Array.from(f.pu);
    this.qi = Float32Array.from(f.qi);
    this.userKnown = f.userKnown;
    this.itemKnown = f.itemKnown;
    this.itemNorms = null;
  }

  /** A user is known when they have at least one training rating (events without a rating do not count). */
  override knowsUser(user: number): boolean {
    return user >= 0 && user < this.nUsers && this.userKnown[user] === 1;
  }

  /** Throws ColdStartError for a user without training ratings (see the class comment). */
  override recommend(user: number, k: number, options?: RecommendOptions): ScoredItems {
    this.requireKnownUser(user);
    return super.recommend(user, k, options);
  }

  /** Predicted ratings of every item for `user`, clipped to the training scale (baseline for a cold user). */
  scoreAll(user: number, out: Float32Array = new Float32Array(this.nItems)): Float32Array {
    this.checkUser(user);
    for (let i = 0; i < this.itemKnown.length; i++) out[i] = this.estimate(user, i);
    return out;
  }

  /** Predicted ratings of the given items only. */
  override score(user: number, items: Int32Array): Float32Array {
    this.checkUser(user);
    const out = new Float32Array(items.length);
    for (let c = 0; c < items.length; c++) {
      this.checkItem(items[c]);
      out[c] = this.estimate(user, items[c]);
    }
    return out;
  }

  /** Surprise's `predict(u, i).est`: the clipped rating estimate of one (user, item) pair. */
  predict(user: number, item: number): number {
    this.checkUser(user);
    this.checkItem(item);
    return this.estimate(user, item);
  }

  private estimate(user: number, item: number): number {
    const { d, qi, pu } = this;
    const po = user * d;
    const qo = item * d;
    let r: number;
    if (this.biased || (this.userKnown[user] === 1 && this.itemKnown[item] === 1)) {
      let dot = 0;
      for (let f = 0; f < d; f++) dot += qi[qo + f] * pu[po + f];
      r = this.biased ? this.mean + this.bu[user] + this.bi[item] + dot : dot;
    } else {
      r = this.mean;
    }
    return r < this.min ? this.min : r > this.max ? this.max : r;
  }

  /** Items whose factor vectors q_j have the highest cosine with q_item; items without ratings are left out. */
  similarItems(item: number, k: number): ScoredItems {
    this.checkItem(item);
    this.itemNorms ??= rowNorms(this.qi, this.nItems, this.d);
    return similarByCosine(this.qi, this.itemNorms, this.d, item, k, this.itemKnown);
  }

  /** Item factors q_i, row-major (nItems × nFactors); zero rows for items without training ratings. */
  get itemFactors(): Float32Array {
    return this.qi;
  }

  /** User factors p_u, row-major (nUsers × nFactors); zero rows for users without training ratings. */
  get userFactors(): Float32Array {
    return this.pu;
  }

  /** b_u (all zero for an unbiased model). */
  get userBiases(): Float32Array {
    return this.bu;
  }

  /** b_i (all zero for an unbiased model). */
  get itemBiases(): Float32Array {
    return this.bi;
  }

  /** μ, the mean training rating. */
  get globalMean(): number {
    return this.mean;
  }

  /** The rating scale seen in training, to which predictions are clipped. */
  get ratingScale(): { min: number; max: number } {
    return { min: this.min, max: this.max };
  }

  protected exportState(): ModelState {
    return {
      arrays: {
        user_bias: this.bu,
        item_bias: this.bi,
        user_factors: this.pu,
        item_factors: this.qi,
        user_known: this.userKnown,
        item_known: this.itemKnown,
      },
      values: { mean: this.mean, min: this.min, max: this.max },
    };
  }

  protected importState(state: ModelState, params: z.output<S>): void {
    const name = this.info.name;
    const { nFactors: d, biased } = this.layout(params);
    const nu = this.nUsers;
    const ni = this.nItems;
    this.setFactors({
      scale: {
        mean: stateNumber(name, state, 'mean'),
        min: stateNumber(name, state, 'min'),
        max: stateNumber(name, state, 'max'),
      },
      nFactors: d,
      biased,
      bu: stateArray(name, state, 'user_bias', 'float32', nu),
      bi: stateArray(name, state, 'item_bias', 'float32', ni),
      pu: stateArray(name, state, 'user_factors', 'float32', nu * d),
      qi: stateArray(name, state, 'item_factors', 'float32', ni * d),
      userKnown: stateArray(name, state, 'user_known', 'uint8', nu),
      itemKnown: stateArray(name, state, 'item_known', 'uint8', ni),
    });
  }
}
