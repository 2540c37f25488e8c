import {
  type CsrMatrix,
  type InteractionLog,
  leaveLastOut,
  selectEvents,
  UniformNegativeSampler,
  userItemMatrix,
  findEntry,
} from '@recsys/data';

/** Scores of (users[k], items[k]) pairs. */
export type PairScorer = (users: Int32Array, items: Int32Array) => Float32Array;

/**
 * A validation set for early stopping (He et al. 2017's leave-one-out protocol, inside the training
 * data): each user's latest training event is held out and ranked against `negatives` sampled items
 * the user never touched. Candidates are laid out user by user: [held-out, negatives...].
 */
export interface SampledValidation {
  /** The training events left after holding out the validation events. */
  train: InteractionLog;
  users: Int32Array;
  /** (1 + negatives) candidates per validation user, the held-out item first. */
  candidates: Int32Array;
  negatives: number;
}

/**
 * Splits `log` into training events and one held-out event per user with more than one event (whose
 * item is not also in the user's remaining events), and draws the negatives with a seeded sampler over
 * `seen` (the whole training matrix, so no negative is a known positive).
 */
export function sampledValidation(
  log: InteractionLog,
  seen: CsrMatrix,
  negatives: number,
  seed: number,
  maxUsers = Infinity,
): SampledValidation {
  const split = leaveLastOut(log, { nUsers: seen.rows });
  const train = selectEvents(log, split.train);
  const held = selectEvents(log, split.test);
  const trainMatrix = userItemMatrix(train, seen.rows, seen.cols, { value: 'binary' });
  const users: number[] = [];
  const items: number[] = [];
  for (let e = 0; e < held.length && users.length < maxUsers; e++) {
    const u = held.users[e];
    if (findEntry(trainMatrix, u, held.items[e]) >= 0) continue;
    if (seen.indptr[u + 1] - seen.indptr[u] >= seen.cols) continue; // no negative exists
    users.push(u);
    items.push(held.items[e]);
  }
  const sampler = new UniformNegativeSampler(seen, { seed });
  const m = 1 + negatives;
  const candidates = new Int32Array(users.length * m);
  const draw = new Int32Array(negatives);
  for (let k = 0; k < users.length; k++) {
    candidates[k * m] = items[k];
    sampler.sample(users[k], negatives, draw);
    candidates.set(draw, k * m + 1);
  }
  return { train, users: Int32Array.from(users), candidates, negatives };
}

/**
 * HR@k of the validation set: the share of users whose held-out item ranks in the top k of its
 * candidates. Ties count against the held-out item (a constant scorer gets 0).
 */
export function sampledHitRate(validation: SampledValidation, score: PairScorer, k: number): number {
  const m = 1 + validation.negatives;
  const n = validation.users.length;
  if (n === 0) return Number.NaN;
  const users = new Int32Array(n * m);
  for (let u = 0; u < n; u++) users.fill(validation.users[u], u * m, (u + 1) * m);
  const scores = score(users, validation.candidates);
  let hits = 0;
  for (let u = 0; u < n; u++) {
    const pos = scores[u * m];
    let rank = 0;
    for (let j = 1; j < m; j++) if (scores[u * m + j] >= pos) rank++;
    if (rank < k) hits++;
  }
  return hits / n;
}
