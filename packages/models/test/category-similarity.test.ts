import { IdMap, InteractionLogBuilder, interactionTypeCode, type InteractionDataset } from '@recsys/data';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CategorySimilarityModel, ModelErrorCode } from '../src';
import { blockDataset } from './support/block-dataset';
import { describeModelContract } from './support/contract-suite';
import { itemSideData } from './support/side-data';

describeModelContract('category-similarity', () => new CategorySimilarityModel(), {
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
      itemSide: itemSideData({
        categories: [['A', 'B', 'B'], ['B'], ['C']],
        tags: [['x'], ['x', 'y', 'z'], []],
      }),
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
    await expect(
      new CategorySimilarityModel().fit({ ...blockDataset(), itemSide: undefined }),
    ).rejects.toMatchObject({
      code: ModelErrorCode.FIT_FAILED,
    });
  });
});
