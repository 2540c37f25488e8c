import { Rng } from '@recsys/data';
import { createModel, MODEL_NAMES } from '@recsys/models';
import {
  containsValue,
  fromInternal,
  internalBounds,
  isTunableModel,
  RandomSampler,
  sampleDimension,
  SEARCH_SPACES,
  toInternal,
  TuningError,
  TuningErrorCode,
  validateSearchSpace,
  type Dimension,
  type SearchSpace,
} from '../src/tuning';

function draws(dim: Dimension, n: number, seed = 1): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => sampleDimension(dim, rng) as number);
}

const share = (xs: number[], pred: (x: number) => boolean) => xs.filter(pred).length / xs.length;

describe('search space validation', () => {
  const bad: [string, Dimension, RegExp][] = [
    ['low = high', { type: 'uniform', low: 1, high: 1 }, /"p" needs low < high, got low 1, high 1/],
    ['low > high', { type: 'loguniform', low: 10, high: 1 }, /needs low < high/],
    ['log with low 0', { type: 'loguniform', low: 0, high: 1 }, /log scale, so low must be > 0, got 0/],
    ['log int with low 0', { type: 'int', low: 0, high: 8, log: true }, /low must be > 0/],
    ['non-integer int bounds', { type: 'int', low: 1.5, high: 8 }, /non-integer bounds/],
    ['NaN bound', { type: 'uniform', low: Number.NaN, high: 1 }, /finite bounds/],
    ['no choices', { type: 'categorical', choices: [] }, /"p" has no choices/],
    ['duplicate choices', { type: 'categorical', choices: ['a', 'b', 'a'] }, /lists the choice "a" twice/],
  ];

  it.each(bad)('rejects %s with INVALID_SEARCH_SPACE naming the parameter', (_label, dim, message) => {
    let error: unknown;
    try {
      validateSearchSpace({ p: dim });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TuningError);
    expect((error as TuningError).code).toBe(TuningErrorCode.INVALID_SEARCH_SPACE);
    expect((error as TuningError).message).toMatch(message);
  });

  it('rejects an empty space and an unknown dimension type', () => {
    expect(() => validateSearchSpace({})).toThrow(/no dimensions/);
    const unknown = { p: { type: 'normal', low: 0, high: 1 } } as unknown as SearchSpace;
    expect(() => validateSearchSpace(unknown)).toThrow(/unknown type "normal"/);
  });

  it('accepts every declared model space', () => {
    for (const space of Object.values(SEARCH_SPACES)) expect(() => validateSearchSpace(space)).not.toThrow();
  });
});

describe('prior sampling', () => {
  it('loguniform: every decade equally likely (quantiles at 10^k)', () => {
    const xs = draws({ type: 'loguniform', low: 1e-3, high: 10 }, 20000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1e-3);
    expect(Math.max(...xs)).toBeLessThanOrEqual(10);
    for (const [cut, q] of [
      [1e-2, 0.25],
      [1e-1, 0.5],
      [1, 0.75],
    ]) {
      expect(Math.abs(share(xs, (x) => x < cut) - q)).toBeLessThan(0.015);
    }
  });

  it('uniform: flat on [low, high]', () => {
    const xs = draws({ type: 'uniform', low: -2, high: 6 }, 20000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...xs)).toBeLessThan(6);
    expect(Math.abs(share(xs, (x) => x < 0) - 0.25)).toBeLessThan(0.015);
    expect(Math.abs(share(xs, (x) => x < 4) - 0.75)).toBeLessThan(0.015);
  });

  it('int: every integer of [low, high] equally likely, bounds included', () => {
    const xs = draws({ type: 'int', low: 3, high: 7 }, 10000);
    for (let v = 3; v <= 7; v++) expect(Math.abs(share(xs, (x) => x === v) - 0.2)).toBeLessThan(0.015);
    expect(xs.every(Number.isInteger)).toBe(true);
  });

  it('int with log: P(x ≤ v) = log((v + ½)/(low − ½)) / log((high + ½)/(low − ½))', () => {
    const xs = draws({ type: 'int', low: 1, high: 1000, log: true }, 20000);
    expect(xs.every(Number.isInteger)).toBe(true);
    expect(Math.min(...xs)).toBe(1);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1000);
    for (const v of [1, 10, 31, 300]) {
      const expected = Math.log((v + 0.5) / 0.5) / Math.log(1000.5 / 0.5);
      expect(Math.abs(share(xs, (x) => x <= v) - expected)).toBeLessThan(0.015);
    }
  });

  it('categorical: uniform over the choices', () => {
    const rng = new Rng(2);
    const dim: Dimension = { type: 'categorical', choices: [true, 'x', 3] };
    const xs = Array.from({ length: 9000 }, () => sampleDimension(dim, rng));
    for (const c of [true, 'x', 3])
      expect(Math.abs(xs.filter((x) => x === c).length / 9000 - 1 / 3)).toBeLessThan(0.02);
  });

  it('random search draws the dimensions of a configuration independently of each other', () => {
    // Regression: seeding each trial and dimension by Rng.fork made the first draws of sibling streams
    // move in lock-step, so x and y below came out perfectly correlated.
    const space: SearchSpace = {
      x: { type: 'uniform', low: 0, high: 1 },
      y: { type: 'uniform', low: 0, high: 1 },
    };
    const sampler = new RandomSampler({ seed: 3 });
    const ps = Array.from({ length: 2000 }, (_, n) =>
      sampler.propose({ space, direction: 'minimize', trials: [], trialNumber: n }),
    );
    const x = ps.map((p) => p.x as number);
    const y = ps.map((p) => p.y as number);
    const mx = x.reduce((a, b) => a + b) / x.length;
    const my = y.reduce((a, b) => a + b) / y.length;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) ** 2;
      syy += (y[i] - my) ** 2;
    }
    expect(Math.abs(sxy / Math.sqrt(sxx * syy))).toBeLessThan(0.07);
    // Consecutive trials are not correlated either.
    let lag = 0;
    for (let i = 1; i < x.length; i++) lag += (x[i] - mx) * (x[i - 1] - mx);
    expect(Math.abs(lag / sxx)).toBeLessThan(0.07);
  });
});

describe('internal coordinates', () => {
  it('log scales map to natural logs, ints own a unit cell, and values round-trip', () => {
    expect(internalBounds({ type: 'loguniform', low: 1, high: Math.E })).toEqual({ low: 0, high: 1 });
    expect(internalBounds({ type: 'int', low: 2, high: 5 })).toEqual({ low: 1.5, high: 5.5 });
    const logInt: Dimension = { type: 'int', low: 1, high: 100, log: true };
    expect(internalBounds(logInt)).toEqual({ low: Math.log(0.5), high: Math.log(100.5) });
    expect(fromInternal(logInt, toInternal(logInt, 37))).toBe(37);
    expect(fromInternal(logInt, Math.log(100.49))).toBe(100);
    expect(fromInternal({ type: 'loguniform', low: 1e-3, high: 1 }, 0.0001)).toBe(1);
  });

  it('containsValue checks type, range and integrality', () => {
    expect(containsValue({ type: 'int', low: 1, high: 5 }, 3)).toBe(true);
    expect(containsValue({ type: 'int', low: 1, high: 5 }, 3.5)).toBe(false);
    expect(containsValue({ type: 'uniform', low: 0, high: 1 }, '0.5')).toBe(false);
    expect(containsValue({ type: 'categorical', choices: [false] }, false)).toBe(true);
  });
});

describe('SEARCH_SPACES against the model registry', () => {
  it('names registry models only', () => {
    for (const name of Object.keys(SEARCH_SPACES)) expect(MODEL_NAMES).toContain(name);
    expect(isTunableModel('als')).toBe(true);
    expect(isTunableModel('popularity')).toBe(false);
  });

  it.each(Object.keys(SEARCH_SPACES))(
    '%s: sampled configurations and the corners parse with its params schema',
    (name) => {
      const space: SearchSpace = SEARCH_SPACES[name as keyof typeof SEARCH_SPACES];
      const model = createModel(name);
      const sampler = new RandomSampler({ seed: 9 });
      for (let n = 0; n < 50; n++) {
        const config = sampler.propose({ space, direction: 'maximize', trials: [], trialNumber: n });
        const parsed = model.parseParams(config) as Record<string, unknown>;
        for (const key of Object.keys(space)) expect(parsed[key]).toBe(config[key]);
      }
      const corner = (pick: 'low' | 'high') =>
        Object.fromEntries(
          Object.entries(space).map(([k, d]) => [
            k,
            d.type === 'categorical' ? d.choices[pick === 'low' ? 0 : d.choices.length - 1] : d[pick],
          ]),
        );
      expect(() => model.parseParams(corner('low'))).not.toThrow();
      expect(() => model.parseParams(corner('high'))).not.toThrow();
    },
  );
});
