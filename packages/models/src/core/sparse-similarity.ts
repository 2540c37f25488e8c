import { transposeCsr, type CsrMatrix } from '@recsys/data';
import { throwIfAborted } from '../contract/errors';
import type { FitContext } from '../contract/recommender';
import { fitCheckpoint } from './fit-checkpoint';
import { topK } from './top-k';

/**
 * A sparse item × item similarity matrix holding the strongest neighbours of each item: row `i` is
 * `indices/values[indptr[i] .. indptr[i+1])`, ordered best first (not by index, unlike a CsrMatrix).
 */
export interface NeighborLists {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

export interface CosineNeighborsOptions {
  /** Neighbours kept per item (implicit's K). */
  neighbors: number;
  /** Added to the denominator: sim = x_i·x_j / (‖x_i‖‖x_j‖ + shrink). 0 is plain cosine. */
  shrink: number;
  /** Where progress goes and the abort signal (checked about every 2M multiply-adds). */
  context?: FitContext;
  /** The model name in ABORTED errors. */
  model?: string;
  /** The share of the whole fit this step covers, as [from, to] fractions. Default [0, 1]. */
  progressRange?: [number, number];
}

/**
 * Item-item cosine similarity with shrinkage over the columns of a user × item matrix X, keeping the
 * top `neighbors` per item: sim(i, j) = (x_i · x_j) / (‖x_i‖ ‖x_j‖ + shrink) (Sarwar et al. 2001;
 * implicit's CosineRecommender; shrinkage as in Koren 2008), self-similarity left out.
 *
 * Sparse and exact: for each item i, a dense accumulator gathers x_ui · x_uj over the users u of i
 * (rows of Xᵀ) and their items j (rows of X), touching only co-occurring pairs: O(Σ_u n_u²) multiply-adds
 * and O(items) memory, plus the output. Ties between neighbours keep the lower item index.
 */
export async function cosineNeighbors(x: CsrMatrix, options: CosineNeighborsOptions): Promise<NeighborLists> {
  const { neighbors, shrink } = options;
  const model = options.model ?? 'cosineNeighbors';
  throwIfAborted(options.context?.signal, model);
  const nItems = x.cols;
  const xt = transposeCsr(x);
  const norms = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let s = 0;
    for (let k = xt.indptr[i], end = xt.indptr[i + 1]; k < end; k++) s += xt.data[k] * xt.data[k];
    norms[i] = Math.sqrt(s);
  }

  const perRow = Math.max(0, Math.min(neighbors, nItems - 1));
  const indptr = new Int32Array(nItems + 1);
  let indices = new Int32Array(nItems * perRow);
  let values = new Float32Array(nItems * perRow);
  const acc = new Float64Array(nItems);
  const stamp = new Int32Array(nItems).fill(-1);
  const touched = new Int32Array(nItems);
  const [from, to] = options.progressRange ?? [0, 1];
  // Yield about every 2M multiply-adds.
  let work = 0;
  let written = 0;

  for (let i = 0; i < nItems; i++) {
    let count = 0;
    for (let a = xt.indptr[i], aEnd = xt.indptr[i + 1]; a < aEnd; a++) {
      const u = xt.indices[a];
      const xui = xt.data[a];
      const rowEnd = x.indptr[u + 1];
      for (let b = x.indptr[u]; b < rowEnd; b++) {
        const j = x.indices[b];
        if (stamp[j] !== i) {
          stamp[j] = i;
          acc[j] = 0;
          if (j !== i) touched[count++] = j;
        }
        acc[j] += xui * x.data[b];
      }
      work += rowEnd - x.indptr[u];
    }
    const ni = norms[i];
    for (let c = 0; c < count; c++) {
      const j = touched[c];
      const denominator = ni * norms[j] + shrink;
      // A zero column (possible after weighting) with no shrink has no similarity at all.
      acc[j] = denominator > 0 ? acc[j] / denominator : -Infinity;
    }
    if (count > 0 && perRow > 0) {
      const best = topK(acc, perRow, touched.subarray(0, count));
      indices.set(best.items, written);
      values.set(best.scores, written);
      written += best.items.length;
    }
    indptr[i + 1] = written;
    if (work > 2_000_000) {
      work = 0;
      await fitCheckpoint(
        options.context ?? {},
        model,
        from + ((to - from) * (i + 1)) / nItems,
        'item similarities',
      );
    }
  }
  if (written < indices.length) {
    indices = indices.slice(0, written);
    values = values.slice(0, written);
  }
  return { indptr, indices, values };
}

/** out[j] += Σ_i w_i · sim(i, j) over the given items' neighbour lists (an item-kNN user score). */
export function accumulateNeighbors(
  lists: NeighborLists,
  items: Int32Array,
  weights: Float32Array,
  out: Float32Array,
): void {
  for (let a = 0; a < items.length; a++) {
    const i = items[a];
    const w = weights[a];
    for (let k = lists.indptr[i], end = lists.indptr[i + 1]; k < end; k++)
      out[lists.indices[k]] += w * lists.values[k];
  }
}
