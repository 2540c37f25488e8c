import { Rng } from '@recsys/data';
import { BanditError, MultiArmedBandit, SegmentedBandit, type MultiArmedPolicyConfig } from '../src';

const ARMS = ['popularity', 'als', 'ease'];

/** A JSON round trip, as through Redis. */
function viaJson<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof BanditError) return err.code;
    throw err;
  }
  return undefined;
}

describe('MultiArmedBandit state', () => {
  it.each<MultiArmedPolicyConfig>([
    { kind: 'thompson', priorAlpha: 1, priorBeta: 3, propensityDraws: 50 },
    { kind: 'ucb1' },
    { kind: 'kl-ucb', c: 3 },
    { kind: 'epsilon-greedy', epsilon: 0.1, initialValue: 0.5 },
  ])('round-trips through JSON and then chooses as the original would (%j)', (policy) => {
    const bandit = new MultiArmedBandit({ arms: ARMS, policy, rng: new Rng(1) });
    const env = new Rng(2);
    for (let t = 0; t < 200; t++) {
      const { arm, armIndex } = bandit.choose();
      bandit.update(arm, env.next() < [0.1, 0.3, 0.2][armIndex] ? 1 : 0);
    }
    const state = viaJson(bandit.toJSON());
    expect(state).toEqual(bandit.toJSON());
    const a = MultiArmedBandit.fromJSON(state, new Rng(9));
    const b = MultiArmedBandit.fromJSON(state, new Rng(9));
    expect(a.toJSON()).toEqual(bandit.toJSON());
    const choices = (x: MultiArmedBandit) => Array.from({ length: 20 }, () => x.choose());
    expect(choices(a)).toEqual(choices(b));
    // A restored deterministic policy chooses exactly what the original chooses.
    if (policy.kind === 'ucb1' || policy.kind === 'kl-ucb') expect(a.choose()).toEqual(bandit.choose());
  });

  it('rejects bad updates with codes and records nothing', () => {
    const bandit = new MultiArmedBandit({ arms: ARMS, policy: { kind: 'ucb1' }, rng: new Rng(1) });
    expect(codeOf(() => bandit.update('svd', 1))).toBe('UNKNOWN_ARM');
    expect(codeOf(() => bandit.update('als', 1.5))).toBe('INVALID_REWARD');
    expect(codeOf(() => bandit.update('als', Number.NaN))).toBe('INVALID_REWARD');
    expect(codeOf(() => bandit.update('als', -0.1))).toBe('INVALID_REWARD');
    expect(bandit.statistics.totalPulls()).toBe(0);
  });

  it('rejects bad options with INVALID_OPTIONS', () => {
    const rng = new Rng(1);
    expect(codeOf(() => new MultiArmedBandit({ arms: [], policy: { kind: 'ucb1' }, rng }))).toBe(
      'INVALID_OPTIONS',
    );
    expect(codeOf(() => new MultiArmedBandit({ arms: ['a', 'a'], policy: { kind: 'ucb1' }, rng }))).toBe(
      'INVALID_OPTIONS',
    );
    expect(
      codeOf(() => new MultiArmedBandit({ arms: ARMS, policy: { kind: 'epsilon-greedy', epsilon: 2 }, rng })),
    ).toBe('INVALID_OPTIONS');
    expect(
      codeOf(
        () => new MultiArmedBandit({ arms: ARMS, policy: { kind: 'thompson', propensityDraws: 0 }, rng }),
      ),
    ).toBe('INVALID_OPTIONS');
    expect(
      codeOf(
        () =>
          new MultiArmedBandit({
            arms: ARMS,
            policy: { kind: 'exp3' } as unknown as MultiArmedPolicyConfig,
            rng,
          }),
      ),
    ).toBe('INVALID_OPTIONS');
  });

  it('rejects damaged states with INVALID_STATE naming the problem', () => {
    const good = new MultiArmedBandit({
      arms: ['a', 'b'],
      policy: { kind: 'ucb1' },
      rng: new Rng(1),
    }).toJSON();
    const rng = new Rng(1);
    const damaged: [unknown, RegExp][] = [
      [null, /must be an object/],
      [{ ...good, version: 2 }, /version 2 is not supported/],
      [{ ...good, kind: 'segmented' }, /expected a multi-armed/],
      [{ ...good, policy: { kind: 'exp3' } }, /policy.kind/],
      [
        { ...good, statistics: { a: { pulls: 1, rewardSum: 2 }, b: { pulls: 0, rewardSum: 0 } } },
        /rewardSum ≤ pulls/,
      ],
      [{ ...good, statistics: { a: { pulls: 1, rewardSum: 0 } } }, /missing: b/],
      [{ ...good, statistics: { ...good.statistics, c: { pulls: 0, rewardSum: 0 } } }, /unknown: c/],
      [{ ...good, arms: ['a', 'a'] }, /listed twice/],
    ];
    for (const [state, message] of damaged) {
      expect(() => MultiArmedBandit.fromJSON(state, rng)).toThrow(message);
      expect(codeOf(() => MultiArmedBandit.fromJSON(state, rng))).toBe('INVALID_STATE');
    }
  });

  it('withArms keeps shared counts, starts new arms fresh and forgets dropped ones', () => {
    const bandit = new MultiArmedBandit({ arms: ['a', 'b'], policy: { kind: 'ucb1' }, rng: new Rng(1) });
    bandit.update('a', 1);
    bandit.update('b', 0);
    const next = bandit.withArms(['b', 'c']);
    expect(next.toJSON().statistics).toEqual({
      b: { pulls: 1, rewardSum: 0 },
      c: { pulls: 0, rewardSum: 0 },
    });
    expect(next.choose().arm).toBe('c');
  });
});

describe('SegmentedBandit', () => {
  it('learns a different best arm per segment', () => {
    const bandit = new SegmentedBandit({
      arms: ARMS,
      policy: { kind: 'thompson', propensityDraws: 10 },
      rng: new Rng(3),
    });
    const env = new Rng(4);
    // Clicks: developers like als (0.3), designers ease (0.3); everything else 0.05.
    const rate = (segment: string, arm: string) =>
      (segment === 'developer' && arm === 'als') || (segment === 'designer' && arm === 'ease') ? 0.3 : 0.05;
    let smallestPropensity = 1;
    for (let t = 0; t < 3000; t++) {
      const segment = t % 2 === 0 ? 'developer' : 'designer';
      const { arm, propensity } = bandit.choose({ segment });
      smallestPropensity = Math.min(smallestPropensity, propensity);
      bandit.update({ segment }, arm, env.next() < rate(segment, arm) ? 1 : 0);
    }
    expect(smallestPropensity).toBeGreaterThanOrEqual(1 / 13); // (0 + 1)/(M + K), M = 10, K = 3
    expect(bandit.segments().sort()).toEqual(['designer', 'developer']);
    const dev = bandit.statisticsOf('developer');
    const design = bandit.statisticsOf('designer');
    expect(dev.pulls[1]).toBeGreaterThan(0.8 * 1500);
    expect(design.pulls[2]).toBeGreaterThan(0.8 * 1500);
  });

  it('round-trips through JSON; bad contexts and states are rejected with codes', () => {
    const bandit = new SegmentedBandit({
      arms: ARMS,
      policy: { kind: 'epsilon-greedy', epsilon: 0.2 },
      rng: new Rng(5),
    });
    bandit.update({ segment: 'a' }, 'als', 1);
    bandit.update({ segment: 'b' }, 'ease', 0);
    const state = viaJson(bandit.toJSON());
    expect(state).toEqual({
      kind: 'segmented',
      version: 1,
      arms: ARMS,
      policy: { kind: 'epsilon-greedy', epsilon: 0.2, initialValue: 1 },
      segments: {
        a: {
          popularity: { pulls: 0, rewardSum: 0 },
          als: { pulls: 1, rewardSum: 1 },
          ease: { pulls: 0, rewardSum: 0 },
        },
        b: {
          popularity: { pulls: 0, rewardSum: 0 },
          als: { pulls: 0, rewardSum: 0 },
          ease: { pulls: 1, rewardSum: 0 },
        },
      },
    });
    expect(SegmentedBandit.fromJSON(state, new Rng(1)).toJSON()).toEqual(state);
    expect(codeOf(() => bandit.choose({ segment: '' }))).toBe('INVALID_CONTEXT');
    expect(codeOf(() => bandit.choose({} as { segment: string }))).toBe('INVALID_CONTEXT');
    expect(codeOf(() => bandit.update({ segment: 'a' }, 'nope', 1))).toBe('UNKNOWN_ARM');
    expect(codeOf(() => SegmentedBandit.fromJSON({ ...(state as object), segments: [] }, new Rng(1)))).toBe(
      'INVALID_STATE',
    );
    expect(
      codeOf(() =>
        SegmentedBandit.fromJSON(
          { ...(state as object), segments: { a: { als: { pulls: 1 } } } },
          new Rng(1),
        ),
      ),
    ).toBe('INVALID_STATE');
  });
});
