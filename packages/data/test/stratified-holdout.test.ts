import { applySplit } from '../src/splits/split';
import { stratifiedHoldout } from '../src/splits/stratified-holdout';
import { ml100kLog, tinyLog } from './helpers/ml100k';
import { expectPartition, perUserCounts } from './helpers/split-checks';

const ml = ml100kLog();
const log = ml.log;
const N = log.length;

describe('stratifiedHoldout', () => {
  const split = stratifiedHoldout(log, { testFraction: 0.25, seed: 7 });

  it('partitions the events', () => expectPartition(split, N));

  it('keeps round-half-even(0.75 × n_u) of each user’s events in train, as python_stratified_split', () => {
    const all = perUserCounts(
      log,
      Int32Array.from({ length: N }, (_, e) => e),
      ml.users.size,
    );
    const test = perUserCounts(log, split.test, ml.users.size);
    // numpy/Python round half to even: 0.75 × 2 = 1.5 → 2 in train, 0.75 × 6 = 4.5 → 4.
    const halfEven = (x: number): number => (x % 1 === 0.5 ? 2 * Math.round(x / 2) : Math.round(x));
    const expected = Array.from(all, (n) => Math.min(n - halfEven(0.75 * n), n - 1));
    expect(Array.from(test)).toEqual(expected);
    expect(split.test.length).toBe(expected.reduce((a, b) => a + b, 0));
    expect(Math.abs(split.test.length / N - 0.25)).toBeLessThan(0.005);
  });

  it('rounds a user with 2 and 6 events as numpy does', () => {
    const tiny = {
      length: 8,
      users: Int32Array.from([0, 0, 1, 1, 1, 1, 1, 1]),
      items: Int32Array.from([0, 1, 0, 1, 2, 3, 4, 5]),
      values: new Float32Array(8),
      timestamps: new Float64Array(8),
      types: new Uint8Array(8),
    };
    const s = stratifiedHoldout(tiny, { testFraction: 0.25, seed: 1 });
    const perUser = [0, 0];
    for (const e of s.test) perUser[tiny.users[e]]++;
    expect(perUser).toEqual([0, 2]);
  });

  it('is reproducible for a seed and differs for another', () => {
    expect(stratifiedHoldout(log, { testFraction: 0.25, seed: 7 }).test).toEqual(split.test);
    const other = stratifiedHoldout(log, { testFraction: 0.25, seed: 8 }).test;
    expect(other.length).toBe(split.test.length);
    expect(other).not.toEqual(split.test);
  });

  it('keeps a one-event user in train and honours minUserEvents', () => {
    const small = tinyLog([
      [0, 0, 1],
      [1, 0, 1],
      [1, 1, 2],
      [1, 2, 3],
      [1, 3, 4],
      [2, 0, 1],
      [2, 1, 1],
    ]);
    const s = stratifiedHoldout(small, { testFraction: 0.5, seed: 1 });
    expectPartition(s, small.length);
    expect(Array.from(perUserCounts(small, s.test, 3))).toEqual([0, 2, 1]);
    const m = stratifiedHoldout(small, { testFraction: 0.5, seed: 1, minUserEvents: 3 });
    expect(Array.from(perUserCounts(small, m.test, 3))).toEqual([0, 2, 0]);
  });

  it('applySplit builds the two logs', () => {
    const { train, test } = applySplit(log, split);
    expect(train.length + test.length).toBe(N);
    const e = split.test[10];
    expect([test.users[10], test.items[10], test.values[10], test.timestamps[10]]).toEqual([
      log.users[e],
      log.items[e],
      log.values[e],
      log.timestamps[e],
    ]);
  });
});
