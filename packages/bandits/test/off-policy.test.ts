import { Rng } from '@recsys/data';
import {
  BanditError,
  deterministicPolicy,
  doublyRobust,
  ips,
  policyFromDistribution,
  servedDecision,
  snips,
  withReward,
  type LoggedDecision,
  type TargetPolicy,
} from '../src';

/**
 * A tiny log, worked by hand. Contexts x1..x4; the target serves a, a, a, b.
 *   #  action  μ     reward  π(action)  w = π/μ  w·r
 *   1  a       0.5   1       1          2        2
 *   2  b       0.25  0       0          0        0
 *   3  a       0.8   0       1          1.25     0
 *   4  b       0.5   1       1          2        2
 * IPS = (2 + 0 + 0 + 2)/4 = 1; terms' sample sd = sqrt(4/3), SE = sqrt(4/3)/2 = 0.577350.
 * SNIPS = 4 / 5.25 = 0.761905; delta-method SE = sqrt(Σ w²(r − V)²)/Σw
 *       = sqrt(2·4·0.238095² + 1.5625·0.761905²)/5.25 = 0.222176.
 * Effective sample size (Σw)²/Σw² = 27.5625/9.5625 = 2.882353.
 */
const single = <C = string>(
  context: C,
  action: string,
  propensity: number,
  reward: number,
): LoggedDecision<C> => ({
  context,
  actions: [action],
  propensities: [propensity],
  propensity,
  reward,
});
const LOG = [
  single('x1', 'a', 0.5, 1),
  single('x2', 'b', 0.25, 0),
  single('x3', 'a', 0.8, 0),
  single('x4', 'b', 0.5, 1),
];
const TARGET = deterministicPolicy((x: string) => (x === 'x4' ? 'b' : 'a'));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof BanditError) return err.code;
    throw err;
  }
  return undefined;
}

describe('IPS and SNIPS on a hand-worked log', () => {
  it('IPS: the mean of w·r with a CLT interval', () => {
    const e = ips(LOG, TARGET);
    expect(e.value).toBe(1);
    expect(e.standardError).toBeCloseTo(0.5773502691896257, 14);
    expect(e.lower).toBeCloseTo(-0.1315857340761717, 12);
    expect(e.upper).toBeCloseTo(2.1315857340761717, 12);
    expect(e).toMatchObject({ estimator: 'ips', level: 0.95, interval: 'clt', n: 4, maxWeight: 2 });
    expect(e.effectiveSampleSize).toBeCloseTo(2.8823529411764706, 12);
    // 90%: z = 1.644854.
    expect(ips(LOG, TARGET, { level: 0.9 }).upper).toBeCloseTo(
      1 + 1.6448536269514722 * 0.5773502691896257,
      12,
    );
  });

  it('SNIPS: Σwr/Σw with a delta-method interval', () => {
    const e = snips(LOG, TARGET);
    expect(e.value).toBeCloseTo(0.7619047619047619, 14);
    expect(e.standardError).toBeCloseTo(0.22217594038849686, 14);
    expect(e.lower).toBeCloseTo(0.32644792051199, 12);
    expect(e.upper).toBeCloseTo(1.1973616032975336, 12);
    expect(e.interval).toBe('delta-method');
  });

  it('doubly robust with q̂ ≡ 0.5: terms 1.5, 0.5, −0.125, 1.5, mean 0.84375', () => {
    // Σ_a π(a|x) q̂ = 0.5 for every x, plus w(r − 0.5): +1, 0, −0.625, +1.
    const e = doublyRobust(LOG, TARGET, () => 0.5);
    expect(e.value).toBeCloseTo(0.84375, 14);
    expect(e.standardError).toBeCloseTo(0.39978835546657265, 12);
    // A stochastic target: the direct term is Σ_a π(a)q̂(a) = 0.5·0.2 + 0.5·0.6 = 0.4 for every x, and each
    // residual is weighted by 0.5/μ.
    const half = policyFromDistribution(() => [
      ['a', 0.5],
      ['b', 0.5],
    ]);
    const exact = doublyRobust(LOG, half, (_x, a) => (a === 'a' ? 0.2 : 0.6));
    expect(exact.value).toBeCloseTo(
      0.4 +
        ((0.5 / 0.5) * (1 - 0.2)) / 4 +
        ((0.5 / 0.25) * (0 - 0.6)) / 4 +
        ((0.5 / 0.8) * (0 - 0.2)) / 4 +
        ((0.5 / 0.5) * (1 - 0.6)) / 4,
      14,
    );
  });

  it('a logging policy equal to the target gives weights 1: IPS is the mean reward', () => {
    const onPolicy = policyFromDistribution((x: string) => [[x === 'x2' ? 'b' : 'a', 1]] as const);
    const log = [single('x1', 'a', 1, 1), single('x2', 'b', 1, 0), single('x3', 'a', 1, 1)];
    expect(ips(log, onPolicy).value).toBeCloseTo(2 / 3, 14);
    expect(snips(log, onPolicy).value).toBeCloseTo(2 / 3, 14);
  });

  it('evaluates logged lists by the probability of the whole ordered list', () => {
    const served = servedDecision('x', { arms: ['a', 'b'], propensities: [0.5, 0.4] }, 'lin-ucb@1');
    expect(served).toEqual({
      context: 'x',
      actions: ['a', 'b'],
      propensities: [0.5, 0.4],
      propensity: 0.2,
      policy: 'lin-ucb@1',
    });
    const target: TargetPolicy<string> = {
      probability: (_x, actions) => (actions.join() === 'a,b' ? 0.1 : 0),
    };
    const e = ips([withReward(served, 1), withReward({ ...served, actions: ['b', 'a'] }, 1)], target);
    expect(e.value).toBeCloseTo((0.1 / 0.2 + 0) / 2, 14);
    expect(codeOf(() => doublyRobust([withReward(served, 1)], TARGET as never, () => 0))).toBe('INVALID_LOG');
  });
});

describe('SNIPS bootstrap interval', () => {
  it('is repeatable from the seed and agrees with the delta method on a larger log', () => {
    const rng = new Rng(1);
    const log: LoggedDecision<number>[] = [];
    for (let i = 0; i < 2000; i++) {
      const explore = rng.next() < 0.4;
      const action = explore ? (rng.next() < 0.5 ? 'a' : 'b') : 'a';
      const propensity = action === 'a' ? 0.8 : 0.2;
      log.push(single(i, action, propensity, rng.next() < (action === 'a' ? 0.1 : 0.3) ? 1 : 0));
    }
    const target = deterministicPolicy((_request: number) => 'b');
    const delta = snips(log, target);
    const boot = snips(log, target, { bootstrap: { resamples: 400, rng: new Rng(7) } });
    expect(boot.interval).toBe('bootstrap');
    expect(boot).toEqual(snips(log, target, { bootstrap: { resamples: 400, rng: new Rng(7) } }));
    expect(boot.lower).toBeLessThan(boot.value);
    expect(boot.upper).toBeGreaterThan(boot.value);
    expect(Math.abs(boot.upper - boot.lower - (delta.upper - delta.lower))).toBeLessThan(
      0.25 * (delta.upper - delta.lower),
    );
    expect(codeOf(() => snips(log, target, { bootstrap: { resamples: 3, rng: new Rng(1) } }))).toBe(
      'INVALID_OPTIONS',
    );
  });
});

describe('bad logs and targets', () => {
  it('are rejected with codes naming the entry', () => {
    expect(codeOf(() => ips([], TARGET))).toBe('INVALID_LOG');
    expect(() => ips([LOG[0], LOG[1], single('x', 'a', 0, 1)], TARGET)).toThrow(
      /#2: every propensity must lie in \(0, 1\]/,
    );
    expect(codeOf(() => ips([single('x', 'a', 1.2, 1)], TARGET))).toBe('INVALID_LOG');
    expect(codeOf(() => ips([single('x', 'a', 0.5, Number.NaN)], TARGET))).toBe('INVALID_LOG');
    expect(codeOf(() => ips([{ ...LOG[0], actions: [] }], TARGET))).toBe('INVALID_LOG');
    expect(codeOf(() => ips([{ ...LOG[0], propensities: [0.5, 0.5] }], TARGET))).toBe('INVALID_LOG');
    expect(codeOf(() => ips(LOG, { probability: () => 1.5 }))).toBe('INVALID_OPTIONS');
    expect(codeOf(() => doublyRobust(LOG, TARGET, () => Number.NaN))).toBe('INVALID_OPTIONS');
    expect(
      codeOf(() => withReward(servedDecision('x', { arm: 'a', propensity: 0.5 }), Number.POSITIVE_INFINITY)),
    ).toBe('INVALID_LOG');
    expect(codeOf(() => servedDecision('x', { arm: 'a', propensity: 0 }))).toBe('INVALID_LOG');
  });

  it('answer NO_OVERLAP when the target never takes a logged action', () => {
    const never = deterministicPolicy(() => 'z');
    expect(codeOf(() => ips(LOG, never))).toBe('NO_OVERLAP');
    expect(codeOf(() => snips(LOG, never))).toBe('NO_OVERLAP');
  });
});
