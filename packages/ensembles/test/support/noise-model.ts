import { z } from 'zod';
import { Rng, type InteractionDataset } from '@recsys/data';
import {
  BaseRecommender,
  ModelError,
  ModelErrorCode,
  registerModelFactory,
  topK,
  type ModelInfo,
  type ModelState,
  type ScoredItems,
} from '@recsys/models';

const paramsSchema = z.object({ seed: z.number().int().default(7) });

/** A base model whose scores are seeded noise: what a blend must learn to ignore. Test-only. */
export class NoiseModel extends BaseRecommender<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'test-noise',
    task: 'ranking',
    input: 'matrix',
    summary: 'uniform random scores (test fixture)',
    reference: 'none',
  };
  protected readonly stateVersion = 1;
  protected readonly paramsSchema = paramsSchema;
  private table = new Float32Array(0);

  protected async train(dataset: InteractionDataset, params: z.output<typeof paramsSchema>): Promise<void> {
    const rng = new Rng(params.seed);
    this.table = Float32Array.from({ length: dataset.users.size * dataset.items.size }, () => rng.next());
  }

  scoreAll(user: number, out: Float32Array = new Float32Array(this.nItems)): Float32Array {
    this.requireKnownUser(user);
    out.set(this.table.subarray(user * this.nItems, (user + 1) * this.nItems));
    return out;
  }

  similarItems(item: number, k: number): ScoredItems {
    this.checkItem(item);
    const scores = this.table.slice(0, this.nItems);
    scores[item] = -Infinity;
    return topK(scores, k);
  }

  protected exportState(): ModelState {
    return { arrays: { table: this.table } };
  }

  protected importState(state: ModelState): void {
    const table = state.arrays.table;
    if (!(table instanceof Float32Array) || table.length !== this.nUsers * this.nItems)
      throw new ModelError(ModelErrorCode.BAD_ARTIFACT, 'test-noise: bad table');
    this.table = new Float32Array(table);
  }
}

/** Registers `test-noise` once per test file (registering again replaces it, which is harmless). */
export function registerNoiseModel(): void {
  registerModelFactory('test-noise', () => new NoiseModel());
}
