import {
  IdMap,
  InteractionLogBuilder,
  interactionTypeCode,
  Rng,
  type InteractionDataset,
} from '@recsys/data';
import { ModelErrorCode, NmfModel } from '../src';
import { nmfEpoch, type NmfRates, type NmfTrainingState } from '../src/models/nmf';
import { describeModelContract } from './support/contract-suite';

const SMALL = { nFactors: 4, nEpochs: 200, regPu: 0.02, regQi: 0.02 };

// personalized: false for the block dataset, whose ratings cannot carry its known answer to a rating
// model (see svd.test.ts); the taste test below is the rating models' known answer.
describeModelContract('nmf', () => new NmfModel(), {
  params: SMALL,
  personalized: false,
  servesColdUsers: false,
});
describe('biased variant', () => {
  describeModelContract('nmf', () => new NmfModel(), {
    params: { ...SMALL, biased: true },
    personalized: false,
    servesColdUsers: false,
  });
});

/** Users 0..n-1 rate items 0..9 with 5 and 10..19 with 1, users n..2n-1 the reverse; one liked and one disliked item left out each. */
function tasteDataset(n = 10): InteractionDataset {
  const users = IdMap.from(Array.from({ length: 2 * n }, (_, u) => `u${u}`));
  const items = IdMap.from(Array.from({ length: 20 }, (_, i) => `i${i}`));
  const log = new InteractionLogBuilder();
  for (let u = 0; u < 2 * n; u++) {
    const [liked, disliked] = missingOf(u, n);
    for (let i = 0; i < 20; i++) {
      if (i !== liked && i !== disliked)
        log.push(u, i, i < 10 === u < n ? 5 : 1, 1_700_000_000 + i, interactionTypeCode('RATING'));
    }
  }
  return { name: 'taste', users, items, log: log.build() };
}

function missingOf(u: number, n = 10): [number, number] {
  const first = u % 10;
  const second = 10 + ((u + 3) % 10);
  return u < n ? [first, second] : [second, first];
}

function trainingState(biased: boolean): NmfTrainingState {
  return {
    nFactors: 2,
    mean: biased ? 3 : 0,
    bu: Float64Array.of(0),
    bi: Float64Array.of(0),
    pu: Float64Array.of(0.5, 0.2),
    qi: Float64Array.of(0.4, 0.6),
    userNum: new Float64Array(2),
    userDenom: new Float64Array(2),
    itemNum: new Float64Array(2),
    itemDenom: new Float64Array(2),
    userCounts: Int32Array.of(1),
    itemCounts: Int32Array.of(1),
  };
}

const ONE_RATING = {
  length: 1,
  users: Int32Array.of(0),
  items: Int32Array.of(0),
  values: Float64Array.of(4),
};

describe('nmf', () => {
  it("predicts each user's missing liked item high and missing disliked item low", async () => {
    const model = await new NmfModel().fit(tasteDataset(), SMALL);
    for (let u = 0; u < 20; u++) {
      const [liked, disliked] = missingOf(u);
      expect(model.predict(u, liked)).toBeGreaterThan(4);
      expect(model.predict(u, disliked)).toBeLessThan(2);
      expect(model.recommend(u, 1).items[0]).toBe(liked);
    }
    for (const item of model.similarItems(2, 5).items) expect(item).toBeLessThan(10);
  });

  it('takes one multiplicative step exactly as Surprise (hand-computed)', () => {
    const s = trainingState(false);
    const rates: NmfRates = {
      biased: false,
      regPu: 0.1,
      regQi: 0.2,
      regBu: 0.02,
      regBi: 0.02,
      lrBu: 0.005,
      lrBi: 0.005,
    };
    const sse = nmfEpoch(s, ONE_RATING, Int32Array.of(0), rates);
    // r̂ = 0.5·0.4 + 0.2·0.6 = 0.32; e = 3.68
    expect(sse).toBeCloseTo(13.5424, 12);
    // p_uf ← p_uf · q_if r / (q_if r̂ + λ_u |I_u| p_uf)
    expect(s.pu[0]).toBeCloseTo((0.5 * 0.4 * 4) / (0.4 * 0.32 + 0.1 * 0.5), 12); // 4.4944
    expect(s.pu[1]).toBeCloseTo((0.2 * 0.6 * 4) / (0.6 * 0.32 + 0.1 * 0.2), 12); // 2.2642
    // q_if ← q_if · p_uf r / (p_uf r̂ + λ_i |U_i| q_if), sums from the epoch's starting p_u
    expect(s.qi[0]).toBeCloseTo((0.4 * 0.5 * 4) / (0.5 * 0.32 + 0.2 * 0.4), 12); // 3.3333
    expect(s.qi[1]).toBeCloseTo((0.6 * 0.2 * 4) / (0.2 * 0.32 + 0.2 * 0.6), 12); // 2.6087
  });

  it('takes the SGD step on the biases in the biased variant', () => {
    const s = trainingState(true);
    const rates: NmfRates = {
      biased: true,
      regPu: 0.1,
      regQi: 0.2,
      regBu: 0.1,
      regBi: 0.2,
      lrBu: 0.01,
      lrBi: 0.02,
    };
    nmfEpoch(s, ONE_RATING, Int32Array.of(0), rates);
    // r̂ = 3 + 0 + 0 + 0.32 = 3.32; e = 0.68
    expect(s.bu[0]).toBeCloseTo(0.0068, 12); // 0 + 0.01 (0.68 - 0.1·0)
    expect(s.bi[0]).toBeCloseTo(0.0136, 12); // 0 + 0.02 (0.68 - 0.2·0)
    expect(s.pu[0]).toBeCloseTo((0.5 * 0.4 * 4) / (0.4 * 3.32 + 0.1 * 0.5), 12);
  });

  it('fits one rating for one epoch from the seeded uniform initialisation', async () => {
    const log = new InteractionLogBuilder();
    log.push(0, 0, 4, 1_700_000_000, interactionTypeCode('RATING'));
    const data: InteractionDataset = {
      name: 'one',
      users: IdMap.from(['a', 'b']),
      items: IdMap.from(['x', 'y']),
      log: log.build(),
    };
    const model = await new NmfModel().fit(data, {
      nFactors: 2,
      nEpochs: 1,
      seed: 9,
      regPu: 0.06,
      regQi: 0.06,
    });
    // Surprise's order of draws: every user's factors, then every item's, uniform in [0, 1).
    const rng = new Rng(9);
    const p = Array.from({ length: 4 }, () => rng.uniform(0, 1));
    const q = Array.from({ length: 4 }, () => rng.uniform(0, 1));
    const est = p[0] * q[0] + p[1] * q[1];
    for (let f = 0; f < 2; f++) {
      expect(model.userFactors[f]).toBeCloseTo((p[f] * q[f] * 4) / (q[f] * est + 0.06 * p[f]), 5);
      expect(model.itemFactors[f]).toBeCloseTo((q[f] * p[f] * 4) / (p[f] * est + 0.06 * q[f]), 5);
    }
    // The user and item without ratings: zero factors.
    expect(Array.from(model.userFactors.subarray(2))).toEqual([0, 0]);
    expect(Array.from(model.itemFactors.subarray(2))).toEqual([0, 0]);
  });

  it('is deterministic for a seed and keeps factors non-negative', async () => {
    const data = tasteDataset();
    const a = await new NmfModel().fit(data, { nFactors: 3, nEpochs: 5, seed: 9 });
    const b = await new NmfModel().fit(data, { nFactors: 3, nEpochs: 5, seed: 9 });
    const c = await new NmfModel().fit(data, { nFactors: 3, nEpochs: 5, seed: 10 });
    expect(b.itemFactors).toEqual(a.itemFactors);
    expect(c.itemFactors).not.toEqual(a.itemFactors);
    const trained = await new NmfModel().fit(data, SMALL);
    expect(Math.min(...trained.userFactors, ...trained.itemFactors)).toBeGreaterThanOrEqual(0);
  });

  it('answers unknown pairs with μ (plain) or μ + b_i (biased), as Surprise', async () => {
    const log = new InteractionLogBuilder();
    const rating = interactionTypeCode('RATING');
    for (const [u, i, r] of [
      [0, 0, 5],
      [0, 1, 3],
      [1, 0, 4],
      [1, 1, 2],
    ]) {
      log.push(u, i, r, 1_700_000_000, rating);
    }
    const data: InteractionDataset = {
      name: 'tiny',
      users: IdMap.from(['a', 'b', 'c']),
      items: IdMap.from(['x', 'y', 'z']),
      log: log.build(),
    };
    const plain = await new NmfModel().fit(data, { nFactors: 2, nEpochs: 10 });
    expect(plain.knowsUser(2)).toBe(false);
    expect(Array.from(plain.scoreAll(2))).toEqual([3.5, 3.5, 3.5]);
    expect(plain.predict(0, 2)).toBe(3.5);
    expect(() => plain.recommend(2, 1)).toThrow(expect.objectContaining({ code: ModelErrorCode.COLD_START }));
    const biased = await new NmfModel().fit(data, { nFactors: 2, nEpochs: 10, biased: true });
    expect(biased.predict(2, 1)).toBeCloseTo(3.5 + biased.itemBiases[1], 6);
    expect(biased.predict(0, 2)).toBeCloseTo(3.5 + biased.userBiases[0], 6);
  });

  it('rejects an empty initialisation range', async () => {
    await expect(new NmfModel().fit(tasteDataset(), { initLow: 1, initHigh: 1 })).rejects.toMatchObject({
      code: ModelErrorCode.INVALID_PARAMS,
    });
  });
});
