import { leaveLastOut } from '../src/splits/leave-last-out';
import { ml100kLog, tinyLog } from './helpers/ml100k';
import { expectPartition } from './helpers/split-checks';

const ml = ml100kLog();
const log = ml.log;
const N = log.length;

describe('leaveLastOut', () => {
  it('takes each user’s latest event on MovieLens', () => {
    const split = leaveLastOut(log);
    expectPartition(split, N);
    expect(split.test.length).toBe(943); // every ML-100K user has ≥ 20 ratings
    const latest = new Float64Array(943).fill(-Infinity);
    for (let e = 0; e < N; e++) latest[log.users[e]] = Math.max(latest[log.users[e]], log.timestamps[e]);
    const testOf = new Int32Array(943).fill(-1);
    for (const e of split.test) {
      expect(testOf[log.users[e]]).toBe(-1);
      testOf[log.users[e]] = e;
    }
    expect(Array.from(testOf, (e) => log.timestamps[e])).toEqual(Array.from(latest));
    // ties at the latest time go to the greater event index
    let tieViolations = 0;
    for (let e = 0; e < N; e++)
      if (log.timestamps[e] === latest[log.users[e]] && e > testOf[log.users[e]]) tieViolations++;
    expect(tieViolations).toBe(0);
  });

  it('keeps single-event users in train and breaks ties by later index', () => {
    const small = tinyLog([
      [0, 0, 5],
      [1, 0, 3],
      [1, 1, 7],
      [1, 2, 7],
      [1, 3, 2],
    ]);
    const split = leaveLastOut(small, { seed: 1 });
    expect(Array.from(split.test)).toEqual([3]);
    expect(Array.from(split.train)).toEqual([0, 1, 2, 4]);
  });
});
