import type { InteractionRow } from '@recsys/db';
import { buildDatasetFromRows } from '../src/dataset/build-from-rows';
import { interactionTypeCode } from '../src/interactions/interaction-log';
import { T0, tinyDatasetRows, tinyInteractions, tinyServices } from './helpers/tiny-rows';

async function* asAsync<T>(rows: readonly T[]): AsyncGenerator<T> {
  for (const r of rows) yield r;
}

describe('buildDatasetFromRows', () => {
  it('maps ids in stream order and fills the log', async () => {
    const ds = await buildDatasetFromRows('tiny', tinyDatasetRows());
    expect(ds.name).toBe('tiny');
    expect(ds.users.toJSON()).toEqual(['u2', 'u1', 'u3']);
    expect(ds.items.toJSON()).toEqual(['svc-b', 'svc-a', 'svc-c']);
    const { log } = ds;
    expect(log.length).toBe(6);
    expect(Array.from(log.users)).toEqual([1, 0, 1, 2, 0, 1]);
    expect(Array.from(log.items)).toEqual([1, 0, 0, 2, 1, 1]);
    expect(Array.from(log.values)).toEqual([NaN, 4.5, NaN, 20, NaN, 3]);
    expect(Array.from(log.timestamps)).toEqual([10, 11, 12, 13, 14, 15].map((s) => T0 / 1000 + s));
    expect(Array.from(log.types)).toEqual(
      ['VIEW', 'RATING', 'CLICK', 'PURCHASE', 'API_CALL', 'RATING'].map(interactionTypeCode),
    );
  });

  it('fills item and user side data', async () => {
    const ds = await buildDatasetFromRows('tiny', tinyDatasetRows());
    const item = ds.itemSide;
    const user = ds.userSide;
    if (!item || !user) throw new Error('side data missing');
    expect(item.titles).toEqual(['Mistral Large', 'GPT Image', 'Whisper']);
    expect(item.descriptions).toEqual(['chat model', null, null]);
    expect(item.categories.vocab.toJSON()).toEqual(['chat', 'code', 'image']);
    expect(Array.from(item.categories.offsets)).toEqual([0, 2, 3, 3]);
    expect(Array.from(item.categories.values)).toEqual([0, 1, 2]);
    expect(item.tags.vocab.toJSON()).toEqual(['eu', 'audio']);
    expect(Array.from(item.tags.offsets)).toEqual([0, 1, 1, 3]);
    expect(Array.from(item.tags.values)).toEqual([0, 1, 0]);
    expect(item.providerVocab.toJSON()).toEqual(['openai', 'mistral', 'cohere']);
    expect(Array.from(item.providers)).toEqual([1, 0, -1]);
    expect(Array.from(item.pricingModels)).toEqual([1, 2, 1]); // PAY_AS_YOU_GO, SUBSCRIPTION, default
    expect(Array.from(item.priceTiers)).toEqual([2, 3, 0]);
    expect(Array.from(item.pricesUsd)).toEqual([8, NaN, NaN]);
    expect(Array.from(item.freeTier)).toEqual([0, 1, 0]);
    expect(Array.from(item.retired)).toEqual([0, 1, 0]);
    expect(Array.from(item.createdAt)).toEqual([T0 / 1000, T0 / 1000 + 1, T0 / 1000 + 2]);
    expect(Array.from(user.roles)).toEqual([0, 1, 0]);
    expect(Array.from(user.ages)).toEqual([31, NaN, NaN]);
    expect(user.genderVocab.toJSON()).toEqual(['F']);
    expect(Array.from(user.genders)).toEqual([0, -1, -1]);
    expect(user.occupationVocab.toJSON()).toEqual(['engineer', 'writer']);
    expect(Array.from(user.occupations)).toEqual([0, 1, -1]);
    expect(Array.from(user.countries)).toEqual([0, -1, -1]);
    expect(Array.from(user.createdAt)).toEqual([T0 / 1000, T0 / 1000 + 5, T0 / 1000 + 6]);
  });

  it('takes async streams, appends ids only interactions mention, and omits absent side data', async () => {
    const extra: InteractionRow = {
      userId: 'u9',
      serviceId: 'svc-z',
      type: 'VIEW',
      occurredAtMs: T0,
      idempotencyKey: 'x',
    };
    const ds = await buildDatasetFromRows('async', {
      services: asAsync(tinyServices),
      interactions: asAsync([...tinyInteractions, extra]),
    });
    expect(ds.items.toJSON()).toEqual(['svc-b', 'svc-a', 'svc-c', 'svc-z']);
    expect(ds.users.toJSON()).toEqual(['u1', 'u2', 'u3', 'u9']);
    expect(ds.userSide).toBeUndefined();
    expect(ds.itemSide?.titles[3]).toBe('svc-z');
    expect(ds.itemSide?.providers[3]).toBe(-1);
    expect(Array.from(ds.itemSide?.categories.offsets ?? [])).toEqual([0, 2, 3, 3, 3]);
    expect(ds.log.length).toBe(7);
  });

  it('rejects a repeated service id', async () => {
    await expect(
      buildDatasetFromRows('dup', { services: [...tinyServices, { id: 'svc-a', name: 'again' }] }),
    ).rejects.toThrow('duplicate service id "svc-a"');
  });
});
