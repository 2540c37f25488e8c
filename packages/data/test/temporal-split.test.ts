import { temporalSplit } from '../src/splits/temporal-split';
import { ml100kLog, tinyLog } from './helpers/ml100k';
import { expectPartition } from './helpers/split-checks';

const ml = ml100kLog();
const log = ml.log;
const N = log.length;

describe('temporalSplit', () => {
  const split = temporalSplit(log, { testFraction: 0.2 });

  it('puts the last 20% of events in test, all at or after every train event', () => {
    expectPartition(split, N);
    expect(split.test.length).toBe(20000);
    let maxTrain = -Infinity;
    for (const e of split.train) maxTrain = Math.max(maxTrain, log.timestamps[e]);
    let minTest = Infinity;
    for (const e of split.test) minTest = Math.min(minTest, log.timestamps[e]);
    expect(minTest).toBeGreaterThanOrEqual(maxTrain);
  });

  it('resolves ties at the cut by event index, later index to test', () => {
    const small = tinyLog([
      [0, 0, 5],
      [0, 1, 9],
      [1, 0, 5],
      [1, 1, 5],
      [2, 0, 1],
    ]);
    // 5 events × 0.4 = 2 test: the t=9 event and the latest-index t=5 event (3).
    expect(Array.from(temporalSplit(small, { testFraction: 0.4 }).test)).toEqual([1, 3]);
    expect(temporalSplit(small, { testFraction: 0 }).test.length).toBe(0);
  });
});
