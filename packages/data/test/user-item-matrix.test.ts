import { interactionTypeCode } from '../src/interactions/interaction-log';
import { userItemMatrix } from '../src/matrix/user-item-matrix';
import { tinyLog } from './helpers/ml100k';

describe('userItemMatrix duplicate defaults', () => {
  const rating = 'RATING';
  // user 0 rates item 1 three times: 4 at t=20 (event 0), 2 at t=10 (event 1), 5 at t=20 (event 2), views item 0 twice.
  const log = tinyLog([
    [0, 1, 20, 4, rating],
    [0, 1, 10, 2, rating],
    [0, 1, 20, 5, rating],
    [0, 0, 5],
    [0, 0, 6],
    [1, 0, 7],
  ]);

  it('binary: one per pair present', () => {
    const m = userItemMatrix(log, 2, 2, { value: 'binary' });
    expect(Array.from(m.indptr)).toEqual([0, 2, 3]);
    expect(Array.from(m.data)).toEqual([1, 1, 1]);
  });

  it('count: events per pair', () => {
    const m = userItemMatrix(log, 2, 2, { value: 'count' });
    expect(Array.from(m.data)).toEqual([2, 3, 1]);
  });

  it('rating: the latest rating, equal times resolved to the later event, unrated events left out', () => {
    const m = userItemMatrix(log, 2, 2, { value: 'rating' });
    expect(Array.from(m.indptr)).toEqual([0, 1, 1]);
    expect(Array.from(m.indices)).toEqual([1]);
    expect(Array.from(m.data)).toEqual([5]);
  });

  it('filters by type', () => {
    const m = userItemMatrix(log, 2, 2, { value: 'count', types: [interactionTypeCode('VIEW')] });
    expect(Array.from(m.indices)).toEqual([0, 0]);
    expect(Array.from(m.data)).toEqual([2, 1]);
  });
});
