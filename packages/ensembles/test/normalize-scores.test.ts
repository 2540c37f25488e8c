import { buildCsr } from '@recsys/data';
import { activityEdges, segmentOf, zScoreInPlace } from '../src';

/** A binary user × item matrix from each user's item list. */
function seenMatrix(rows: number[][], items: number) {
  const r: number[] = [];
  const c: number[] = [];
  rows.forEach((list, u) => list.forEach((i) => (r.push(u), c.push(i))));
  return buildCsr(
    rows.length,
    items,
    Int32Array.from(r),
    Int32Array.from(c),
    new Float32Array(r.length).fill(1),
  );
}

describe('zScoreInPlace', () => {
  it("standardises with the mean and spread of the user's unseen items only", () => {
    const seen = seenMatrix([[1, 3]], 5);
    const scores = Float32Array.of(1, 100, 2, -50, 3);
    zScoreInPlace(scores, seen, 0);
    // Unseen: 1, 2, 3 → mean 2, population σ = √(2/3).
    const sigma = Math.sqrt(2 / 3);
    expect(scores[0]).toBeCloseTo(-1 / sigma, 6);
    expect(scores[2]).toBeCloseTo(0, 6);
    expect(scores[4]).toBeCloseTo(1 / sigma, 6);
    expect(scores[1]).toBeCloseTo(98 / sigma, 4); // seen items scaled the same way
    expect(scores[3]).toBeCloseTo(-52 / sigma, 4);
  });

  it('gives zeros for a constant row and turns non-finite scores into the lowest z', () => {
    const seen = seenMatrix([[], []], 4);
    const flat = Float32Array.of(5, 5, 5, 5);
    zScoreInPlace(flat, seen, 0);
    expect(Array.from(flat)).toEqual([0, 0, 0, 0]);
    const holes = Float32Array.of(1, -Infinity, 3, Number.NaN);
    zScoreInPlace(holes, seen, 1);
    expect(holes[0]).toBeCloseTo(-1, 6);
    expect(holes[2]).toBeCloseTo(1, 6);
    expect(holes[1]).toBe(holes[0]);
    expect(holes[3]).toBe(holes[0]);
  });

  it('is invariant to a positive affine change of the raw scores', () => {
    const seen = seenMatrix([[0]], 6);
    const a = Float32Array.of(9, 0.1, 0.4, 0.2, 0.9, 0.3);
    const b = a.map((s) => 1000 * s + 7);
    zScoreInPlace(a, seen, 0);
    zScoreInPlace(b, seen, 0);
    for (let i = 1; i < 6; i++) expect(b[i]).toBeCloseTo(a[i], 4);
  });
});

describe('activity segments', () => {
  it('cuts users with history into quantile buckets and merges repeated edges', () => {
    const activity = Int32Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    const edges = activityEdges(activity, 3);
    // Nine active users 1..9: edges at the 1/3 and 2/3 positions → 4 and 7.
    expect(Array.from(edges)).toEqual([4, 7]);
    expect([1, 3, 4, 6, 7, 9].map((a) => segmentOf(a, edges))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(Array.from(activityEdges(Int32Array.of(5, 5, 5, 5), 3))).toEqual([5]);
  });
});
