import { Rng } from '@recsys/data';
import {
  ArmStatistics,
  bernoulliKl,
  EpsilonGreedy,
  KlUcb,
  MultiArmedBandit,
  sampleBeta,
  ThompsonSampling,
  Ucb1,
} from '../src';

/** Statistics with the given pulls and reward sums. */
function stats(pulls: number[], sums: number[]): ArmStatistics {
  const s = new ArmStatistics(pulls.map((_, i) => `arm${i}`));
  s.pulls.set(pulls);
  s.rewardSums.set(sums);
  return s;
}

describe('sampleBeta (two Gamma draws from the seeded Rng)', () => {
  it.each([
    [2, 5, 2 / 7, (2 * 5) / (7 * 7 * 8)],
    [0.5, 0.5, 0.5, 0.125], // shapes < 1 take the Gamma boost path
    [30, 10, 0.75, (30 * 10) / (40 * 40 * 41)],
  ])('Beta(%d, %d) draws have mean %d and variance %d', (a, b, mean, variance) => {
    const rng = new Rng(11);
    const n = 40_000;
    let sum = 0;
    let squares = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = sampleBeta(rng, a, b);
      if (!(x >= 0 && x <= 1)) outside++;
      sum += x;
      squares += x * x;
    }
    expect(outside).toBe(0);
    const m = sum / n;
    // The mean's standard error is sqrt(variance / n) ≤ 0.0018: allow 4.5 of them.
    expect(Math.abs(m - mean)).toBeLessThan(4.5 * Math.sqrt(variance / n));
    expect(squares / n - m * m).toBeCloseTo(variance, 2);
  });

  it('repeats exactly for the same seed, and differs for another', () => {
    const draws = (seed: number): number[] => {
      const rng = new Rng(seed);
      return Array.from({ length: 5 }, () => sampleBeta(rng, 2, 3));
    };
    expect(draws(4)).toEqual(draws(4));
    expect(draws(5)).not.toEqual(draws(4));
  });
});

describe('Thompson sampling', () => {
  it('keeps the Beta posterior α₀ + successes, β₀ + failures (fractional rewards split)', () => {
    const bandit = new MultiArmedBandit({
      arms: ['als', 'ease'],
      policy: { kind: 'thompson', priorAlpha: 2, priorBeta: 3 },
      rng: new Rng(1),
    });
    const policy = bandit.policy as ThompsonSampling;
    expect(policy.posterior(bandit.statistics, 0)).toEqual({ alpha: 2, beta: 3 });
    for (const r of [1, 1, 0]) bandit.update('als', r);
    bandit.update('ease', 0.25);
    // als: 2 + 2 successes, 3 + 1 failure; ease: 2 + 0.25, 3 + 0.75.
    expect(policy.posterior(bandit.statistics, 0)).toEqual({ alpha: 4, beta: 4 });
    expect(policy.posterior(bandit.statistics, 1)).toEqual({ alpha: 2.25, beta: 3.75 });
  });

  it('estimates P(arm wins) by Monte Carlo: 2/3 for Beta(2,1) vs Beta(1,1), 5/6 for Beta(2,1) vs Beta(1,2)', () => {
    // P(X > Y), X ~ Beta(2,1) (density 2x), Y uniform: ∫ 2x·x dx = 2/3.
    // Y ~ Beta(1,2) (cdf 2y − y²): ∫ 2x(2x − x²) dx = 4/3 − 1/2 = 5/6.
    const policy = new ThompsonSampling({ kind: 'thompson', propensityDraws: 20_000 });
    const rng = new Rng(2);
    const p1 = policy.armProbabilities(stats([1, 0], [1, 0]), rng);
    const p2 = policy.armProbabilities(stats([1, 1], [1, 0]), rng);
    // Standard error sqrt(p(1 − p)/20000) ≤ 0.0034.
    expect(Math.abs(p1[0] - 2 / 3)).toBeLessThan(0.015);
    expect(p1[0] + p1[1]).toBeCloseTo(1, 10);
    expect(Math.abs(p2[0] - 5 / 6)).toBeLessThan(0.015);
  });

  it('returns with each choice a propensity near the exact one, never 0', () => {
    const policy = new ThompsonSampling({ kind: 'thompson' }); // 1000 draws
    const rng = new Rng(5);
    const s = stats([1, 0], [1, 0]);
    let wins = 0;
    let worstError = 0;
    const n = 200;
    for (let i = 0; i < n; i++) {
      const { armIndex, propensity } = policy.select(s, rng);
      if (armIndex === 0) wins++;
      worstError = Math.max(worstError, Math.abs(propensity - (armIndex === 0 ? 2 / 3 : 1 / 3)));
    }
    expect(worstError).toBeLessThan(0.06); // each estimate's sd ≈ 0.015 at M = 1000
    expect(Math.abs(wins / n - 2 / 3)).toBeLessThan(0.12); // sd 0.033
    // An arm that almost never wins still gets a propensity ≥ 1/(M + K).
    const lopsided = new ThompsonSampling({ kind: 'thompson', propensityDraws: 10 });
    const hopeless = stats([1000, 1000], [999, 1]);
    expect([...lopsided.armProbabilities(hopeless, rng)]).toEqual(
      [11 / 12, 1 / 12].map((p) => expect.closeTo(p, 12)),
    );
  });

  it('re-estimates propensities when the counts change (2/3 → 2/5 after arm 1 wins twice)', () => {
    // Beta(2,1) vs Beta(3,1): P(X > Y) = ∫ 2x · x³ dx = 2/5.
    const bandit = new MultiArmedBandit({
      arms: ['a', 'b'],
      policy: { kind: 'thompson', propensityDraws: 20_000 },
      rng: new Rng(6),
    });
    bandit.update('a', 1);
    expect(Math.abs(bandit.armProbabilities()[0] - 2 / 3)).toBeLessThan(0.015);
    const before = bandit.choose();
    expect(Math.abs(before.propensity - (before.armIndex === 0 ? 2 / 3 : 1 / 3))).toBeLessThan(0.015);
    bandit.update('b', 1);
    bandit.update('b', 1);
    expect(Math.abs(bandit.armProbabilities()[0] - 2 / 5)).toBeLessThan(0.015);
    const after = bandit.choose();
    expect(Math.abs(after.propensity - (after.armIndex === 0 ? 2 / 5 : 3 / 5))).toBeLessThan(0.015);
  });

  it('finds the best of three Bernoulli arms', () => {
    const means = [0.05, 0.1, 0.15];
    const bandit = new MultiArmedBandit({
      arms: ['a', 'b', 'c'],
      policy: { kind: 'thompson', propensityDraws: 1 },
      rng: new Rng(7),
    });
    const env = new Rng(8);
    for (let t = 0; t < 5000; t++) {
      const { arm, armIndex } = bandit.choose();
      bandit.update(arm, env.next() < means[armIndex] ? 1 : 0);
    }
    // The best arm gets most of the plays (about 4,000 of 5,000 for these gaps).
    expect(bandit.statistics.pulls[2]).toBeGreaterThan(3000);
  });
});

describe('UCB1', () => {
  it('plays each arm once in list order, then the highest x̄ + sqrt(2 ln t / n), with propensity 1', () => {
    const policy = new Ucb1();
    expect(policy.select(stats([1, 0, 0], [0, 0, 0]))).toEqual({ armIndex: 1, propensity: 1 });
    // t = 5: arm0 0.5 + sqrt(2 ln 5 / 2) = 1.768636; arm1 2/3 + sqrt(2 ln 5 / 3) = 1.702504.
    const index = policy.indices(stats([2, 3], [1, 2]));
    expect(index[0]).toBeCloseTo(1.7686362411795196, 12);
    expect(index[1]).toBeCloseTo(1.7025038200307465, 12);
    expect(policy.select(stats([2, 3], [1, 2]))).toEqual({ armIndex: 0, propensity: 1 });
    expect([...policy.armProbabilities(stats([2, 3], [1, 2]))]).toEqual([1, 0]);
  });
});

describe('KL-UCB', () => {
  it('finds max q with n·KL(x̄ ‖ q) ≤ ln t: x̄ = 0.5, n = 10, t = 100 gives 0.887909', () => {
    const policy = new KlUcb({ kind: 'kl-ucb' });
    const index = policy.indices(stats([10, 90], [5, 9]));
    expect(index[0]).toBeCloseTo(0.8879087616458613, 7);
    expect(10 * bernoulliKl(0.5, index[0])).toBeCloseTo(Math.log(100), 5);
    expect(bernoulliKl(0.3, 0.3)).toBe(0);
    expect(policy.select(stats([10, 90], [5, 9])).armIndex).toBe(0);
    expect(policy.select(stats([0, 3], [0, 3])).armIndex).toBe(0); // unplayed first
  });
});

describe('epsilon-greedy', () => {
  it('chooses with the exact propensities (1 − ε)·[greedy] + ε/arms', () => {
    const policy = new EpsilonGreedy({ kind: 'epsilon-greedy', epsilon: 0.2 });
    const s = stats([10, 10, 10, 10], [1, 6, 3, 2]);
    const expected = [0.05, 0.85, 0.05, 0.05];
    expect([...policy.armProbabilities(s)].map((p) => Number(p.toFixed(12)))).toEqual(expected);
    const rng = new Rng(9);
    const counts = [0, 0, 0, 0];
    const n = 20_000;
    let worstError = 0;
    for (let i = 0; i < n; i++) {
      const { armIndex, propensity } = policy.select(s, rng);
      counts[armIndex]++;
      worstError = Math.max(worstError, Math.abs(propensity - expected[armIndex]));
    }
    expect(worstError).toBeLessThan(1e-12);
    for (let a = 0; a < 4; a++) expect(Math.abs(counts[a] / n - expected[a])).toBeLessThan(0.012);
  });

  it('counts unplayed arms at initialValue (optimistic by default)', () => {
    const greedy = new EpsilonGreedy({ kind: 'epsilon-greedy', epsilon: 0 });
    expect(greedy.select(stats([5, 0], [4, 0]), new Rng(1))).toEqual({ armIndex: 1, propensity: 1 });
    const pessimistic = new EpsilonGreedy({ kind: 'epsilon-greedy', epsilon: 0, initialValue: 0 });
    expect(pessimistic.select(stats([5, 0], [4, 0]), new Rng(1)).armIndex).toBe(0);
  });
});
