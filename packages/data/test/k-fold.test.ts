import { kFold } from '../src/splits/k-fold';
import { ml100kLog, tinyLog } from './helpers/ml100k';
import { expectPartition } from './helpers/split-checks';

const ml = ml100kLog();
const log = ml.log;
const N = log.length;

describe('kFold', () => {
  const folds = kFold(log, { k: 5, seed: 3 });

  it('covers every event exactly once across the test folds', () => {
    expect(folds).toHaveLength(5);
    const inTest = new Uint8Array(N);
    for (const f of folds) {
      expectPartition(f, N);
      expect(f.test.length).toBe(20000);
      for (const e of f.test) inTest[e]++;
    }
    expect(inTest.every((c) => c === 1)).toBe(true);
  });

  it('is reproducible for a seed and differs for another', () => {
    expect(kFold(log, { k: 5, seed: 3 })[2].test).toEqual(folds[2].test);
    expect(kFold(log, { k: 5, seed: 4 })[2].test).not.toEqual(folds[2].test);
  });

  it('sizes uneven folds within one and rejects a bad k', () => {
    const sizes = kFold(
      tinyLog([
        [0, 0, 0],
        [0, 1, 0],
        [0, 2, 0],
        [0, 3, 0],
        [0, 4, 0],
      ]),
      { k: 3, seed: 1 },
    ).map((f) => f.test.length);
    expect(sizes.sort()).toEqual([1, 2, 2]);
    expect(() => kFold(log, { k: 1, seed: 1 })).toThrow(RangeError);
  });
});
