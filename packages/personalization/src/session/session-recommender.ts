import { timeDecay } from '@recsys/features';
import { topK, type ScoredItems } from '@recsys/models';
import { PersonalizationError, PersonalizationErrorCode, requireOption } from '../errors';
import type { ItemNeighbours } from './item-cooccurrence';

/**
 * A sequential model's view of a session: a score for every item as the next one after `sequence` (item
 * indexes, oldest first). GRU4Rec's `scoreSequence` (@recsys/deep) slots in here, as would SASRec; its item
 * indexes must be the ones the neighbours use (map them with the model's item map otherwise).
 */
export interface SequenceScorer {
  scoreSequence(sequence: Int32Array): Float32Array;
}

export interface SessionRecommenderOptions {
  /** Positions back at which a session item counts half (the latest counts 1). @defaultValue 2 */
  recencyHalfLife?: number;
  /** The most recent session items used. @defaultValue 10 */
  maxSessionItems?: number;
  /** Neighbours read per session item. @defaultValue 50 */
  neighboursPerItem?: number;
  /** Weight γ of the sequence scorer in the blend (0 ignores it, 1 uses it alone). @defaultValue 0.5 */
  sequenceWeight?: number;
}

/**
 * Recommendations from the services viewed in the current session, for anonymous and new users (and as
 * "because you just looked at" candidates for everyone). Item-to-item, recency-weighted:
 *
 *   s(j) = Σ_{t} decay(n − 1 − t) · sim(x_t, j),   decay(a) = 2^(−a / recencyHalfLife)  (timeDecay, in steps)
 *
 * over the session x_0..x_{n−1} (oldest first), sim from any ItemNeighbours (session co-occurrence, a factor
 * model's similarItems). With a SequenceScorer the result is the blend
 *   (1 − γ) · s(j) / max s + γ · (q(j) − min q) / (max q − min q)
 * of the neighbour scores and the scorer's q, both scaled to [0, 1] over the items allowed.
 * Items of the session itself are never recommended.
 */
export class SessionRecommender {
  private readonly halfLife: number;
  private readonly maxItems: number;
  private readonly perItem: number;
  private readonly gamma: number;

  constructor(
    private readonly similar: ItemNeighbours,
    private readonly nItems: number,
    options: SessionRecommenderOptions = {},
    private readonly sequenceScorer: SequenceScorer | null = null,
  ) {
    this.halfLife = options.recencyHalfLife ?? 2;
    this.maxItems = options.maxSessionItems ?? 10;
    this.perItem = options.neighboursPerItem ?? 50;
    this.gamma = options.sequenceWeight ?? 0.5;
    requireOption(Number.isInteger(nItems) && nItems >= 1, 'nItems', 'an integer ≥ 1', nItems);
    requireOption(this.halfLife > 0, 'recencyHalfLife', '> 0', this.halfLife);
    requireOption(
      Number.isInteger(this.maxItems) && this.maxItems >= 1,
      'maxSessionItems',
      'an integer ≥ 1',
      this.maxItems,
    );
    requireOption(
      Number.isInteger(this.perItem) && this.perItem >= 1,
      'neighboursPerItem',
      'an integer ≥ 1',
      this.perItem,
    );
    requireOption(this.gamma >= 0 && this.gamma <= 1, 'sequenceWeight', 'in [0, 1]', this.gamma);
  }

  /**
   * Scores of every item after `session` (item indexes, oldest first); session items and items outside
   * `allowed` (a 0/1 mask, when given) are −Infinity.
   */
  scores(session: ArrayLike<number>, allowed?: Uint8Array): Float32Array {
    const items = this.check(session, allowed);
    const n = items.length;
    const out = new Float32Array(this.nItems);
    for (let t = 0; t < n; t++) {
      const weight = timeDecay(n - 1 - t, this.halfLife);
      const near = this.similar.neighbours(items[t], this.perItem);
      for (let r = 0; r < near.items.length; r++) {
        const j = near.items[r];
        if (j >= 0 && j < this.nItems && near.scores[r] > 0) out[j] += weight * near.scores[r];
      }
    }
    const excluded = (j: number): boolean => allowed !== undefined && allowed[j] === 0;
    if (this.sequenceScorer !== null && this.gamma > 0) {
      const q = this.sequenceScorer.scoreSequence(items);
      if (q.length !== this.nItems)
        throw new PersonalizationError(
          PersonalizationErrorCode.BAD_INPUT,
          `sequence scorer returned ${q.length} scores for ${this.nItems} items`,
        );
      let sMax = 0;
      let qMin = Infinity;
      let qMax = -Infinity;
      for (let j = 0; j < this.nItems; j++) {
        if (excluded(j)) continue;
        sMax = Math.max(sMax, out[j]);
        if (Number.isFinite(q[j])) {
          qMin = Math.min(qMin, q[j]);
          qMax = Math.max(qMax, q[j]);
        }
      }
      const qSpan = qMax - qMin;
      for (let j = 0; j < this.nItems; j++) {
        const s = sMax > 0 ? out[j] / sMax : 0;
        const qj = Number.isFinite(q[j]) && qSpan > 0 ? (q[j] - qMin) / qSpan : 0;
        out[j] = (1 - this.gamma) * s + this.gamma * qj;
      }
    }
    for (const i of items) out[i] = -Infinity;
    if (allowed !== undefined) for (let j = 0; j < this.nItems; j++) if (allowed[j] === 0) out[j] = -Infinity;
    return out;
  }

  /** The top `k` items after `session`; only items with a positive score come back. */
  recommend(session: ArrayLike<number>, k: number, allowed?: Uint8Array): ScoredItems {
    const scores = this.scores(session, allowed);
    for (let j = 0; j < scores.length; j++) if (!(scores[j] > 0)) scores[j] = -Infinity;
    return topK(scores, k);
  }

  /** The session's latest `maxSessionItems` items, checked. */
  private check(session: ArrayLike<number>, allowed: Uint8Array | undefined): Int32Array {
    if (allowed !== undefined && allowed.length !== this.nItems)
      throw new PersonalizationError(
        PersonalizationErrorCode.BAD_INPUT,
        `allowed mask has ${allowed.length} entries for ${this.nItems} items`,
      );
    const from = Math.max(0, session.length - this.maxItems);
    const items = new Int32Array(session.length - from);
    for (let t = from; t < session.length; t++) {
      const i = session[t];
      if (!(Number.isInteger(i) && i >= 0 && i < this.nItems))
        throw new PersonalizationError(
          PersonalizationErrorCode.BAD_INPUT,
          `session item ${i} outside 0..${this.nItems - 1}`,
        );
      items[t - from] = i;
    }
    return items;
  }
}
