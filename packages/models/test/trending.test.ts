import { IdMap, InteractionLogBuilder, interactionTypeCode, type InteractionDataset } from '@recsys/data';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ModelErrorCode, TrendingModel } from '../src';
import { describeModelContract } from './support/contract-suite';

describeModelContract('trending', () => new TrendingModel(), {
  personalized: false,
  servesColdUsers: true,
});

const DAY = 86_400;
const T = 1_700_000_000;

/** Events as [user, item, type, age in days before T]. */
function dataset(events: [number, number, string, number][], nItems = 3): InteractionDataset {
  const log = new InteractionLogBuilder();
  for (const [u, i, type, ageDays] of events)
    log.push(u, i, Number.NaN, T - ageDays * DAY, interactionTypeCode(type));
  return {
    name: 'events',
    users: IdMap.from(['a', 'b', 'c']),
    items: IdMap.from(Array.from({ length: nItems }, (_, i) => `s${i}`)),
    log: log.build(),
  };
}

describe('trending', () => {
  it('decays each event by 2^(-age / half-life) from the latest training event', async () => {
    // item 0: events 0 and 14 days old -> 1 + 1/4; item 1: one event 7 days old -> 1/2; item 2: 3.5 days -> 2^-0.5.
    const data = dataset([
      [0, 0, 'VIEW', 0],
      [1, 0, 'VIEW', 14],
      [2, 1, 'VIEW', 7],
      [0, 2, 'VIEW', 3.5],
    ]);
    const model = await new TrendingModel().fit(data, { halfLifeDays: 7 });
    const s = model.itemScores();
    expect(s[0]).toBeCloseTo(1.25, 6);
    expect(s[1]).toBeCloseTo(0.5, 6);
    expect(s[2]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(model.referenceTime()).toBe(T);
    expect(Array.from(model.recommend(2, 3, { excludeSeen: false }).items)).toEqual([0, 2, 1]);
  });

  it('weighs events by type, and keeps its reference time through save and load', async () => {
    const data = dataset([
      [0, 0, 'PURCHASE', 7],
      [1, 1, 'VIEW', 0],
      [2, 1, 'IMPRESSION', 0],
    ]);
    const model = await new TrendingModel().fit(data, {
      halfLifeDays: 7,
      typeWeights: { PURCHASE: 4, IMPRESSION: 0 },
    });
    expect(model.itemScores()[0]).toBeCloseTo(2, 6); // 4 · 1/2
    expect(model.itemScores()[1]).toBeCloseTo(1, 6); // the impression is left out
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trending-'));
    try {
      await model.save(dir);
      const loaded = await new TrendingModel().loadFrom(dir);
      expect(loaded.referenceTime()).toBe(T);
      expect(loaded.itemScores()).toEqual(model.itemScores());
      expect(loaded.params.typeWeights).toEqual({ PURCHASE: 4, IMPRESSION: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lists trending items within a filter (e.g. one category)', async () => {
    const data = dataset([
      [0, 0, 'VIEW', 0],
      [1, 1, 'VIEW', 1],
      [2, 2, 'VIEW', 2],
    ]);
    const model = await new TrendingModel().fit(data);
    expect(Array.from(model.trending(2).items)).toEqual([0, 1]);
    expect(Array.from(model.trending(5, Uint8Array.from([0, 1, 1])).items)).toEqual([1, 2]);
  });

  it('rejects unknown interaction types and non-positive half-lives as INVALID_PARAMS', async () => {
    const data = dataset([[0, 0, 'VIEW', 0]]);
    await expect(new TrendingModel().fit(data, { typeWeights: { LIKE: 2 } })).rejects.toMatchObject({
      code: ModelErrorCode.INVALID_PARAMS,
      message: expect.stringContaining('typeWeights'),
    });
    await expect(new TrendingModel().fit(data, { halfLifeDays: 0 })).rejects.toMatchObject({
      code: ModelErrorCode.INVALID_PARAMS,
    });
  });
});
