import { z } from 'zod';
import { rowOf, type InteractionDataset } from '@recsys/data';
import { ModelError, ModelErrorCode } from '../contract/errors';
import type { FitContext, ModelInfo, ScoredItems } from '../contract/recommender';
import { BaseRecommender, type ModelState } from '../core/base-recommender';
import { fitCheckpoint } from '../core/fit-checkpoint';
import { formatBytes } from '../core/format-bytes';
import { NotPositiveDefiniteError, spdInverseInPlace } from '../core/spd-inverse';
import { stateArray } from '../core/state-arrays';
import { topK } from '../core/top-k';

const paramsSchema = z.object({
  /** L2 penalty λ on the item-item weights, added to the Gram matrix's diagonal (400: best on ML-100K, 75/25). */
  lambda: z.number().positive().default(400),
  /** Largest catalog fit accepts: memory grows as items² (8 bytes each for G, 4 more for B). */
  maxItems: z.number().int().min(1).default(20_000),
});

export type EaseParams = z.output<typeof paramsSchema>;

/**
 * EASE^R (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW'19): a dense item × item
 * weight matrix B with zero diagonal learned in closed form from the binary user × item matrix X:
 * G = XᵀX + λI, P = G⁻¹, B_ij = −P_ij / P_jj (i ≠ j), B_ii = 0; score(u, ·) = x_u B.
 * The inverse runs through a Cholesky factorisation (core/spd-inverse), O(items³) time and items² memory,
 * so catalogs above `maxItems` are refused up front.
 */
export class EaseModel extends BaseRecommender<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'ease',
    task: 'ranking',
    input: 'matrix',
    summary: 'EASE^R: closed-form item-item linear autoencoder',
    reference: 'Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data" (WWW)',
  };
  protected readonly stateVersion = 1;
  protected readonly paramsSchema = paramsSchema;
  /** B, items × items row-major: B[i * n + j] is item i's weight in the score of item j. */
  private b: Float32Array = new Float32Array(0);

  protected async train(dataset: InteractionDataset, params: EaseParams, context: FitContext): Promise<void> {
    const name = this.info.name;
    const n = dataset.items.size;
    if (n > params.maxItems) {
      throw new ModelError(
        ModelErrorCode.FIT_FAILED,
        `${name}: ${n} items exceed maxItems ${params.maxItems}: EASE holds a dense items × items matrix ` +
          `(${n}² × 8 bytes = ${formatBytes(n * n * 8)} for G⁻¹, plus ${formatBytes(n * n * 4)} for B); ` +
          `raise maxItems only if the machine has that memory, or use item-knn`,
      );
    }
    // G = XᵀX (lower triangle: rows are sorted, so the b-th entry never exceeds the a-th), + λ on the diagonal.
    const x = this.seen;
    const g = new Float64Array(n * n);
    for (let u = 0; u < x.rows; u++) {
      const start = x.indptr[u];
      const end = x.indptr[u + 1];
      for (let a = start; a < end; a++) {
        const oi = x.indices[a] * n;
        for (let b = start; b <= a; b++) g[oi + x.indices[b]] += 1;
      }
    }
    for (let i = 0; i < n; i++) g[i * n + i] += params.lambda;
    await fitCheckpoint(context, name, 0.05, 'gram matrix');

    try {
      await spdInverseInPlace(g, n, (done, total) =>
        fitCheckpoint(context, name, 0.05 + (0.9 * done) / total, 'inverting'),
      );
    } catch (error) {
      if (error instanceof NotPositiveDefiniteError) {
        throw new ModelError(
          ModelErrorCode.FIT_FAILED,
          `${name}: XᵀX + λI is numerically singular (${error.message}); raise lambda`,
        );
      }
      throw error;
    }

    const p = g;
    const bm = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      const oi = i * n;
      for (let j = 0; j < n; j++) bm[oi + j] = i === j ? 0 : -p[oi + j] / p[j * n + j];
    }
    for (let k = 0; k < bm.length; k++) {
      if (!Number.isFinite(bm[k]))
        throw new ModelError(ModelErrorCode.FIT_FAILED, `${name}: non-finite weight in B`);
    }
    this.b = bm;
  }

  scoreAll(user: number, out: Float32Array = new Float32Array(this.nItems)): Float32Array {
    this.requireKnownUser(user);
    const n = this.nItems;
    const row = rowOf(this.seen, user);
    out.fill(0);
    for (let a = 0; a < row.indices.length; a++) {
      const oi = row.indices[a] * n;
      for (let j = 0; j < n; j++) out[j] += this.b[oi + j];
    }
    return out;
  }

  /** The items whose scores `item` raises most: the largest weights of row B_item. */
  similarItems(item: number, k: number): ScoredItems {
    this.checkItem(item);
    const n = this.nItems;
    const scores = this.b.slice(item * n, (item + 1) * n);
    scores[item] = -Infinity;
    return topK(scores, k);
  }

  /** The weight matrix B (items × items, row-major, zero diagonal). */
  weights(): Float32Array {
    return this.b;
  }

  protected exportState(): ModelState {
    return { arrays: { b: this.b } };
  }

  protected importState(state: ModelState): void {
    const b = stateArray(this.info.name, state, 'b', 'float32');
    const n = this.nItems;
    if (b.length !== n * n)
      throw new ModelError(
        ModelErrorCode.BAD_ARTIFACT,
        `${this.info.name}: B has ${b.length} weights for ${n} items`,
      );
    this.b = b;
  }
}
