import { Rng } from '@recsys/data';
import {
  argmax,
  BanditError,
  checkExploration,
  choiceProbabilities,
  sampleSlate,
  type Exploration,
} from '../src';

describe('choiceProbabilities', () => {
  it('greedy puts all mass on the highest score, the lowest index among ties', () => {
    expect([...choiceProbabilities([0.2, 0.9, 0.9, 0.1], { kind: 'greedy' })]).toEqual([0, 1, 0, 0]);
    expect(argmax([Number.POSITIVE_INFINITY, 3, Number.POSITIVE_INFINITY])).toBe(0);
  });

  it('epsilon-greedy: (1 − ε)·[greedy] + ε/m, over the available candidates only', () => {
    const p = choiceProbabilities([0.1, 0.5, 0.3, 0.2], { kind: 'epsilon-greedy', epsilon: 0.2 });
    expect([...p]).toEqual([0.05, 0.85, 0.05, 0.05].map((x) => expect.closeTo(x, 15)));
    // Candidate 1 already placed: 3 left, greedy among them is candidate 2.
    const q = choiceProbabilities([0.1, 0.5, 0.3, 0.2], { kind: 'epsilon-greedy', epsilon: 0.3 }, [
      true,
      false,
      true,
      true,
    ]);
    expect([...q]).toEqual([0.1, 0, 0.8, 0.1].map((x) => expect.closeTo(x, 15)));
  });

  it('softmax: exp(s/τ) normalised (scores 1, 2, 0.5 at τ = 0.5, worked by hand)', () => {
    // e² : e⁴ : e¹ = 7.389 : 54.598 : 2.718, total 64.705
    const p = choiceProbabilities([1, 2, 0.5], { kind: 'softmax', temperature: 0.5 });
    expect(p[0]).toBeCloseTo(0.11419519938459449, 12);
    expect(p[1]).toBeCloseTo(0.8437947344813395, 12);
    expect(p[2]).toBeCloseTo(0.04201006613406605, 12);
    // Huge scores do not overflow (shifted by the maximum).
    const big = choiceProbabilities([1000, 1000], { kind: 'softmax', temperature: 0.01 });
    expect([...big]).toEqual([0.5, 0.5]);
  });

  it('rejects bad exploration settings and non-finite softmax scores with codes', () => {
    const bad: Exploration[] = [
      { kind: 'epsilon-greedy', epsilon: 1.5 },
      { kind: 'softmax', temperature: 0 },
      { kind: 'bogus' } as unknown as Exploration,
    ];
    for (const e of bad)
      expect(() => checkExploration(e)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() =>
      choiceProbabilities([1, Number.POSITIVE_INFINITY], { kind: 'softmax', temperature: 1 }),
    ).toThrow(BanditError);
  });
});

describe('sampleSlate', () => {
  it('draws single choices with the frequencies of choiceProbabilities', () => {
    const rng = new Rng(3);
    const exploration: Exploration = { kind: 'softmax', temperature: 0.5 };
    const counts = [0, 0, 0];
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const { indices, propensities } = sampleSlate([1, 2, 0.5], 1, exploration, rng);
      counts[indices[0]]++;
      if (i < 100) expect(propensities[0]).toBe(choiceProbabilities([1, 2, 0.5], exploration)[indices[0]]);
    }
    // Standard errors ≤ 0.0026: within 0.012 is over 4.5 of them.
    expect(Math.abs(counts[0] / n - 0.1142)).toBeLessThan(0.012);
    expect(Math.abs(counts[1] / n - 0.8438)).toBeLessThan(0.012);
    expect(Math.abs(counts[2] / n - 0.042)).toBeLessThan(0.012);
  });

  it('gives each position its probability given the positions above, distinct candidates', () => {
    const rng = new Rng(8);
    const scores = [0.4, 0.9, 0.1];
    const exploration: Exploration = { kind: 'epsilon-greedy', epsilon: 0.3 };
    for (let i = 0; i < 200; i++) {
      const { indices, propensities } = sampleSlate(scores, 2, exploration, rng);
      expect(new Set(indices).size).toBe(2);
      // Position 0: the greedy candidate 1 has 0.7 + 0.1, the others 0.1.
      expect(propensities[0]).toBeCloseTo(indices[0] === 1 ? 0.8 : 0.1, 12);
      // Position 1: two left; greedy among them 0.7 + 0.15, the other 0.15.
      const left = [0, 1, 2].filter((c) => c !== indices[0]);
      const greedy = left.reduce((a, b) => (scores[b] > scores[a] ? b : a));
      expect(propensities[1]).toBeCloseTo(indices[1] === greedy ? 0.85 : 0.15, 12);
    }
  });

  it('never touches Math.random (the setup file makes it throw)', () => {
    expect(() => Math.random()).toThrow('seeded Rng');
  });

  it('greedy slates are the top scores in order with propensity 1, and draw nothing from the Rng', () => {
    const rng = new Rng(1);
    const before = new Rng(1).next();
    expect(sampleSlate([0.3, 0.9, 0.5, 0.7], 3, { kind: 'greedy' }, rng)).toEqual({
      indices: [1, 3, 2],
      propensities: [1, 1, 1],
    });
    expect(rng.next()).toBe(before);
    // A slate longer than the candidates holds every candidate once.
    expect(sampleSlate([0.3, 0.9], 5, { kind: 'greedy' }, rng).indices).toEqual([1, 0]);
  });
});
