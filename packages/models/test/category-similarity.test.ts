import {
  IdMap,
  InteractionLogBuilder,
  interactionTypeCode,
  type InteractionDataset,
  type ItemSideData,
  type MultiValueColumn,
} from '@recsys/data';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CategorySimilarityModel, ModelErrorCode } from '../src';
import { blockDataset } from './support/block-dataset';
import { describeModelContract } from './support/contract-suite';

/** A multi-value column from one list of names per item. */
function column(rows: string[][]): MultiValueColumn {
  const vocab = IdMap.from(rows.flat());
  const offsets = Int32Array.from([0, ...rows.map((_, r) => rows.slice(0, r + 1).flat().length)]);
  return { vocab, offsets, values: Int32Array.from(rows.flat(), (name) => vocab.indexOf(name) as number) };
}

/** Catalog data with the given categories and tags (other fields neutral). */
function side(categories: string[][], tags: string[][]): ItemSideData {
  const n = categories.length;
  return {
    titles: categories.map((_, i) => `service ${i}`),
    descriptions: new Array<null>(n).fill(null),
    categories: column(categories),
    tags: column(tags),
    providers: new Int32Array(n).fill(-1),
    providerVocab: new IdMap(),
    pricingModels: new Uint8Array(n),
    priceTiers: new Uint8Array(n),
    pricesUsd: new Float32Array(n).fill(Number.NaN),
    freeTier: new Uint8Array(n),
    retired: new Uint8Array(n),
    createdAt: new Float64Array(n),
  };
}

/** The block dataset's two item groups get disjoint categories and tags. */
function blockSide(nItems: number): ItemSideData {
  const ids = Array.from({ length: nItems }, (_, i) => i);
  const a = (i: number): boolean => i < nItems / 2;
  return side(
    ids.map((i) => (a(i) ? ['vision'] : ['speech'])),
    ids.map((i) => (a(i) ? ['images', `v${i % 3}`] : ['audio', `s${i % 3}`])),
  );
}

/** The model under the shared contract: fits the block dataset with blockSide as its catalog. */
class BlockCategoryModel extends CategorySimilarityModel {
  override fit(
    dataset: InteractionDataset,
    params?: unknown,
    context?: Parameters<CategorySimilarityModel['fit']>[2],
  ): Promise<this> {
    return super.fit(
      dataset.itemSide ? dataset : { ...dataset, itemSide: blockSide(dataset.items.size) },
      params,
      context,
    );
  }
}

describeModelContract('category-similarity', () => new BlockCategoryModel(), {
  personalized: true,
  servesColdUsers: false,
});

describe('category-similarity', () => {
  // Item 0: categories {A, B} (B listed twice), tags {x}; item 1: {B}, {x, y, z}; item 2: {C}, {}.
  // J_cat(0,1) = 1/2, J_tag(0,1) = 1/3; nothing shared with item 2.
  const data = (): InteractionDataset => {
    const log = new InteractionLogBuilder();
    const rating = interactionTypeCode('RATING');
    log.push(0, 0, 4, 1, rating);
    log.push(0, 2, 2, 2, rating);
    log.push(1, 1, 5, 3, rating);
    return {
      name: 'catalog',
      users: IdMap.from(['u0', 'u1']),
      items: IdMap.from(['s0', 's1', 's2']),
      log: log.build(),
      itemSide: side([['A', 'B', 'B'], ['B'], ['C']], [['x'], ['x', 'y', 'z'], []]),
    };
  };

  it('combines the Jaccard indexes of category and tag sets with their weights', async () => {
    const even = await new CategorySimilarityModel().fit(data());
    expect(even.similarities(0)[1]).toBeCloseTo((1 / 2 + 1 / 3) / 2, 6);
    expect(even.similarities(0)[2]).toBe(0);
    expect(Array.from(even.similarItems(0, 5).items)).toEqual([1]);
    const weighted = await new CategorySimilarityModel().fit(data(), { categoryWeight: 3, tagWeight: 1 });
    expect(weighted.similarities(1)[0]).toBeCloseTo((3 / 2 + 1 / 3) / 4, 6);
  });

  it("scores an item by the (rating-weighted) mean similarity to the user's items", async () => {
    const binary = await new CategorySimilarityModel().fit(data());
    const s01 = (1 / 2 + 1 / 3) / 2;
    expect(binary.scoreAll(0)[1]).toBeCloseTo((s01 + 0) / 2, 6);
    const rated = await new CategorySimilarityModel().fit(data(), { feedback: 'rating' });
    expect(rated.scoreAll(0)[1]).toBeCloseTo((4 * s01 + 2 * 0) / 6, 6);
  });

  it('keeps rating weights through save and load', async () => {
    const rated = await new CategorySimilarityModel().fit(data(), { feedback: 'rating', tagWeight: 2 });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'category-similarity-'));
    try {
      await rated.save(dir);
      const loaded = await new CategorySimilarityModel().loadFrom(dir);
      expect(loaded.scoreAll(0)).toEqual(rated.scoreAll(0));
      expect(loaded.similarities(0)).toEqual(rated.similarities(0));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects zero total weight and data without side data', async () => {
    await expect(
      new CategorySimilarityModel().fit(data(), { categoryWeight: 0, tagWeight: 0 }),
    ).rejects.toMatchObject({
      code: ModelErrorCode.INVALID_PARAMS,
    });
    await expect(new CategorySimilarityModel().fit(blockDataset())).rejects.toMatchObject({
      code: ModelErrorCode.FIT_FAILED,
    });
  });
});
