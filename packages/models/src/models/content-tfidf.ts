import { z } from 'zod';
import { rowOf, transposeCsr, type CsrMatrix, type InteractionDataset } from '@recsys/data';
import { ModelError, ModelErrorCode } from '../contract/errors';
import type { FitContext, ModelInfo, ScoredItems } from '../contract/recommender';
import { BaseRecommender, type ModelState } from '../core/base-recommender';
import { feedbackMatrix, withData } from '../core/feedback-weights';
import { itemDocuments, requireItemSide } from '../core/item-side';
import { stateArray, stateNumber } from '../core/state-arrays';
import { tfidf } from '../core/tfidf';
import { topK } from '../core/top-k';

const weight = z.number().min(0);
const paramsSchema = z.object({
  /** Multiplier of term frequencies from the service name. */
  titleWeight: weight.default(1),
  descriptionWeight: weight.default(1),
  /** Weight of each category, one whole token `cat:<name>`. */
  categoryWeight: weight.default(1),
  /** Weight of each tag, one whole token `tag:<name>`. */
  tagWeight: weight.default(1),
  /** 1 + ln(tf) for repeated terms, so long descriptions weigh less. */
  sublinearTf: z.boolean().default(false),
  /** How each training item counts in the user's profile: 1, or its rating. */
  feedback: z.enum(['binary', 'rating']).default('binary'),
});

export type ContentTfidfParams = z.output<typeof paramsSchema>;

/**
 * Content-based filtering with TF-IDF (Pazzani & Billsus 2007, "Content-based recommendation systems";
 * Lops et al. 2011): each service is an L2-normalised TF-IDF vector v_i over its name and description
 * tokens plus its categories and tags as whole tokens (core/tfidf: scikit-learn's smooth idf,
 * ln((1 + n)/(1 + df)) + 1). A user's profile is p_u = Σ_{i ∈ I(u)} x_ui v_i (the mean up to a scale that
 * cosine ignores; x_ui is 1 or the rating) and score(u, j) = cos(p_u, v_j); similarItems ranks cos(v_i, v_j).
 * Needs `dataset.itemSide`; scores new, never-used items as well as used ones. For Jaccard similarity
 * over category and tag sets alone see CategorySimilarityModel (models/category-similarity.ts).
 */
export class ContentTfidfModel extends BaseRecommender<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'content-tfidf',
    task: 'ranking',
    input: 'content',
    summary: 'Content-based: TF-IDF of name, description, categories and tags; cosine to the user profile',
    reference: 'Pazzani & Billsus 2007, "Content-based recommendation systems"; scikit-learn TfidfVectorizer',
  };
  protected readonly stateVersion = 1;
  protected readonly paramsSchema = paramsSchema;
  /** Items × terms, rows L2-normalised. */
  private vectors: CsrMatrix = emptyMatrix(0, 0);
  /** Terms × items: the inverted index scoring runs on. */
  private postings: CsrMatrix = emptyMatrix(0, 0);
  private weights: CsrMatrix | null = null;
  private vocabulary: string[] = [];
  private profile = new Float64Array(0);
  private inProfile = new Uint8Array(0);

  protected async train(
    dataset: InteractionDataset,
    params: ContentTfidfParams,
    _ctx: FitContext,
  ): Promise<void> {
    const side = requireItemSide(dataset, this.info.name);
    const docs = itemDocuments(side, {
      title: params.titleWeight,
      description: params.descriptionWeight,
      categories: params.categoryWeight,
      tags: params.tagWeight,
    });
    const result = tfidf(docs, { sublinearTf: params.sublinearTf });
    if (result.vocabulary.length === 0) {
      throw new ModelError(
        ModelErrorCode.FIT_FAILED,
        `${this.info.name}: the catalog has no terms (empty names, descriptions, categories and tags)`,
      );
    }
    this.vocabulary = result.vocabulary;
    this.setVectors(result.matrix);
    this.weights = feedbackMatrix(dataset, this.seen, params.feedback);
  }

  scoreAll(user: number, out: Float32Array = new Float32Array(this.nItems)): Float32Array {
    this.requireKnownUser(user);
    const row = rowOf(this.weights ?? this.seen, user);
    const v = this.vectors;
    const p = this.profile;
    const touched: number[] = [];
    for (let a = 0; a < row.indices.length; a++) {
      const i = row.indices[a];
      const w = row.data[a];
      for (let k = v.indptr[i], end = v.indptr[i + 1]; k < end; k++) {
        const t = v.indices[k];
        if (this.inProfile[t] === 0) {
          this.inProfile[t] = 1;
          touched.push(t);
        }
        p[t] += w * v.data[k];
      }
    }
    let sq = 0;
    for (const t of touched) sq += p[t] * p[t];
    const norm = Math.sqrt(sq);
    out.fill(0);
    for (const t of touched) {
      if (norm > 0) this.addPosting(t, p[t] / norm, out);
      p[t] = 0;
      this.inProfile[t] = 0;
    }
    return out;
  }

  /** Items by cosine similarity of their TF-IDF vectors; items sharing no term are left out. */
  similarItems(item: number, k: number): ScoredItems {
    this.checkItem(item);
    const scores = new Float32Array(this.nItems);
    const v = this.vectors;
    for (let a = v.indptr[item], end = v.indptr[item + 1]; a < end; a++)
      this.addPosting(v.indices[a], v.data[a], scores);
    for (let j = 0; j < scores.length; j++) if (!(scores[j] > 0)) scores[j] = -Infinity;
    scores[item] = -Infinity;
    return topK(scores, k);
  }

  /** The items × terms TF-IDF matrix (rows L2-normalised). */
  itemVectors(): CsrMatrix {
    return this.vectors;
  }

  /** The terms, by column (after fit; empty after load, where only the vectors are saved). */
  terms(): readonly string[] {
    return this.vocabulary;
  }

  protected exportState(): ModelState {
    const arrays: ModelState['arrays'] = {
      vec_indptr: this.vectors.indptr,
      vec_indices: this.vectors.indices,
      vec_values: this.vectors.data,
    };
    if (this.params.feedback === 'rating' && this.weights) arrays.weights = this.weights.data;
    return { arrays, values: { terms: this.vectors.cols } };
  }

  protected importState(state: ModelState, params: ContentTfidfParams): void {
    const name = this.info.name;
    const terms = stateNumber(name, state, 'terms');
    this.vocabulary = [];
    this.setVectors({
      rows: this.nItems,
      cols: terms,
      indptr: stateArray(name, state, 'vec_indptr', 'int32'),
      indices: stateArray(name, state, 'vec_indices', 'int32'),
      data: stateArray(name, state, 'vec_values', 'float32'),
    });
    this.weights =
      params.feedback === 'rating'
        ? withData(this.seen, stateArray(name, state, 'weights', 'float32'))
        : this.seen;
  }

  private setVectors(vectors: CsrMatrix): void {
    this.vectors = vectors;
    this.postings = transposeCsr(vectors);
    this.profile = new Float64Array(vectors.cols);
    this.inProfile = new Uint8Array(vectors.cols);
  }

  /** out[j] += c · v_jt over the items j holding term t. */
  private addPosting(t: number, c: number, out: Float32Array): void {
    const post = this.postings;
    for (let k = post.indptr[t], end = post.indptr[t + 1]; k < end; k++)
      out[post.indices[k]] += c * post.data[k];
  }
}

function emptyMatrix(rows: number, cols: number): CsrMatrix {
  return {
    rows,
    cols,
    indptr: new Int32Array(rows + 1),
    indices: new Int32Array(0),
    data: new Float32Array(0),
  };
}
