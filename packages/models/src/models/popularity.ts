import { z } from 'zod';
import type { InteractionDataset } from '@recsys/data';
import type { FitContext, ModelInfo, ScoredItems } from '../contract/recommender';
import { BaseRecommender, type ModelState } from '../core/base-recommender';
import { stateArray } from '../core/state-arrays';
import { topK } from '../core/top-k';

const paramsSchema = z.object({
  /** Count distinct users (true) or every event (false). */
  distinctUsers: z.boolean().default(true),
});

/**
 * Most-popular baseline: an item's score is the number of distinct users who interacted with it in
 * training (or the number of events). The same list for everyone: the cold-start answer and the floor
 * every personalised model must clear.
 */
export class PopularityModel extends BaseRecommender<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'popularity',
    task: 'ranking',
    input: 'matrix',
    summary: 'Most popular items in the training data',
    reference:
      'Cremonesi, Koren, Turrin 2010, "Performance of recommender algorithms on top-N tasks" (TopPop)',
  };
  protected readonly stateVersion = 1;
  protected readonly paramsSchema = paramsSchema;
  private counts: Float32Array = new Float32Array(0);

  protected async train(
    dataset: InteractionDataset,
    params: z.output<typeof paramsSchema>,
    _ctx: FitContext,
  ): Promise<void> {
    const counts = new Float32Array(dataset.items.size);
    if (params.distinctUsers) {
      const seen = this.seen;
      for (let j = 0; j < seen.indices.length; j++) counts[seen.indices[j]]++;
    } else {
      const items = dataset.log.items;
      for (let e = 0; e < items.length; e++) counts[items[e]]++;
    }
    this.counts = counts;
  }

  /** Popularity ignores the user, so a cold user gets the same (valid) answer. */
  override knowsUser(user: number): boolean {
    return user >= 0 && user < this.nUsers;
  }

  scoreAll(user: number, out: Float32Array = new Float32Array(this.nItems)): Float32Array {
    this.checkUser(user);
    out.set(this.counts);
    return out;
  }

  /** Popularity has no notion of similarity: the most popular other items. */
  similarItems(item: number, k: number): ScoredItems {
    this.checkItem(item);
    const scores = Float32Array.from(this.counts);
    scores[item] = -Infinity;
    return topK(scores, k);
  }

  /** Training counts per item (number of users or events). */
  itemCounts(): Float32Array {
    return this.counts;
  }

  protected exportState(): ModelState {
    return { arrays: { counts: this.counts } };
  }

  protected importState(state: ModelState): void {
    this.counts = stateArray(this.info.name, state, 'counts', 'float32', this.nItems);
  }
}
