import { IdMap, InteractionLogBuilder, interactionTypeCode, type InteractionDataset } from '@recsys/data';
import { ctrSplit } from '@recsys/deep';
import { createModel, PopularityModel } from '@recsys/models';
import {
  DEFAULT_PROTOCOL_OPTIONS,
  evaluateModel,
  isProtocolName,
  loadDataset,
  supportsProtocol,
} from '../src';

/** 40 users × 5 items: every user rates items 0..3 (value 1..5 cycling) and clicks item 4 (no rating). */
function ratedAndClicked(): InteractionDataset {
  const users = IdMap.from(Array.from({ length: 40 }, (_, u) => `u${u}`));
  const items = IdMap.from(['a', 'b', 'c', 'd', 'e']);
  const log = new InteractionLogBuilder();
  let t = 1_700_000_000;
  for (let u = 0; u < 40; u++) {
    for (let i = 0; i < 4; i++) log.push(u, i, 1 + ((u + i) % 5), t++, interactionTypeCode('RATING'));
    log.push(u, 4, Number.NaN, t++, interactionTypeCode('CLICK'));
  }
  return { name: 'tiny', users, items, log: log.build() };
}

describe('the ctr protocol', () => {
  it('is a known protocol that only the feature models run', () => {
    expect(isProtocolName('ctr')).toBe(true);
    for (const name of ['lr', 'fm', 'wide-deep', 'nfm', 'dcn-v2'])
      expect(supportsProtocol(createModel(name), 'ctr')).toBe(true);
    for (const name of ['popularity', 'als', 'neumf'])
      expect(supportsProtocol(createModel(name), 'ctr')).toBe(false);
  });

  it('splits the rated events 80/10/10, disjoint, deterministic from the seed', () => {
    const data = ratedAndClicked();
    const split = ctrSplit(data, { seed: 7 });
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([128, 16, 16]);
    const all = [...split.train, ...split.validation, ...split.test].sort((a, b) => a - b);
    const rated = Array.from({ length: data.log.length }, (_, e) => e).filter((e) => e % 5 !== 4);
    expect(all).toEqual(rated); // every rated event once, no click
    expect(ctrSplit(data, { seed: 7 })).toEqual(split);
    expect(ctrSplit(data, { seed: 8 }).test).not.toEqual(split.test);
    for (const part of [split.train, split.validation, split.test])
      for (let k = 1; k < part.length; k++) expect(part[k]).toBeGreaterThan(part[k - 1]);
  });

  it('refuses a model without the ctr contract with a clear message', async () => {
    await expect(
      evaluateModel(ratedAndClicked(), () => new PopularityModel(), {
        protocol: 'ctr',
        options: DEFAULT_PROTOCOL_OPTIONS,
      }),
    ).rejects.toThrow(
      'model "popularity" does not predict click-through from features, so it cannot run the ctr protocol',
    );
  });

  it('scores logistic regression on ML-100K: AUC and log loss of the 10,000 test ratings', async () => {
    const ml = await loadDataset('ml-100k');
    const result = await evaluateModel(ml, () => createModel('lr'), {
      protocol: 'ctr',
      options: DEFAULT_PROTOCOL_OPTIONS,
      params: { epochs: 2, learningRate: 0.01 },
    });
    expect(result).toMatchObject({ protocol: 'ctr', model: 'lr', folds: 1, evaluated: 10_000, fallbacks: 0 });
    // Two epochs of LR at 0.01 measured AUC 0.7791, log loss 0.5588 (the wasm backend); a constant
    // prediction scores 0.5 and ≈ 0.687 (55.4% of ML-100K's ratings are ≥ 4).
    expect(result.metrics.auc).toBeGreaterThan(0.775);
    expect(result.metrics.logloss).toBeLessThan(0.565);
    expect(result.backend).toMatch(/^tfjs-/);
  });
});
