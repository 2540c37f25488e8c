import { throwIfAborted, yieldToEventLoop } from '@recsys/models';
import { meanNdcg, type RankingList } from './ranking-lists';

export interface CoordinateAscentOptions {
  /** The cutoff of the NDCG maximised. */
  k: number;
  /** Points tried per coordinate: t = 0, 1/gridSteps, ..., 1, then a finer look around the best. */
  gridSteps: number;
  /** Full passes over the coordinates at most. */
  maxSweeps: number;
  /** A pass that gains less NDCG than this ends the search. */
  tolerance: number;
  /** Starting points (each on the simplex); the best end point wins. */
  starts: Float64Array[];
  signal?: AbortSignal;
  /** Name used in ABORTED errors. */
  model: string;
}

export interface LearnedWeights {
  /** Non-negative, summing to 1. */
  weights: Float64Array;
  /** Mean NDCG@k of those weights on the lists learned from. */
  ndcg: number;
}

/** The point of the simplex with coordinate `m` set to `t` and the others rescaled to share 1 − t. */
function moveCoordinate(w: Float64Array, m: number, t: number, out: Float64Array): Float64Array {
  const rest = 1 - w[m];
  const n = w.length;
  for (let j = 0; j < n; j++) {
    if (j === m) out[j] = t;
    else out[j] = rest > 1e-12 ? ((1 - t) * w[j]) / rest : (1 - t) / (n - 1);
  }
  return out;
}

/**
 * Weights on the probability simplex that maximise mean NDCG@k of the linear score Σ_m w_m x_m over
 * the lists: coordinate ascent as in Metzler & Croft 2007 ("Linear feature-based models for information
 * retrieval", RankLib's CoorAscent). NDCG is piecewise constant in w, so each coordinate is searched on
 * a grid over [0, 1] (the others keep their proportions) plus a finer look around the best grid point,
 * rather than by gradient. Only a strict gain moves a coordinate, so the search ends. The simplex loses
 * nothing: the ranking is unchanged by scaling w, and a negative weight on a base model's standardised
 * score would mean "prefer what this model dislikes", which validation noise should not decide.
 */
export async function coordinateAscent(
  lists: readonly RankingList[],
  options: CoordinateAscentOptions,
): Promise<LearnedWeights> {
  let best: LearnedWeights | null = null;
  const dims = options.starts[0]?.length ?? 0;
  if (dims === 0) throw new RangeError('coordinateAscent: needs at least one start with one weight');
  const trial = new Float64Array(dims);
  const step = 1 / options.gridSteps;
  for (const start of options.starts) {
    const w = Float64Array.from(start);
    let score = meanNdcg(lists, w, options.k);
    for (let sweep = 0; sweep < options.maxSweeps && dims > 1; sweep++) {
      const before = score;
      for (let m = 0; m < dims; m++) {
        await yieldToEventLoop();
        throwIfAborted(options.signal, options.model);
        let bestT = w[m];
        const tryT = (t: number): void => {
          if (t < 0 || t > 1 || t === bestT) return;
          const s = meanNdcg(lists, moveCoordinate(w, m, t, trial), options.k);
          if (s > score + 1e-12) {
            score = s;
            bestT = t;
          }
        };
        for (let g = 0; g <= options.gridSteps; g++) tryT(g * step);
        const centre = bestT;
        for (const d of [-0.5, 0.5, -0.25, 0.25, -0.125, 0.125]) tryT(centre + d * step);
        if (bestT !== w[m]) w.set(moveCoordinate(w, m, bestT, trial));
      }
      if (score - before < options.tolerance) break;
    }
    if (best === null || score > best.ndcg) best = { weights: w, ndcg: score };
  }
  return best as LearnedWeights;
}
