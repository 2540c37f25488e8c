import type { ScoredItems } from '@recsys/models';
import { LRUCache } from 'lru-cache';
import type { ServedModel } from '../models/served-model';

/** A user's remembered ranking: the model's best `depth` items (training items excluded), best first. */
interface Ranking extends ScoredItems {
  depth: number;
}

/**
 * The model's top candidates per user, remembered for the model's life: scoring the whole catalog for
 * the user (`model.recommend`) was the largest cost of an uncached request, and a model's ranking of a
 * user never changes (a swap brings a new ServedModel, hence a new memo). Only the request's mask
 * differs between requests, so the memo holds the unmasked ranking `depth` = 2·n deep and a request
 * keeps its first n allowed items: exactly `recommend(user, n, { filter })`, since topK orders ties by
 * index either way. A mask that leaves fewer than n allowed among them falls back to the full call.
 * At most `maxUsers` users per model (n = 100: 200 items, 1.6 kB each).
 */
export class UserTopItems {
  private readonly memos = new WeakMap<ServedModel, LRUCache<number, Ranking>>();

  constructor(private readonly maxUsers: number) {}

  /** The user's best `n` items among those `allowed` (model item indexes, 1 = allowed). */
  topAllowed(served: ServedModel, user: number, n: number, allowed: Uint8Array): ScoredItems {
    const ranking = this.ranking(served, user, 2 * n);
    const items = new Int32Array(n);
    const scores = new Float32Array(n);
    let taken = 0;
    for (let r = 0; r < ranking.items.length && taken < n; r++) {
      const item = ranking.items[r];
      if (allowed[item] !== 1) continue;
      items[taken] = item;
      scores[taken++] = ranking.scores[r];
    }
    // A shorter ranking than asked for holds every item the model can rank: nothing further to find.
    if (taken < n && ranking.items.length >= ranking.depth)
      return served.model.recommend(user, n, { excludeSeen: true, filter: allowed });
    return { items: items.subarray(0, taken), scores: scores.subarray(0, taken) };
  }

  private ranking(served: ServedModel, user: number, depth: number): Ranking {
    let memo = this.memos.get(served);
    if (memo === undefined) {
      memo = new LRUCache<number, Ranking>({ max: this.maxUsers });
      this.memos.set(served, memo);
    }
    let ranking = memo.get(user);
    if (ranking === undefined || ranking.depth < depth) {
      // Throws ModelError COLD_START for a user the model cannot rank, as the direct call would.
      const top = served.model.recommend(user, depth, { excludeSeen: true });
      ranking = { items: top.items, scores: top.scores, depth };
      memo.set(user, ranking);
    }
    return ranking;
  }
}
