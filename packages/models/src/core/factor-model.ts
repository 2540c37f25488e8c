import type { z } from 'zod';
import { ModelError, ModelErrorCode } from '../contract/errors';
import type { ScoredItems } from '../contract/recommender';
import { BaseRecommender, type ModelState } from './base-recommender';
import { similarByCosine } from './rated-events';
import { matVec, rowNorms } from './vector-math';

/** The learned factors of a FactorModel: row-major `users × dim` and `items × dim`. */
export interface Factors {
  readonly dim: number;
  readonly users: Float32Array;
  readonly items: Float32Array;
}

/**
 * Base of the models that score by a dot product of factors (implicit's MatrixFactorizationBase):
 *   score(u, i) = x_u · y_i,
 * with X (users × d) and Y (items × d) row-major Float32Arrays. It serves `scoreAll` (one matrix-vector
 * product), `similarItems` (cosine over item factors, norms cached) and saves and loads both arrays.
 * A subclass implements `train` and ends it with `setFactors`.
 */
export abstract class FactorModel<S extends z.ZodObject> extends BaseRecommender<S> {
  private dim = 0;
  private userFactors: Float32Array = new Float32Array(0);
  private itemFactors: Float32Array = new Float32Array(0);
  /** |y_i|, computed on the first similarItems call after the factors change. */
  private itemNorms: Float32Array | null = null;

  /** The learned factors (views of the model's arrays, not copies: do not modify). */
  get factors(): Factors {
    return { dim: this.dim, users: this.userFactors, items: this.itemFactors };
  }

  /** Installs trained factors; checks their shapes and that every value is finite (FIT_FAILED otherwise). */
  protected setFactors(dim: number, users: Float32Array, items: Float32Array): void {
    if (users.length !== this.nUsers * dim || items.length !== this.nItems * dim) {
      throw new Error(
        `${this.info.name}: factor arrays of ${users.length} and ${items.length} values do not fit ` +
          `${this.nUsers} users and ${this.nItems} items × ${dim}`,
      );
    }
    for (const a of [users, items]) {
      for (let k = 0; k < a.length; k++) {
        if (!Number.isFinite(a[k]))
          throw new ModelError(
            ModelErrorCode.FIT_FAILED,
            `${this.info.name}: factors diverged (non-finite values)`,
          );
      }
    }
    this.dim = dim;
    this.userFactors = users;
    this.itemFactors = items;
    this.itemNorms = null;
  }

  scoreAll(user: number, out: Float32Array = new Float32Array(this.nItems)): Float32Array {
    this.requireKnownUser(user);
    matVec(this.itemFactors, this.nItems, this.dim, this.userFactors, user * this.dim, out);
    return out;
  }

  /** x_u · y_i for the given items only: a candidate list costs O(items × d), not O(catalog × d). */
  override score(user: number, items: Int32Array): Float32Array {
    this.requireKnownUser(user);
    const { dim, userFactors, itemFactors } = this;
    const out = new Float32Array(items.length);
    const uo = user * dim;
    for (let c = 0; c < items.length; c++) {
      const item = items[c];
      this.checkItem(item);
      const io = item * dim;
      let s = 0;
      for (let f = 0; f < dim; f++) s += userFactors[uo + f] * itemFactors[io + f];
      out[c] = s;
    }
    return out;
  }

  /** cos(y_item, y_j) for every other item j. */
  similarItems(item: number, k: number): ScoredItems {
    this.checkItem(item);
    this.itemNorms ??= rowNorms(this.itemFactors, this.nItems, this.dim);
    return similarByCosine(this.itemFactors, this.itemNorms, this.dim, item, k);
  }

  /** Saves `user_factors`, `item_factors` and `dim`; a subclass with more state extends the result. */
  protected exportState(): ModelState {
    return {
      arrays: { user_factors: this.userFactors, item_factors: this.itemFactors },
      values: { dim: this.dim },
    };
  }

  protected importState(state: ModelState, _params: z.output<S>): void {
    const users = state.arrays.user_factors;
    const items = state.arrays.item_factors;
    const dim = state.values?.dim;
    if (!(users instanceof Float32Array) || !(items instanceof Float32Array) || typeof dim !== 'number') {
      throw new ModelError(
        ModelErrorCode.BAD_ARTIFACT,
        `${this.info.name}: artifact lacks float32 factor arrays or their dimension`,
      );
    }
    if (users.length !== this.nUsers * dim || items.length !== this.nItems * dim) {
      throw new ModelError(
        ModelErrorCode.BAD_ARTIFACT,
        `${this.info.name}: factor arrays do not match the id maps × ${dim}`,
      );
    }
    this.setFactors(dim, users, items);
  }
}
