import { ModelError, ModelErrorCode } from '@recsys/models';
import type { CandidateContext } from '../candidates/candidate-context';
import { SOURCES } from '../candidates/candidate-set';

/** How much each source's strength counts when no model can score the user (cold start). */
const COLD_WEIGHTS: readonly number[] = SOURCES.map(
  (s) => ({ model: 1, similar: 1, content: 0.8, trending: 0.6, popular: 0.5, exploration: 0.2 })[s],
);

export interface Relevance {
  /** Per candidate slot, in [0, 1]. */
  values: Float64Array;
  /** True when the model scored the candidates (the list is personalised). */
  personalised: boolean;
}

/**
 * Relevance of every candidate in [0, 1]. A user the model knows: the model's scores of the candidates in
 * its item map (`model.score`, one call), min-max normalised; a candidate outside the map (a new service)
 * gets the low prior `outOfModelPrior` · (0.5 + 0.5 · its best source strength). Otherwise (cold start, or
 * a model that turns out not to know the user) each candidate's evidence is combined:
 *   r = max_s w_s·str_s + 0.1 · (Σ_s w_s·str_s − max_s w_s·str_s),
 * normalised by the best r.
 */
export function relevance(ctx: CandidateContext, outOfModelPrior: number): Relevance {
  const { set, served, mapping, userIndex } = ctx;
  if (served && mapping && userIndex >= 0) {
    const slots = new Int32Array(set.size);
    const items = new Int32Array(set.size);
    let inModel = 0;
    for (let s = 0; s < set.size; s++) {
      const m = mapping.catalogToModel[set.items[s]];
      if (m >= 0) {
        slots[inModel] = s;
        items[inModel++] = m;
      }
    }
    let scores: Float32Array | null = null;
    try {
      scores = served.model.score(userIndex, items.subarray(0, inModel));
    } catch (error) {
      if (!(error instanceof ModelError && error.code === ModelErrorCode.COLD_START)) throw error;
    }
    if (scores !== null) {
      const values = new Float64Array(set.size);
      let lo = Infinity;
      let hi = -Infinity;
      for (let k = 0; k < scores.length; k++) {
        if (scores[k] < lo) lo = scores[k];
        if (scores[k] > hi) hi = scores[k];
      }
      const span = hi - lo;
      // The prior for candidates outside the model's item map; the model's scores for the others.
      let k = 0;
      for (let s = 0; s < set.size; s++) {
        if (k < scores.length && slots[k] === s) {
          values[s] = span > 0 ? (scores[k] - lo) / span : 1;
          k++;
        } else values[s] = outOfModelPrior * (0.5 + 0.5 * bestStrength(ctx, s));
      }
      return { values, personalised: true };
    }
  }
  return { values: coldRelevance(ctx), personalised: false };
}

function bestStrength(ctx: CandidateContext, slot: number): number {
  let best = 0;
  for (let src = 0; src < SOURCES.length; src++) best = Math.max(best, ctx.set.strength(slot, src));
  return best;
}

function coldRelevance(ctx: CandidateContext): Float64Array {
  const { set } = ctx;
  const values = new Float64Array(set.size);
  let top = 0;
  for (let s = 0; s < set.size; s++) {
    let max = 0;
    let sum = 0;
    for (let src = 0; src < SOURCES.length; src++) {
      const v = COLD_WEIGHTS[src] * set.strength(s, src);
      sum += v;
      if (v > max) max = v;
    }
    values[s] = max + 0.1 * (sum - max);
    if (values[s] > top) top = values[s];
  }
  if (top > 0) for (let s = 0; s < set.size; s++) values[s] /= top;
  return values;
}
