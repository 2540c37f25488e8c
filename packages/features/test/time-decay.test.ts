import { InteractionLogBuilder, interactionTypeCode } from '@recsys/data';
import { FeatureErrorCode, InteractionWeighting, halfLifeSeconds, timeDecay } from '../src';

const DAY = 86_400;

describe('timeDecay', () => {
  it('halves the weight every half-life', () => {
    expect(timeDecay(0, 7 * DAY)).toBe(1);
    expect(timeDecay(7 * DAY, 7 * DAY)).toBeCloseTo(0.5, 15);
    expect(timeDecay(14 * DAY, 7 * DAY)).toBeCloseTo(0.25, 15);
    expect(timeDecay(3.5 * DAY, 7 * DAY)).toBeCloseTo(Math.SQRT1_2, 15);
  });

  it('never weighs a future event above 1, and an infinite half-life never decays', () => {
    expect(timeDecay(-5 * DAY, 7 * DAY)).toBe(1);
    expect(timeDecay(1e9, Number.POSITIVE_INFINITY)).toBe(1);
  });

  it('rejects a half-life that is not positive', () => {
    expect(halfLifeSeconds(2)).toBe(2 * DAY);
    for (const bad of [0, -1, Number.NaN])
      expect(() => halfLifeSeconds(bad)).toThrow(
        expect.objectContaining({ code: FeatureErrorCode.BAD_OPTION }),
      );
  });
});

describe('InteractionWeighting with a half-life', () => {
  const click = interactionTypeCode('CLICK');
  const purchase = interactionTypeCode('PURCHASE');
  const t0 = 1_700_000_000;
  const b = new InteractionLogBuilder();
  b.push(0, 0, Number.NaN, t0, click); // 14 days before the latest event
  b.push(0, 1, Number.NaN, t0 + 7 * DAY, purchase); // 7 days before
  b.push(1, 1, Number.NaN, t0 + 14 * DAY, click); // the latest
  const log = b.build();

  it('decays each event by its age at the latest timestamp (type weights CLICK 2, PURCHASE 5)', () => {
    const w = InteractionWeighting.fit([], { halfLifeDays: 7 });
    expect(Array.from(w.weights(log))).toEqual([0.5, 2.5, 2]);
    // Another reference time: one more half-life on every event.
    expect(Array.from(w.weights(log, undefined, t0 + 21 * DAY))).toEqual([0.25, 1.25, 1]);
    expect(w.weight(click, Number.NaN, 7 * DAY)).toBe(1);
  });

  it('without a half-life the weights do not depend on time', () => {
    const w = InteractionWeighting.fit([]);
    expect(w.halfLifeDays).toBeNull();
    expect(Array.from(w.weights(log))).toEqual([2, 5, 2]);
  });

  it('saves the half-life and reads states saved before it existed as no decay', () => {
    const w = InteractionWeighting.fit([], { halfLifeDays: 3 });
    const back = InteractionWeighting.fromJSON(JSON.parse(JSON.stringify(w.toJSON())));
    expect(back.halfLifeDays).toBe(3);
    expect(back.timeWeight(3 * DAY)).toBeCloseTo(0.5, 15);
    const old = w.toJSON();
    delete old.halfLifeDays;
    expect(InteractionWeighting.fromJSON(old).timeWeight(30 * DAY)).toBe(1);
    expect(() => InteractionWeighting.fromJSON({ ...w.toJSON(), halfLifeDays: -1 })).toThrow(
      expect.objectContaining({ code: FeatureErrorCode.BAD_STATE }),
    );
    expect(() => InteractionWeighting.fit([], { halfLifeDays: 0 })).toThrow(
      expect.objectContaining({ code: FeatureErrorCode.BAD_OPTION }),
    );
  });
});
