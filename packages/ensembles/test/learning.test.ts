import { Rng } from '@recsys/data';
import { ndcgAtK } from '@recsys/metrics';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { coordinateAscent, fitLogisticRegression, meanNdcg, type RankingList } from '../src';
import { idealDcg } from '../src/learning/ranking-lists';
import { pointwiseExamples } from '../src/learning/pointwise-examples';

/** A list from per-candidate feature rows and a relevance flag per candidate. */
function list(
  rows: number[][],
  relevant: number[],
  relevantCount = relevant.filter(Boolean).length,
  k = 10,
): RankingList {
  return {
    features: Float32Array.from(rows.flat()),
    relevant: Uint8Array.from(relevant),
    idealDcg: idealDcg(relevantCount, k),
  };
}

describe('meanNdcg', () => {
  it('equals @recsys/metrics ndcgAtK of the ranking the weights induce, counting relevant items outside the list', () => {
    const rng = new Rng(11);
    const lists: RankingList[] = [];
    const expected: number[] = [];
    const w = [0.3, 0.7];
    for (let l = 0; l < 20; l++) {
      const n = 15;
      const rows = Array.from({ length: n }, () => [rng.next(), rng.next()]);
      const relevant = Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
      const outside = l % 3; // relevant items the candidates missed
      lists.push(list(rows, relevant, relevant.filter(Boolean).length + outside, 5));
      const order = rows
        .map((r, c) => ({ c, s: w[0] * r[0] + w[1] * r[1] }))
        .sort((a, b) => b.s - a.s || a.c - b.c);
      const rel = new Set<number>(relevant.flatMap((r, c) => (r ? [c] : [])));
      for (let o = 0; o < outside; o++) rel.add(1000 + o);
      expected.push(
        rel.size === 0
          ? 0
          : ndcgAtK(
              order.map((x) => x.c),
              rel,
              5,
            ),
      );
    }
    const mean = expected.reduce((a, b) => a + b, 0) / expected.length;
    expect(meanNdcg(lists, w, 5)).toBeCloseTo(mean, 12);
  });
});

describe('coordinateAscent', () => {
  it('drives the weight of a noise feature into the region where the signal alone decides (< 1/11)', async () => {
    // Relevant candidates have signal 1, the others 0; noise is uniform on [0, 10): the ranking is
    // perfect exactly when 10 · w_noise < w_signal, i.e. w_noise < 1/11.
    const rng = new Rng(5);
    const lists = Array.from({ length: 50 }, () => {
      const relevant = Array.from({ length: 30 }, (_, c) => (c < 3 ? 1 : 0));
      return list(
        relevant.map((r) => [r, 10 * rng.next()]),
        relevant,
      );
    });
    const learned = await coordinateAscent(lists, {
      k: 10,
      gridSteps: 20,
      maxSweeps: 10,
      tolerance: 1e-9,
      starts: [Float64Array.of(0.5, 0.5)],
      model: 'test',
    });
    expect(learned.ndcg).toBe(1);
    expect(learned.weights[1]).toBeLessThan(1 / 11);
    expect(learned.weights[0] + learned.weights[1]).toBeCloseTo(1, 12);
  });

  it('finds the mixture when each feature alone ranks only half the lists right', async () => {
    // In even lists the relevant item is feature A's favourite, in odd lists feature B's; each feature
    // gives the relevant item 1 in its lists and 0.6 in the others, while one decoy scores 1 on the
    // other feature and 0 on this one. Even lists need 0.6 + 0.4·w > 1 − w (w > 2/7), odd lists
    // 1 − 0.4·w > w (w < 5/7): only w_A in (2/7, 5/7) puts every relevant item first.
    const lists = Array.from({ length: 40 }, (_, l) => {
      const a = l % 2 === 0;
      const rows = [a ? [1, 0.6] : [0.6, 1], a ? [0, 1] : [1, 0]];
      return list(rows, [1, 0], 1, 1);
    });
    const learned = await coordinateAscent(lists, {
      k: 1,
      gridSteps: 20,
      maxSweeps: 10,
      tolerance: 1e-9,
      starts: [Float64Array.of(1, 0)],
      model: 'test',
    });
    expect(learned.ndcg).toBe(1);
    expect(learned.weights[0]).toBeGreaterThan(2 / 7);
    expect(learned.weights[0]).toBeLessThan(5 / 7);
  });

  it('stops with ABORTED when its signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      coordinateAscent([list([[1, 0]], [1])], {
        k: 10,
        gridSteps: 4,
        maxSweeps: 2,
        tolerance: 0,
        starts: [Float64Array.of(0.5, 0.5)],
        signal: controller.signal,
        model: 'test',
      }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('fitLogisticRegression', () => {
  /** A non-separable two-feature problem with a known generating model. */
  function problem(n: number, seed: number): { x: Float64Array; y: Uint8Array } {
    const rng = new Rng(seed);
    const x = new Float64Array(n * 2);
    const y = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      x[2 * r] = rng.normal();
      x[2 * r + 1] = rng.normal();
      const p = 1 / (1 + Math.exp(-(1.5 * x[2 * r] - 0.8 * x[2 * r + 1] + 0.3)));
      y[r] = rng.next() < p ? 1 : 0;
    }
    return { x, y };
  }

  it("matches ml-logistic-regression's gradient ascent (unpenalised, intercept as a column)", async () => {
    const { x, y } = problem(60, 3);
    const ours = await fitLogisticRegression(x, y, 2, {
      l2: 0,
      maxIterations: 50,
      tolerance: 1e-10,
      model: 'test',
    });
    expect(ours.converged).toBe(true);
    // The library's classifier 0 is trained on "label != 0", i.e. P(y = 1); it has no intercept, so
    // give it a column of ones.
    const rows = Array.from({ length: y.length }, (_, r) => [x[2 * r], x[2 * r + 1], 1]);
    const reference = new LogisticRegression({ numSteps: 20_000, learningRate: 5e-3 });
    reference.train(new Matrix(rows), Matrix.columnVector(Array.from(y)));
    const w = reference.classifiers[0].weights.to1DArray();
    expect(ours.weights[0]).toBeCloseTo(w[0], 3);
    expect(ours.weights[1]).toBeCloseTo(w[1], 3);
    expect(ours.intercept).toBeCloseTo(w[2], 3);
  });

  it('recovers the generating weights on a large sample and shrinks them under an L2 penalty', async () => {
    const { x, y } = problem(20_000, 4);
    const free = await fitLogisticRegression(x, y, 2, {
      l2: 0,
      maxIterations: 50,
      tolerance: 1e-9,
      model: 'test',
    });
    expect(free.weights[0]).toBeCloseTo(1.5, 1);
    expect(free.weights[1]).toBeCloseTo(-0.8, 1);
    expect(free.intercept).toBeCloseTo(0.3, 1);
    const shrunk = await fitLogisticRegression(x, y, 2, {
      l2: 5000,
      maxIterations: 50,
      tolerance: 1e-9,
      model: 'test',
    });
    expect(Math.abs(shrunk.weights[0])).toBeLessThan(Math.abs(free.weights[0]) * 0.8);
    expect(Math.abs(shrunk.weights[1])).toBeLessThan(Math.abs(free.weights[1]) * 0.8);
  });

  it('stays finite on separable data when penalised, and rejects a shape mismatch', async () => {
    const x = Float64Array.of(-2, -1, 1, 2);
    const y = Uint8Array.of(0, 0, 1, 1);
    const fitted = await fitLogisticRegression(x, y, 1, {
      l2: 0.1,
      maxIterations: 100,
      tolerance: 1e-9,
      model: 'test',
    });
    expect(Number.isFinite(fitted.weights[0])).toBe(true);
    expect(fitted.weights[0]).toBeGreaterThan(1);
    await expect(
      fitLogisticRegression(x, y, 2, { l2: 1, maxIterations: 5, tolerance: 1e-6, model: 'test' }),
    ).rejects.toThrow(/4 values for 4 rows × 2 features/);
  });
});

describe('pointwiseExamples', () => {
  it('takes every positive and negativesPerPositive negatives per positive, seeded', () => {
    const lists = [
      list(
        Array.from({ length: 30 }, (_, c) => [c]),
        Array.from({ length: 30 }, (_, c) => (c < 2 ? 1 : 0)),
      ),
      list(
        Array.from({ length: 5 }, (_, c) => [100 + c]),
        [1, 0, 0, 0, 0],
      ),
      list([[7]], [0]), // no positive: left out
    ];
    const a = pointwiseExamples(lists, 1, 3, new Rng(1));
    // List 0: 2 positives + 6 negatives; list 1: 1 positive + 3 negatives.
    expect(a.y.length).toBe(12);
    expect(Array.from(a.y)).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(Array.from(a.x.subarray(0, 2))).toEqual([0, 1]);
    expect(a.x[8]).toBe(100);
    const negatives = Array.from(a.x.subarray(2, 8));
    expect(new Set(negatives).size).toBe(6);
    for (const v of negatives) expect(v).toBeGreaterThanOrEqual(2);
    expect(pointwiseExamples(lists, 1, 3, new Rng(1))).toEqual(a);
    const all = pointwiseExamples(lists, 1, 0, new Rng(1));
    expect(all.y.length).toBe(35);
  });
});
