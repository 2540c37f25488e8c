import { z } from 'zod';
import { rowOf, type CsrMatrix, type InteractionDataset } from '@recsys/data';
import type { FitContext, ModelInfo, ScoredItems } from '../contract/recommender';
import { BaseRecommender, type ModelState } from '../core/base-recommender';
import { bm25Weight } from '../core/bm25-weight';
import { feedbackMatrix, withData } from '../core/feedback-weights';
import { stateArray } from '../core/state-arrays';
import { accumulateNeighbors, cosineNeighbors, type NeighborLists } from '../core/sparse-similarity';

const paramsSchema = z.object({
  /** Neighbours kept per item (the K of implicit's ItemItemRecommender). */
  neighbors: z.number().int().min(1).default(50),
  /** Shrinkage added to the cosine denominator; damps similarities resting on few co-occurrences. */
  shrink: z.number().min(0).default(10),
  /** `binary`: every training item counts 1; `rating`: cells hold the rating, in similarities and scores. */
  feedback: z.enum(['binary', 'rating']).default('binary'),
  /** `bm25`: BM25-weight the cells first (implicit's BM25Recommender input), damping popular items and heavy users. */
  weighting: z.enum(['none', 'bm25']).default('bm25'),
  bm25K1: z.number().positive().default(1.2),
  bm25B: z.number().min(0).max(1).default(0.75),
});

export type ItemKnnParams = z.output<typeof paramsSchema>;

/**
 * Item-based k-nearest-neighbours (Sarwar, Karypis, Konstan, Riedl 2001; Deshpande & Karypis 2004):
 * sim(i, j) = (x_i · x_j) / (‖x_i‖ ‖x_j‖ + shrink) over the item columns of the user × item matrix X,
 * keeping the `neighbors` largest per item i (a sparse row S_i), and score(u, j) = Σ_{i ∈ I(u)} x_ui S_ij:
 * implicit's CosineRecommender, whose recommend is X_u · S. x_ui is 1 or the rating (`feedback`), then by
 * default BM25-weighted (core/bm25-weight, as implicit's BM25Recommender): on MovieLens 100K that lifts
 * NDCG@10 from about 0.38 to 0.42.
 */
export class ItemKnnModel extends BaseRecommender<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'item-knn',
    task: 'ranking',
    input: 'matrix',
    summary: 'Item-based kNN with shrunk cosine similarity',
    reference:
      'Sarwar et al. 2001, "Item-based collaborative filtering recommendation algorithms"; implicit CosineRecommender',
  };
  protected readonly stateVersion = 1;
  protected readonly paramsSchema = paramsSchema;
  private sim: NeighborLists = {
    indptr: new Int32Array(1),
    indices: new Int32Array(0),
    values: new Float32Array(0),
  };
  /** The training matrix with its weights (the seen pattern). */
  private weights: CsrMatrix | null = null;

  protected async train(
    dataset: InteractionDataset,
    params: ItemKnnParams,
    context: FitContext,
  ): Promise<void> {
    const raw = feedbackMatrix(dataset, this.seen, params.feedback);
    const x = params.weighting === 'bm25' ? bm25Weight(raw, params.bm25K1, params.bm25B) : raw;
    this.weights = x;
    this.sim = await cosineNeighbors(x, {
      neighbors: params.neighbors,
      shrink: params.shrink,
      context,
      model: this.info.name,
      progressRange: [0, 0.99],
    });
  }

  scoreAll(user: number, out: Float32Array = new Float32Array(this.nItems)): Float32Array {
    this.requireKnownUser(user);
    const row = rowOf(this.matrix(), user);
    out.fill(0);
    accumulateNeighbors(this.sim, row.indices, row.data, out);
    return out;
  }

  /** The item's stored neighbours, best first (at most `neighbors` of them). */
  similarItems(item: number, k: number): ScoredItems {
    this.checkItem(item);
    if (!Number.isInteger(k) || k <= 0)
      throw new RangeError(`${this.info.name}: k must be a positive integer, got ${k}`);
    const start = this.sim.indptr[item];
    const end = Math.min(this.sim.indptr[item + 1], start + k);
    return { items: this.sim.indices.slice(start, end), scores: this.sim.values.slice(start, end) };
  }

  /** The sparse similarity matrix (rows best first), for inspection and explanations. */
  similarities(): NeighborLists {
    return this.sim;
  }

  protected exportState(): ModelState {
    const arrays: ModelState['arrays'] = {
      sim_indptr: this.sim.indptr,
      sim_indices: this.sim.indices,
      sim_values: this.sim.values,
    };
    if (storesWeights(this.params)) arrays.weights = this.matrix().data;
    return { arrays };
  }

  protected importState(state: ModelState, params: ItemKnnParams): void {
    const name = this.info.name;
    this.sim = {
      indptr: stateArray(name, state, 'sim_indptr', 'int32'),
      indices: stateArray(name, state, 'sim_indices', 'int32'),
      values: stateArray(name, state, 'sim_values', 'float32'),
    };
    this.weights = storesWeights(params)
      ? withData(this.seen, stateArray(name, state, 'weights', 'float32'))
      : this.seen;
  }

  private matrix(): CsrMatrix {
    return this.weights ?? this.seen;
  }
}

/** Whether the cells differ from the binary seen matrix, so that the artifact must carry them. */
function storesWeights(params: ItemKnnParams): boolean {
  return params.feedback === 'rating' || params.weighting !== 'none';
}
