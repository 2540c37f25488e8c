import { eventsByUser } from '../src/sequences/user-events';
import { sequenceOf, userSequences } from '../src/sequences/user-sequences';
import { ml100kLog, tinyLog } from './helpers/ml100k';

describe('userSequences', () => {
  it('orders each user by time, equal timestamps in log order', () => {
    const log = tinyLog([
      [1, 10, 50], // e0
      [0, 11, 30], // e1
      [1, 12, 20], // e2
      [1, 13, 50], // e3 ties e0 -> after it
      [0, 14, 10], // e4
      [1, 15, 20], // e5 ties e2 -> after it
    ]);
    const s = userSequences(log, 3);
    expect(Array.from(s.indptr)).toEqual([0, 2, 6, 6]);
    expect(Array.from(s.events)).toEqual([4, 1, 2, 5, 0, 3]);
    expect(Array.from(s.items)).toEqual([14, 11, 12, 15, 10, 13]);
    expect(Array.from(s.timestamps)).toEqual([10, 30, 20, 20, 50, 50]);
    expect(Array.from(sequenceOf(s, 1).items)).toEqual([12, 15, 10, 13]);
    expect(sequenceOf(s, 2).items.length).toBe(0);
    expect(() => sequenceOf(s, 3)).toThrow(RangeError);
  });

  it('holds every MovieLens 100K event once, each user non-decreasing in time', () => {
    const { log, users } = ml100kLog();
    const s = userSequences(log, users.size);
    expect(s.events.length).toBe(100000);
    const seen = new Uint8Array(100000);
    let problems = 0;
    for (let u = 0; u < users.size; u++) {
      for (let k = s.indptr[u]; k < s.indptr[u + 1]; k++) {
        const e = s.events[k];
        seen[e]++;
        if (log.users[e] !== u || s.items[k] !== log.items[e] || s.timestamps[k] !== log.timestamps[e])
          problems++;
        if (k > s.indptr[u]) {
          const prev = s.events[k - 1];
          if (s.timestamps[k] < s.timestamps[k - 1] || (s.timestamps[k] === s.timestamps[k - 1] && e < prev))
            problems++;
        }
      }
    }
    expect(problems).toBe(0);
    expect(seen.every((c) => c === 1)).toBe(true);
  });

  it('eventsByUser groups in log order', () => {
    const g = eventsByUser(
      tinyLog([
        [1, 0, 0],
        [0, 0, 0],
        [1, 0, 0],
      ]),
    );
    expect(Array.from(g.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(g.events)).toEqual([1, 0, 2]);
  });
});
