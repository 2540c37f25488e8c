import { createTestDatabase, importDatasetRows, type TestDatabase } from '@recsys/db';
import type { InteractionDataset } from '../src/dataset/dataset';
import { buildDatasetFromRows } from '../src/dataset/build-from-rows';
import { loadDatasetFromPostgres } from '../src/dataset/load-from-postgres';
import { interactionTypeCode } from '../src/interactions/interaction-log';
import { T0, tinyDatasetRows } from './helpers/tiny-rows';

/** The events as comparable tuples keyed by external ids, in log order. */
function eventsById(ds: InteractionDataset): [string, string, number, number, number][] {
  const out: [string, string, number, number, number][] = [];
  for (let e = 0; e < ds.log.length; e++) {
    out.push([
      ds.users.idAt(ds.log.users[e]),
      ds.items.idAt(ds.log.items[e]),
      ds.log.values[e],
      ds.log.timestamps[e],
      ds.log.types[e],
    ]);
  }
  return out;
}

describe('loadDatasetFromPostgres', () => {
  let db: TestDatabase;
  let expected: InteractionDataset;

  beforeAll(async () => {
    db = await createTestDatabase();
    await importDatasetRows(db.pool, tinyDatasetRows(), { datasetId: 'tiny', source: 'test' });
    expected = await buildDatasetFromRows('tiny', tinyDatasetRows());
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('reads back the events that were imported, in insertion order', async () => {
    const progress: number[] = [];
    const ds = await loadDatasetFromPostgres(db.pool, 'tiny', {
      onProgress: (n) => progress.push(n),
      progressEvery: 4,
    });
    expect(ds.name).toBe('tiny');
    expect(ds.log.length).toBe(6);
    expect(eventsById(ds)).toEqual(eventsById(expected));
    expect(progress).toEqual([4, 6]);
    // users and services are streamed ordered by id
    expect(ds.users.toJSON()).toEqual(['u1', 'u2', 'u3']);
    expect(ds.items.toJSON()).toEqual(['svc-a', 'svc-b', 'svc-c']);
  });

  it('reads back the side data', async () => {
    const ds = await loadDatasetFromPostgres(db.pool, 'tiny');
    const item = ds.itemSide;
    const user = ds.userSide;
    if (!item || !user) throw new Error('side data missing');
    expect(item.titles).toEqual(['GPT Image', 'Mistral Large', 'Whisper']);
    expect(item.descriptions).toEqual([null, 'chat model', null]);
    expect(Array.from(item.retired)).toEqual([1, 0, 0]);
    expect(Array.from(item.freeTier)).toEqual([1, 0, 0]);
    expect(Array.from(item.pricesUsd)).toEqual([NaN, 8, NaN]);
    expect(Array.from(item.priceTiers)).toEqual([3, 2, 0]);
    // Every provider, ordered by id like users and services (also the one without services).
    expect(item.providerVocab.toJSON()).toEqual(['cohere', 'mistral', 'openai']);
    expect(Array.from(item.providers)).toEqual([2, 1, -1]);
    expect(item.categories.vocab.toJSON()).toEqual(['image', 'chat', 'code']);
    expect(Array.from(item.categories.offsets)).toEqual([0, 1, 3, 3]);
    expect(Array.from(item.createdAt)).toEqual([T0 / 1000 + 1, T0 / 1000, T0 / 1000 + 2]);
    expect(Array.from(user.roles)).toEqual([1, 0, 0]);
    expect(Array.from(user.ages)).toEqual([NaN, 31, NaN]);
    expect(Array.from(user.createdAt)).toEqual([T0 / 1000 + 5, T0 / 1000, T0 / 1000 + 6]);
  });

  it('filters by time and type', async () => {
    const before = await loadDatasetFromPostgres(db.pool, 'tiny', { beforeMs: T0 + 13_000 });
    expect(before.log.length).toBe(3);
    expect(Array.from(before.log.timestamps)).toEqual([10, 11, 12].map((s) => T0 / 1000 + s));
    const ratings = await loadDatasetFromPostgres(db.pool, 'tiny', { types: ['RATING'] });
    expect(Array.from(ratings.log.values)).toEqual([4.5, 3]);
    expect(Array.from(ratings.log.types)).toEqual([
      interactionTypeCode('RATING'),
      interactionTypeCode('RATING'),
    ]);
  });

  it('fails on an unknown dataset', async () => {
    await expect(loadDatasetFromPostgres(db.pool, 'nope')).rejects.toThrow('no dataset "nope"');
  });
});
