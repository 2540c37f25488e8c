import { z } from 'zod';
import { userItemMatrix, type InteractionDataset } from '@recsys/data';
import { throwIfAborted } from '../contract/errors';
import type { FitContext, ModelInfo } from '../contract/recommender';
import { FactorModel } from '../core/factor-model';
import { randomizedSvd } from './truncated-svd-randomized';

const paramsSchema = z.object({
  /** Rank k of the approximation (20 is best on a MovieLens 100K holdout; 50 overfits there). */
  factors: z.number().int().min(1).max(1024).default(20),
  /** Extra random directions in the sketch (l = k + oversampling). */
  oversampling: z.number().int().min(0).max(1000).default(10),
  /** Power iterations of the randomized range finder. */
  powerIterations: z.number().int().min(0).max(50).default(4),
  /** The matrix factorised: 1 per observed pair, or the (latest) rating with 0 for missing cells. */
  value: z.enum(['binary', 'rating']).default('binary'),
  /** Seed of the Gaussian test matrix. */
  seed: z.number().int().default(42),
});

type TruncatedSvdParams = z.output<typeof paramsSchema>;

/**
 * PureSVD (Cremonesi, Koren & Turrin 2010, "Performance of recommender algorithms on top-N
 * recommendation tasks"): the rank-k truncated SVD of the user × item matrix R with missing cells as 0,
 *   R ≈ U Σ Vᵀ,   score(u, i) = (u_u Σ) · v_i,
 * i.e. scipy's `svds` with user factors U Σ and item factors V. Computed by the randomized SVD of Halko,
 * Martinsson & Tropp 2011 (see truncated-svd-randomized.ts). Similar items are cosine neighbours in V.
 */
export class TruncatedSvdModel extends FactorModel<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'truncated-svd',
    task: 'ranking',
    input: 'matrix',
    summary: 'PureSVD: truncated SVD of the interaction matrix (randomized)',
    reference:
      'Cremonesi, Koren, Turrin 2010 (PureSVD); Halko, Martinsson, Tropp 2011, "Finding structure with randomness"',
  };
  protected readonly stateVersion = 1;
  protected readonly paramsSchema = paramsSchema;

  protected async train(
    dataset: InteractionDataset,
    params: TruncatedSvdParams,
    context: FitContext,
  ): Promise<void> {
    throwIfAborted(context.signal, this.info.name);
    const r =
      params.value === 'binary'
        ? this.seen
        : userItemMatrix(dataset.log, this.nUsers, this.nItems, { value: 'rating' });
    const svd = randomizedSvd(r, params.factors, {
      oversampling: params.oversampling,
      powerIterations: params.powerIterations,
      seed: params.seed,
    });
    const k = svd.rank;
    const users = new Float32Array(this.nUsers * k);
    for (let u = 0; u < this.nUsers; u++)
      for (let f = 0; f < k; f++) users[u * k + f] = svd.u[u * k + f] * svd.s[f];
    this.setFactors(k, users, Float32Array.from(svd.v));
  }
}
