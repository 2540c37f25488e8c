import { z } from 'zod';
import { rowOf, transposeCsr, type CsrMatrix, type InteractionDataset } from '@recsys/data';
import type { FitContext, ModelInfo, ScoredItems } from '../contract/recommender';
import { BaseRecommender, type ModelState } from '../core/base-recommender';
import { feedbackMatrix, withData } from '../core/feedback-weights';
import { columnSets, requireItemSide } from '../core/item-side';
import { stateArray } from '../core/state-arrays';
import { topK } from '../core/top-k';

const paramsSchema = z
  .object({
    /** Weight of the Jaccard similarity of category sets. */
    categoryWeight: z.number().min(0).default(1),
    /** Weight of the Jaccard similarity of tag sets. */
    tagWeight: z.number().min(0).default(1),
    /** How each training item counts in the user's score: 1, or its rating. */
    feedback: z.enum(['binary', 'rating']).default('binary'),
  })
  .refine((p) => p.categoryWeight + p.tagWeight > 0, {
    message: 'categoryWeight + tagWeight must be positive',
  });

export type CategorySimilarityParams = z.output<typeof paramsSchema>;

/** A set per item: `values[indptr[i] .. indptr[i+1])` sorted, with its inverted index. */
interface ItemSets {
  sets: CsrMatrix;
  postings: CsrMatrix;
}

/**
 * Category and tag similarity, a metadata-only content model: sim(i, j) = (w_c · J(C_i, C_j) +
 * w_t · J(T_i, T_j)) / (w_c + w_t), with J(A, B) = |A ∩ B| / |A ∪ B| the Jaccard index (0 for two empty
 * sets) of the items' category sets C and tag sets T; score(u, j) = Σ_{i ∈ I(u)} x_ui sim(i, j) / Σ x_ui.
 * Cheaper and more explainable than ContentTfidfModel ("same categories as X"), blind to free text.
 * Intersections are counted through inverted indexes, so only items sharing a value are touched.
 */
export class CategorySimilarityModel extends BaseRecommender<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'category-similarity',
    task: 'ranking',
    input: 'content',
    summary: 'Content-based: Jaccard similarity of category and tag sets',
    reference:
      'Jaccard 1901 index over item attribute sets; Lops, de Gemmis, Semeraro 2011, "Content-based recommender systems"',
  };
  protected readonly stateVersion = 1;
  protected readonly paramsSchema = paramsSchema;
  private categories: ItemSets = emptySets();
  private tags: ItemSets = emptySets();
  private weights: CsrMatrix | null = null;
  private inter = new Int32Array(0);

  protected async train(
    dataset: InteractionDataset,
    params: CategorySimilarityParams,
    _ctx: FitContext,
  ): Promise<void> {
    const side = requireItemSide(dataset, this.info.name);
    const c = columnSets(side.categories);
    const t = columnSets(side.tags);
    this.categories = itemSets(c.indptr, c.values, side.categories.vocab.size);
    this.tags = itemSets(t.indptr, t.values, side.tags.vocab.size);
    this.weights = feedbackMatrix(dataset, this.seen, params.feedback);
    this.inter = new Int32Array(dataset.items.size);
  }

  scoreAll(user: number, out: Float32Array = new Float32Array(this.nItems)): Float32Array {
    this.requireKnownUser(user);
    const row = rowOf(this.weights ?? this.seen, user);
    let total = 0;
    for (let a = 0; a < row.data.length; a++) total += row.data[a];
    out.fill(0);
    if (total > 0)
      for (let a = 0; a < row.indices.length; a++)
        this.addSimilarities(row.indices[a], row.data[a] / total, out);
    return out;
  }

  /** Items by combined Jaccard similarity; items sharing no category or tag are left out. */
  similarItems(item: number, k: number): ScoredItems {
    this.checkItem(item);
    const scores = new Float32Array(this.nItems);
    this.addSimilarities(item, 1, scores);
    for (let j = 0; j < scores.length; j++) if (!(scores[j] > 0)) scores[j] = -Infinity;
    scores[item] = -Infinity;
    return topK(scores, k);
  }

  /** sim(i, j) for every item j (0 where nothing is shared). */
  similarities(item: number): Float32Array {
    this.checkItem(item);
    const out = new Float32Array(this.nItems);
    this.addSimilarities(item, 1, out);
    return out;
  }

  protected exportState(): ModelState {
    return {
      arrays: {
        cat_indptr: this.categories.sets.indptr,
        cat_values: this.categories.sets.indices,
        tag_indptr: this.tags.sets.indptr,
        tag_values: this.tags.sets.indices,
        ...(this.params.feedback === 'rating' && this.weights ? { weights: this.weights.data } : {}),
      },
      values: { categories: this.categories.sets.cols, tags: this.tags.sets.cols },
    };
  }

  protected importState(state: ModelState, params: CategorySimilarityParams): void {
    const name = this.info.name;
    const size = (key: string): number => {
      const v = state.values?.[key];
      return typeof v === 'number' ? v : 0;
    };
    this.categories = itemSets(
      stateArray(name, state, 'cat_indptr', 'int32'),
      stateArray(name, state, 'cat_values', 'int32'),
      size('categories'),
    );
    this.tags = itemSets(
      stateArray(name, state, 'tag_indptr', 'int32'),
      stateArray(name, state, 'tag_values', 'int32'),
      size('tags'),
    );
    this.weights =
      params.feedback === 'rating'
        ? withData(this.seen, stateArray(name, state, 'weights', 'float32'))
        : this.seen;
    this.inter = new Int32Array(this.nItems);
  }

  /** out[j] += scale · sim(item, j) over the items j sharing a category or tag with `item`. */
  private addSimilarities(item: number, scale: number, out: Float32Array): void {
    const { categoryWeight, tagWeight } = this.params;
    const norm = categoryWeight + tagWeight;
    if (categoryWeight > 0) this.addJaccard(this.categories, item, (scale * categoryWeight) / norm, out);
    if (tagWeight > 0) this.addJaccard(this.tags, item, (scale * tagWeight) / norm, out);
  }

  private addJaccard({ sets, postings }: ItemSets, item: number, scale: number, out: Float32Array): void {
    const inter = this.inter;
    const touched: number[] = [];
    for (let a = sets.indptr[item], end = sets.indptr[item + 1]; a < end; a++) {
      const v = sets.indices[a];
      for (let k = postings.indptr[v], kEnd = postings.indptr[v + 1]; k < kEnd; k++) {
        const j = postings.indices[k];
        if (inter[j]++ === 0) touched.push(j);
      }
    }
    const size = sets.indptr[item + 1] - sets.indptr[item];
    for (const j of touched) {
      const shared = inter[j];
      out[j] += (scale * shared) / (size + sets.indptr[j + 1] - sets.indptr[j] - shared);
      inter[j] = 0;
    }
  }
}

function itemSets(indptr: Int32Array, values: Int32Array, vocabSize: number): ItemSets {
  const sets: CsrMatrix = {
    rows: indptr.length - 1,
    cols: vocabSize,
    indptr,
    indices: values,
    data: new Float32Array(values.length).fill(1),
  };
  return { sets, postings: transposeCsr(sets) };
}

function emptySets(): ItemSets {
  return itemSets(new Int32Array(1), new Int32Array(0), 0);
}
