import type { InteractionLog } from '../interactions/interaction-log';
import { Rng } from '../random/rng';
import { splitFromMask, type Split } from './split';

export interface KFoldOptions {
  k: number;
  seed: number;
}

/**
 * Random k-fold cross-validation over events, as Surprise's KFold: the events are shuffled once
 * (Fisher-Yates with the seeded Rng) and cut into k contiguous blocks whose sizes differ by at most one;
 * fold f tests on block f and trains on the rest. The k test sets are disjoint and cover every event once.
 */
export function kFold(log: InteractionLog, options: KFoldOptions): Split[] {
  const { k } = options;
  const n = log.length;
  if (!Number.isInteger(k) || k < 2 || k > n)
    throw new RangeError(`kFold: k must be an integer in 2..${n} (events), got ${k}`);
  const order = new Int32Array(n);
  for (let e = 0; e < n; e++) order[e] = e;
  new Rng(options.seed).shuffle(order);
  // fold[e]: the block event e landed in; block f spans positions [floor(f·n/k), floor((f+1)·n/k)).
  const fold = new Int32Array(n);
  for (let f = 0; f < k; f++) {
    const end = Math.floor(((f + 1) * n) / k);
    for (let p = Math.floor((f * n) / k); p < end; p++) fold[order[p]] = f;
  }
  const splits: Split[] = [];
  const isTest = new Uint8Array(n);
  for (let f = 0; f < k; f++) {
    for (let e = 0; e < n; e++) isTest[e] = fold[e] === f ? 1 : 0;
    splits.push(splitFromMask(isTest));
  }
  return splits;
}
