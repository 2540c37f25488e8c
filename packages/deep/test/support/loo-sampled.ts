import {
  applySplit,
  leaveLastOut,
  rowOf,
  UniformNegativeSampler,
  userItemMatrix,
  type InteractionDataset,
  type InteractionLog,
} from '@recsys/data';
import { hitAtK, ndcgAtK } from '@recsys/metrics';
import type { Recommender } from '@recsys/models';

/** The training package's `loo-sampled` protocol: each user's latest event held out. */
export function looSplit(data: InteractionDataset): { train: InteractionDataset; test: InteractionLog } {
  const { train, test } = applySplit(data.log, leaveLastOut(data.log, { nUsers: data.users.size }));
  return { train: { ...data, log: train }, test };
}

/**
 * HR@k and NDCG@k of the held-out item against `negatives` items sampled from those the user never
 * touched, as @recsys/training's evaluateSampledRanking computes them (the same sampler, seed and draw
 * order; ties broken against the held-out item). Reimplemented here so @recsys/deep does not depend on
 * @recsys/training, which imports it.
 */
export function looSampled(
  model: Recommender,
  train: InteractionDataset,
  test: InteractionLog,
  k = 10,
  negatives = 99,
  seed = 42,
): { hr: number; ndcg: number; users: number } {
  const nUsers = train.users.size;
  const nItems = train.items.size;
  const concat = (a: Int32Array, b: Int32Array): Int32Array => {
    const out = new Int32Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  const n = train.log.length + test.length;
  const all: InteractionLog = {
    length: n,
    users: concat(train.log.users, test.users),
    items: concat(train.log.items, test.items),
    values: new Float32Array(n),
    timestamps: new Float64Array(n),
    types: new Uint8Array(n),
  };
  const sampler = new UniformNegativeSampler(userItemMatrix(all, nUsers, nItems, { value: 'binary' }), {
    seed,
  });
  const testMatrix = userItemMatrix(test, nUsers, nItems, { value: 'binary' });
  const candidates = new Int32Array(negatives + 1);
  let hr = 0;
  let ndcg = 0;
  let users = 0;
  for (let u = 0; u < nUsers; u++) {
    const held = rowOf(testMatrix, u).indices;
    if (held.length === 0 || !model.knowsUser(u)) continue;
    for (let h = 0; h < held.length; h++) {
      candidates[0] = held[h];
      sampler.sample(u, negatives, candidates.subarray(1));
      const scores = model.score(u, candidates);
      const order = Array.from(candidates.keys()).sort(
        (a, b) => scores[b] - scores[a] || (a === 0 ? 1 : b === 0 ? -1 : a - b),
      );
      const ranked = order.map((i) => candidates[i]);
      hr += hitAtK(ranked, Int32Array.of(held[h]), k);
      ndcg += ndcgAtK(ranked, Int32Array.of(held[h]), k);
      users++;
    }
  }
  return { hr: hr / users, ndcg: ndcg / users, users };
}
