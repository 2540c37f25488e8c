import type { ModelName } from '@recsys/models';
import type { SearchSpace } from './search-space';

/**
 * Default search spaces of the registry's tunable models. Keys are exactly the models' zod params keys
 * (a test parses sampled configurations with `createModel(name).parseParams`); parameters left out keep
 * their schema defaults. Bounds bracket each model's default and the ranges its reference tuned over.
 * Popularity, trending and the content models have nothing worth tuning.
 */
export const SEARCH_SPACES = {
  /** Implicit ALS (Hu et al. 2008): λ ≈ 10 (1 + alpha) was best on ML-100K, so both span decades. */
  als: {
    factors: { type: 'int', low: 16, high: 256, log: true },
    regularization: { type: 'loguniform', low: 0.1, high: 1000 },
    alpha: { type: 'loguniform', low: 0.1, high: 100 },
    iterations: { type: 'int', low: 5, high: 30 },
  },
  /** EASE^R (Steck 2019): the L2 penalty λ is its only hyper-parameter. */
  ease: {
    lambda: { type: 'loguniform', low: 10, high: 5000 },
  },
  /** Item-item cosine with shrinkage, optionally on BM25-weighted cells (bm25* only matter with bm25). */
  'item-knn': {
    neighbors: { type: 'int', low: 5, high: 500, log: true },
    shrink: { type: 'uniform', low: 0, high: 200 },
    weighting: { type: 'categorical', choices: ['none', 'bm25'] },
    bm25K1: { type: 'loguniform', low: 0.1, high: 5 },
    bm25B: { type: 'uniform', low: 0, high: 1 },
  },
  /** Funk SVD by SGD (Surprise's SVD): factors, epochs, one learning rate and one factor penalty. */
  svd: {
    nFactors: { type: 'int', low: 5, high: 200, log: true },
    nEpochs: { type: 'int', low: 10, high: 100 },
    lrAll: { type: 'loguniform', low: 1e-3, high: 0.1 },
    regAll: { type: 'loguniform', low: 1e-3, high: 1 },
  },
  /** NMF by multiplicative updates (Luo et al. 2014; Surprise's NMF). */
  nmf: {
    nFactors: { type: 'int', low: 5, high: 100, log: true },
    nEpochs: { type: 'int', low: 20, high: 150 },
    regPu: { type: 'loguniform', low: 1e-3, high: 1 },
    regQi: { type: 'loguniform', low: 1e-3, high: 1 },
  },
  /** PureSVD-style truncated SVD: the rank is what matters. */
  'truncated-svd': {
    factors: { type: 'int', low: 8, high: 512, log: true },
  },
} as const satisfies Partial<Record<ModelName, SearchSpace>>;

export type TunableModelName = keyof typeof SEARCH_SPACES;

export function isTunableModel(name: string): name is TunableModelName {
  return Object.prototype.hasOwnProperty.call(SEARCH_SPACES, name);
}
