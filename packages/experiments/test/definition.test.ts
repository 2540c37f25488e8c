import { ExperimentError, ExperimentErrorCode, validateDefinition, type ExperimentDefinition } from '../src';

const NOW = new Date('2026-11-27T12:00:00Z');

function definition(overrides: Partial<ExperimentDefinition> = {}): ExperimentDefinition {
  return {
    name: 'home-ranker-2026',
    placement: 'home',
    primaryMetric: 'ctr',
    variants: [
      { name: 'control', share: 0.5, policy: 'production' },
      { name: 'ease', share: 0.5, modelVersion: 'ease@2' },
    ],
    ...overrides,
  };
}

/** The ExperimentError validateDefinition throws for `input`. */
function rejection(input: unknown): ExperimentError {
  try {
    validateDefinition(input, NOW);
  } catch (error) {
    if (error instanceof ExperimentError) return error;
    throw error;
  }
  throw new Error('the definition was accepted');
}

describe('validateDefinition', () => {
  it('accepts a good definition and fills the defaults', () => {
    const parsed = validateDefinition(
      definition({ guardrailMetrics: ['conversion'], endAt: new Date('2026-12-31T00:00:00Z') }),
      NOW,
    );
    expect(parsed).toMatchObject({
      name: 'home-ranker-2026',
      minSampleSize: 1000,
      alpha: 0.05,
      guardrailMetrics: ['conversion'],
    });
    expect(parsed.variants.map((v) => [v.name, v.shadow, v.canary])).toEqual([
      ['control', false, false],
      ['ease', false, false],
    ]);
  });

  it('accepts shares that sum to 1 within 1e-9 (thirds), a canary, and a shadow outside the split', () => {
    expect(() =>
      validateDefinition(
        definition({
          variants: [
            { name: 'a', share: 1 / 3, policy: 'production' },
            { name: 'b', share: 1 / 3, modelVersion: 'als@1' },
            { name: 'c', share: 1 / 3 - 0.05, modelVersion: 'ease@1' },
            { name: 'canary', share: 0.05, modelVersion: 'ease@2', canary: true },
            { name: 'shadow', share: 1, modelVersion: 'als@2', shadow: true },
          ],
        }),
        NOW,
      ),
    ).not.toThrow();
  });

  it.each([
    [
      'shares summing to 0.9',
      definition({
        variants: [
          { name: 'control', share: 0.5, policy: 'production' },
          { name: 'ease', share: 0.4, modelVersion: 'ease@2' },
        ],
      }),
      ExperimentErrorCode.SHARES_DO_NOT_SUM_TO_ONE,
      'variants',
      /must sum to 1 \(got 0.9: control 0.5, ease 0.4\)/,
    ],
    [
      'shares off by 1e-8',
      definition({
        variants: [
          { name: 'control', share: 0.5, policy: 'production' },
          { name: 'ease', share: 0.5 + 1e-8, modelVersion: 'ease@2' },
        ],
      }),
      ExperimentErrorCode.SHARES_DO_NOT_SUM_TO_ONE,
      'variants',
      /must sum to 1/,
    ],
    [
      'one variant',
      definition({ variants: [{ name: 'control', share: 1, policy: 'production' }] }),
      ExperimentErrorCode.TOO_FEW_VARIANTS,
      'variants',
      /at least two variants \(got 1\)/,
    ],
    [
      'a shadow control',
      definition({
        variants: [
          { name: 'control', share: 1, policy: 'production', shadow: true },
          { name: 'ease', share: 1, modelVersion: 'ease@2' },
        ],
      }),
      ExperimentErrorCode.TOO_FEW_VARIANTS,
      'variants[0].shadow',
      /control and must be shown/,
    ],
    [
      'two variants named alike',
      definition({
        variants: [
          { name: 'control', share: 0.5, policy: 'production' },
          { name: 'control', share: 0.5, modelVersion: 'ease@2' },
        ],
      }),
      ExperimentErrorCode.DUPLICATE_VARIANT_NAME,
      'variants[1].name',
      /"control" is used twice/,
    ],
    [
      'a variant serving nothing',
      definition({
        variants: [
          { name: 'control', share: 0.5, policy: 'production' },
          { name: 'ease', share: 0.5 },
        ],
      }),
      ExperimentErrorCode.INVALID_DEFINITION,
      'variants[1]',
      /exactly one of a modelVersion or a policy/,
    ],
    [
      'a variant serving both',
      definition({
        variants: [
          { name: 'control', share: 0.5, policy: 'production' },
          { name: 'ease', share: 0.5, policy: 'production', modelVersion: 'ease@2' },
        ],
      }),
      ExperimentErrorCode.INVALID_DEFINITION,
      'variants[1]',
      /exactly one/,
    ],
    [
      'a negative share',
      definition({
        variants: [
          { name: 'control', share: 1.5, policy: 'production' },
          { name: 'ease', share: -0.5, modelVersion: 'ease@2' },
        ],
      }),
      ExperimentErrorCode.INVALID_SHARE,
      'variants[0].share',
      /share must be in \(0, 1\] \(got 1.5\)/,
    ],
    [
      'a large canary',
      definition({
        variants: [
          { name: 'control', share: 0.7, policy: 'production' },
          { name: 'ease', share: 0.3, modelVersion: 'ease@2', canary: true },
        ],
      }),
      ExperimentErrorCode.INVALID_SHARE,
      'variants[1].share',
      /canary variant "ease": share must be at most 0.2 \(got 0.3\)/,
    ],
    [
      'an end before the start',
      definition({ startAt: new Date('2026-12-10T00:00:00Z'), endAt: new Date('2026-12-01T00:00:00Z') }),
      ExperimentErrorCode.INVALID_DATES,
      'endAt',
      /endAt \(2026-12-01T00:00:00.000Z\) must be after startAt \(2026-12-10T00:00:00.000Z\)/,
    ],
    [
      'an end already past',
      definition({ endAt: new Date('2026-11-01T00:00:00Z') }),
      ExperimentErrorCode.INVALID_DATES,
      'endAt',
      /already past/,
    ],
  ])('refuses %s', (_what, input, code, field, message) => {
    const error = rejection(input);
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('names every malformed field of the shape in one INVALID_DEFINITION', () => {
    const error = rejection({
      ...definition(),
      name: 'has:colon',
      placement: 'Home Page',
      primaryMetric: 'revenue',
      alpha: 0.9,
      minSampleSize: 0,
      surprise: true,
    });
    expect(error.code).toBe(ExperimentErrorCode.INVALID_DEFINITION);
    expect(error.field).toBe('name');
    for (const field of [
      'name:',
      'placement:',
      'primaryMetric:',
      'minSampleSize:',
      'alpha:',
      'definition:',
    ]) {
      expect(error.message).toContain(field);
    }
  });

  it('names a bad field inside a variant by its path', () => {
    const error = rejection(
      definition({
        variants: [
          { name: 'control', share: 0.5, policy: 'production' },
          { name: 'ease', share: Number.NaN, modelVersion: 'ease@2' },
        ],
      }),
    );
    expect(error.code).toBe(ExperimentErrorCode.INVALID_DEFINITION);
    expect(error.field).toBe('variants[1].share');
  });
});
