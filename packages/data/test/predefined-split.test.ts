import path from 'node:path';
import { IdMap } from '../src/ids/id-map';
import { predefinedSplit } from '../src/splits/predefined-split';
import { datasetsDir } from '../src/sources/datasets-dir';
import { ml100kLog, readMl100kRatings, tinyLog } from './helpers/ml100k';
import { expectPartition } from './helpers/split-checks';

const ml = ml100kLog();
const log = ml.log;
const N = log.length;

describe('predefinedSplit', () => {
  const dataset = {
    name: 'tiny',
    users: IdMap.from(['u1', 'u2']),
    items: IdMap.from(['a', 'b', 'c']),
    log: tinyLog([
      [0, 0, 1],
      [0, 1, 2],
      [1, 1, 3],
      [1, 2, 4],
      [0, 1, 5],
    ]),
  };

  it('marks every event on a listed pair as test', () => {
    const split = predefinedSplit(dataset, [
      ['u1', 'b'],
      ['u2', 'c'],
    ]);
    expect(Array.from(split.test)).toEqual([1, 3, 4]);
    expect(Array.from(split.train)).toEqual([0, 2]);
  });

  it('names a listed pair that matches no event', () => {
    expect(() =>
      predefinedSplit(dataset, [
        ['u1', 'b'],
        ['u2', 'a'],
      ]),
    ).toThrow('test pair (user "u2", item "a") matches no event');
    expect(() => predefinedSplit(dataset, [['u9', 'a']])).toThrow(
      /user "u9", item "a"\) matches no event: unknown user id/,
    );
  });

  it('reproduces MovieLens u1.test', () => {
    const testRows = readMl100kRatings(path.join(datasetsDir(), 'ml-100k', 'u1.test'));
    const split = predefinedSplit(
      { name: 'ml-100k', users: ml.users, items: ml.items, log },
      testRows.map((r) => [r.user, r.item] as const),
    );
    expectPartition(split, N);
    expect(split.test.length).toBe(20000);
  });
});
