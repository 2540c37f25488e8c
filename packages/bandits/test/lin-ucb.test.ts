import { Rng } from '@recsys/data';
import { inverse } from 'ml-matrix';
import { BanditError, choiceProbabilities, LinUcb, type LinUcbCandidate } from '../src';
import { linUcbExperiment } from './support/lin-ucb-experiment';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof BanditError) return err.code;
    throw err;
  }
  return undefined;
}

describe('LinUCB (disjoint) linear algebra', () => {
  // Three updates of one arm, d = 2, λ = 1:
  //   x = (1, 0.5) r = 1;  x = (0, 1) r = 0;  x = (2, −1) r = 1
  //   A = I + Σ xxᵀ = [[6, −1.5], [−1.5, 3.25]],  det A = 19.5 − 2.25 = 17.25
  //   A⁻¹ = [[3.25, 1.5], [1.5, 6]] / 17.25,  b = Σ r·x = (3, −0.5)
  //   θ = A⁻¹b = (9.75 − 0.75, 4.5 − 3) / 17.25 = (9, 1.5) / 17.25
  const updates: [number[], number][] = [
    [[1, 0.5], 1],
    [[0, 1], 0],
    [[2, -1], 1],
  ];

  function trained(alpha = 1): LinUcb {
    const lin = new LinUcb({ dimension: 2, alpha, rng: new Rng(1) });
    for (const [x, r] of updates) lin.update('a', x, r);
    return lin;
  }

  it('keeps A, A⁻¹ (Sherman–Morrison) and θ equal to the hand-worked values and to ml-matrix inverse(A)', () => {
    const model = trained().model('a')!;
    expect(model.A.to2DArray()).toEqual([
      [6, -1.5],
      [-1.5, 3.25],
    ]);
    const handInverse = [
      [3.25 / 17.25, 1.5 / 17.25],
      [1.5 / 17.25, 6 / 17.25],
    ];
    const libraryInverse = inverse(model.A).to2DArray();
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) {
        expect(model.Ainv.get(i, j)).toBeCloseTo(handInverse[i][j], 14);
        expect(model.Ainv.get(i, j)).toBeCloseTo(libraryInverse[i][j], 14);
      }
    expect(model.b.to1DArray()).toEqual([3, -0.5]);
    expect(model.theta[0]).toBeCloseTo(9 / 17.25, 14);
    expect(model.theta[1]).toBeCloseTo(1.5 / 17.25, 14);
    expect(model.pulls).toBe(3);
  });

  it('scores θᵀx + α·sqrt(xᵀA⁻¹x), and α·|x|/sqrt(λ) for an unseen arm', () => {
    // x = (1, 1): θᵀx = 10.5/17.25 = 0.608696; xᵀA⁻¹x = 12.25/17.25; sqrt = 0.842701.
    const x = [1, 1];
    expect(trained(1).scores([{ arm: 'a', features: x }])[0]).toBeCloseTo(1.4513966237742975, 12);
    expect(trained(0.5).scores([{ arm: 'a', features: x }])[0]).toBeCloseTo(1.0300461379741053, 12);
    const fresh = new LinUcb({ dimension: 2, alpha: 0.5, ridge: 2, rng: new Rng(1) });
    expect(fresh.scores([{ arm: 'new', features: [3, 4] }])[0]).toBeCloseTo((0.5 * 5) / Math.SQRT2, 12);
    fresh.update('new', [3, 4], 1);
    expect(fresh.model('new')!.A.to2DArray()).toEqual([
      [2 + 9, 12],
      [12, 2 + 16],
    ]);
  });

  it('stays within 1e-9 of the exact inverse after 500 rank-one updates (d = 8)', () => {
    const d = 8;
    const lin = new LinUcb({ dimension: d, rng: new Rng(1) });
    const rng = new Rng(2);
    for (let t = 0; t < 500; t++) {
      const x = Array.from({ length: d }, () => rng.normal());
      lin.update('a', x, rng.next() < 0.3 ? 1 : 0);
    }
    const model = lin.model('a')!;
    const exact = inverse(model.A);
    expect(model.Ainv.clone().sub(exact).abs().max()).toBeLessThan(1e-9);
    const theta = exact.mmul(model.b).to1DArray();
    for (let i = 0; i < d; i++) expect(model.theta[i]).toBeCloseTo(theta[i], 9);
  });
});

describe('LinUCB choices', () => {
  const candidates: LinUcbCandidate[] = [
    { arm: 's1', features: [1, 0] },
    { arm: 's2', features: [0, 1] },
    { arm: 's3', features: [1, 1] },
  ];

  it('greedy picks the highest bound with propensity 1', () => {
    const lin = new LinUcb({ dimension: 2, alpha: 0, rng: new Rng(1) });
    lin.update('s2', [0, 1], 1);
    expect(lin.choose(candidates)).toEqual({ arm: 's2', armIndex: 1, propensity: 1 });
  });

  it('epsilon-mixed and softmax slates carry each position’s exact propensity, > 0 for every candidate', () => {
    for (const exploration of [
      { kind: 'epsilon-greedy', epsilon: 0.3 },
      { kind: 'softmax', temperature: 0.2 },
    ] as const) {
      const lin = new LinUcb({ dimension: 2, alpha: 0.5, exploration, rng: new Rng(3) });
      lin.update('s1', [1, 0], 1);
      lin.update('s2', [0, 1], 0);
      const scores = lin.scores(candidates);
      const first = choiceProbabilities(scores, exploration);
      expect(Math.min(...first)).toBeGreaterThan(0);
      expect([...lin.armProbabilities(candidates)]).toEqual([...first]);
      for (let i = 0; i < 50; i++) {
        const slate = lin.chooseSlate(candidates, 2);
        expect(new Set(slate.arms).size).toBe(2);
        expect(slate.propensities[0]).toBeCloseTo(first[slate.indices[0]], 14);
        const available = [0, 1, 2].map((c) => c !== slate.indices[0]);
        const second = choiceProbabilities(scores, exploration, available);
        expect(slate.propensities[1]).toBeCloseTo(second[slate.indices[1]], 14);
        expect(slate.propensity).toBeCloseTo(slate.propensities[0] * slate.propensities[1], 14);
      }
    }
  });

  it('round-trips through JSON (A⁻¹ recomputed from A by Cholesky) and scores the same', () => {
    const lin = new LinUcb({
      dimension: 2,
      alpha: 0.7,
      ridge: 0.5,
      exploration: { kind: 'softmax', temperature: 1 },
      rng: new Rng(1),
    });
    const rng = new Rng(2);
    for (let t = 0; t < 100; t++) {
      const c = candidates[rng.int(3)];
      lin.update(c.arm, c.features, rng.next() < 0.4 ? 1 : 0);
    }
    const state = JSON.parse(JSON.stringify(lin.toJSON())) as unknown;
    const restored = LinUcb.fromJSON(state, new Rng(1));
    expect(restored.toJSON()).toEqual(lin.toJSON());
    const a = lin.scores(candidates);
    const b = restored.scores(candidates);
    for (let i = 0; i < 3; i++) expect(b[i]).toBeCloseTo(a[i], 12);
    expect(restored.knownArms().sort()).toEqual(['s1', 's2', 's3']);
  });

  it('rejects bad input with codes', () => {
    const lin = new LinUcb({ dimension: 2, rng: new Rng(1) });
    expect(codeOf(() => lin.choose([]))).toBe('INVALID_CONTEXT');
    expect(codeOf(() => lin.choose([{ arm: 's1', features: [1, 2, 3] }]))).toBe('INVALID_CONTEXT');
    expect(codeOf(() => lin.choose([{ arm: 's1', features: [1, Number.NaN] }]))).toBe('INVALID_CONTEXT');
    expect(codeOf(() => lin.choose([candidates[0], candidates[0]]))).toBe('INVALID_CONTEXT');
    expect(codeOf(() => lin.chooseSlate(candidates, 0))).toBe('INVALID_OPTIONS');
    expect(codeOf(() => lin.update('s1', [1, 0], Number.POSITIVE_INFINITY))).toBe('INVALID_REWARD');
    expect(codeOf(() => lin.update('s1', [1], 1))).toBe('INVALID_CONTEXT');
    expect(lin.knownArms()).toEqual([]);
    expect(codeOf(() => new LinUcb({ dimension: 0, rng: new Rng(1) }))).toBe('INVALID_OPTIONS');
    expect(codeOf(() => new LinUcb({ dimension: 2, ridge: 0, rng: new Rng(1) }))).toBe('INVALID_OPTIONS');
    expect(codeOf(() => new LinUcb({ dimension: 2, alpha: -1, rng: new Rng(1) }))).toBe('INVALID_OPTIONS');
    const state = { ...lin.toJSON(), arms: { s1: { A: [1, 2, 2, 1], b: [0, 0], pulls: 1 } } }; // indefinite A
    expect(() => LinUcb.fromJSON(state, new Rng(1))).toThrow(/not positive definite/);
    expect(
      codeOf(() =>
        LinUcb.fromJSON({ ...lin.toJSON(), arms: { s1: { A: [1], b: [0, 0], pulls: 0 } } }, new Rng(1)),
      ),
    ).toBe('INVALID_STATE');
    expect(codeOf(() => LinUcb.fromJSON({ ...lin.toJSON(), version: 9 }, new Rng(1)))).toBe('INVALID_STATE');
    expect(codeOf(() => LinUcb.fromJSON({ ...lin.toJSON(), dimension: -2 }, new Rng(1)))).toBe(
      'INVALID_STATE',
    );
  });
});

describe('LinUCB on the synthetic marketplace', () => {
  it('earns more clicks than uniform choice and than the best single service, and tries a new service at once', () => {
    const r = linUcbExperiment({ seeds: [1, 2, 3], horizon: 4000 });
    // Measured (mean true CTR, 3 seeds × 4,000 requests): LinUCB 0.3248, best single service 0.2718,
    // uniform 0.1440, per-user best 0.3678; the new service was shown in 41 of 60 requests.
    expect(r.linUcbCtr).toBeGreaterThan(r.bestSingleServiceCtr + 0.03);
    expect(r.linUcbCtr).toBeGreaterThan(r.uniformCtr + 0.1);
    expect(r.linUcbCtr).toBeLessThanOrEqual(r.oracleCtr);
    expect(r.newServiceShown).toBeGreaterThanOrEqual(3);
  });
});
