import {
  hasEntry,
  rowOf,
  userItemMatrix,
  type CsrMatrix,
  type InteractionDataset,
  type InteractionLog,
} from '@recsys/data';
import { throwIfAborted, topK, yieldToEventLoop, type Recommender } from '@recsys/models';
import { normalizedBaseScores } from '../scoring/base-scores';

/** One validation user: the candidates the base models rank highly, their scores and which are held out. */
export interface ValidationUser {
  user: number;
  /** The union of every base model's top `candidates` items outside the user's fit-side history. */
  items: Int32Array;
  /** Standardised base scores, candidates × models row-major. */
  scores: Float32Array;
  /** 1 where the candidate is one of the user's held-out items. */
  relevant: Uint8Array;
  /** The user's held-out items outside their fit-side history, in the candidates or not. */
  relevantCount: number;
}

export interface ValidationSet {
  /** The fit side's binary user × item matrix (what the base models saw). */
  seen: CsrMatrix;
  users: ValidationUser[];
}

export interface ValidationSetOptions {
  /** Top items taken from each base model into a user's candidates. */
  candidates: number;
  signal?: AbortSignal;
  model: string;
}

/**
 * Scores every validation user with the base models fitted on the fit side. The candidates are where
 * a top-k list comes from: an item none of the base models puts in its top `candidates` essentially
 * never reaches an ensemble's top 10, so learning on the union loses nothing and costs
 * O(models × candidates) per user instead of O(items).
 */
export async function buildValidationSet(
  bases: readonly Recommender[],
  fit: InteractionDataset,
  validation: InteractionLog,
  options: ValidationSetOptions,
): Promise<ValidationSet> {
  const nUsers = fit.users.size;
  const nItems = fit.items.size;
  const m = bases.length;
  const seen = userItemMatrix(fit.log, nUsers, nItems, { value: 'binary' });
  const heldOut = userItemMatrix(validation, nUsers, nItems, { value: 'binary' });
  const all = new Float32Array(nItems * m);
  const scratch = new Float32Array(nItems);
  const oneModel = new Float32Array(nItems);
  const inPool = new Uint8Array(nItems);
  const isRelevant = new Uint8Array(nItems);
  const users: ValidationUser[] = [];
  for (let u = 0; u < nUsers; u++) {
    const held = rowOf(heldOut, u).indices;
    if (held.length === 0 || !bases.every((b) => b.knowsUser(u))) continue;
    const history = rowOf(seen, u).indices;
    let relevantCount = 0;
    for (const i of held) {
      if (!hasEntry(seen, u, i)) {
        isRelevant[i] = 1;
        relevantCount++;
      }
    }
    if (relevantCount === 0) continue;
    normalizedBaseScores(bases, seen, u, all, scratch);
    const pool: number[] = [];
    for (let b = 0; b < m; b++) {
      for (let i = 0; i < nItems; i++) oneModel[i] = all[i * m + b];
      for (const i of history) oneModel[i] = -Infinity;
      for (const i of topK(oneModel, options.candidates).items) {
        if (inPool[i] === 0) {
          inPool[i] = 1;
          pool.push(i);
        }
      }
    }
    pool.sort((a, b) => a - b);
    const items = Int32Array.from(pool);
    const scores = new Float32Array(items.length * m);
    const relevant = new Uint8Array(items.length);
    for (let c = 0; c < items.length; c++) {
      const i = items[c];
      scores.set(all.subarray(i * m, i * m + m), c * m);
      relevant[c] = isRelevant[i];
      inPool[i] = 0;
    }
    for (const i of held) isRelevant[i] = 0;
    users.push({ user: u, items, scores, relevant, relevantCount });
    if (users.length % 64 === 0) {
      await yieldToEventLoop();
      throwIfAborted(options.signal, options.model);
    }
  }
  return { seen, users };
}
