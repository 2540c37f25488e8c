import { predictionKey, userKeyPart } from '../src/cache/cache-keys';
import { jaccard, rowSets } from '../src/catalog/catalog-snapshot';
import { forEachTopAllowed, rankedSignal } from '../src/candidates/ranked-signal';
import { mmrRerank } from '../src/ranking/mmr';
import { resolveOptions } from '../src/options';
import { directoryModelSource } from '../src';
import type { Pool } from '../src/options';

/* The pure parts, on hand-worked examples. */

describe('mmrRerank', () => {
  // Items 0..3: 0 and 1 share category A, 2 is B, 3 is A+B.
  const sets = rowSets(Int32Array.from([0, 1, 2, 3, 5]), Int32Array.from([0, 0, 1, 0, 1]));
  const items = Int32Array.from([0, 1, 2, 3]);
  const rel = Float64Array.from([1.0, 0.9, 0.5, 0.0]);

  it('with λ = 1 is plain ranking by relevance', () => {
    expect(Array.from(mmrRerank(items, rel, 4, 1, sets))).toEqual([0, 1, 2, 3]);
  });

  it('with λ = 0.5 trades relevance for a new category', () => {
    // Step 2: item 1 scores 0.5·0.9 − 0.5·1 = −0.05; item 2 scores 0.5·0.5 − 0.5·0 = 0.25; item 3: 0 − 0.25.
    expect(Array.from(mmrRerank(items, rel, 3, 0.5, sets))).toEqual([0, 2, 1]);
  });

  it('returns at most the candidates it has', () => {
    expect(mmrRerank(items, rel, 10, 0.7, sets)).toHaveLength(4);
    expect(mmrRerank(new Int32Array(0), new Float64Array(0), 5, 0.7, sets)).toHaveLength(0);
  });
});

describe('catalog sets', () => {
  it('sorts, de-duplicates and computes Jaccard indexes', () => {
    const sets = rowSets(Int32Array.from([0, 3, 5, 5]), Int32Array.from([2, 0, 2, 1, 2]));
    expect(Array.from(sets.values)).toEqual([0, 2, 1, 2]);
    expect(jaccard(sets, 0, 1)).toBeCloseTo(1 / 3);
    expect(jaccard(sets, 2, 2)).toBe(0);
  });
});

describe('rankedSignal', () => {
  it('walks the positive scores best first and keeps the allowed ones', () => {
    const scores = Float32Array.from([0, 3, 1, 3, 2]);
    const taken: [number, number][] = [];
    forEachTopAllowed(rankedSignal(scores), Uint8Array.from([1, 1, 1, 0, 1]), 2, (i, s) =>
      taken.push([i, s]),
    );
    expect(taken).toEqual([
      [1, 1],
      [4, 2 / 3],
    ]);
    expect(rankedSignal(scores)).toBe(rankedSignal(scores));
  });
});

describe('cache keys', () => {
  it('keep plain short ids verbatim and hash the others', () => {
    expect(userKeyPart('user-42')).toBe('user-42');
    expect(userKeyPart('a:b')).toMatch(/^h~[0-9a-f]{64}$/);
    expect(userKeyPart('x'.repeat(65))).toMatch(/^h~[0-9a-f]{64}$/);
    expect(userKeyPart('a:b')).not.toBe(userKeyPart('a:c'));
  });

  it('bucket the hour and the weekday, and ignore the order of filter lists', () => {
    const base = {
      prefix: 'p:',
      userId: 'u',
      generation: 3,
      modelVersion: 'v',
      hourBucketHours: 4,
      now: new Date(),
    };
    const key = (hour: number, weekday: number, categories: string[]): string =>
      predictionKey({
        ...base,
        request: { userId: 'u', limit: 5, context: { hour, weekday }, filter: { categories } },
      });
    expect(key(8, 1, ['a', 'b'])).toBe(key(11, 2, ['b', 'a']));
    expect(key(8, 1, ['a'])).not.toBe(key(12, 1, ['a']));
    expect(key(8, 1, ['a'])).not.toBe(key(8, 0, ['a']));
    expect(key(8, 1, ['a'])).toMatch(/^p:pred:u:3:v:home:any:h2:wd:5:/);
  });
});

describe('options', () => {
  const pool = {} as Pool;
  const modelSource = directoryModelSource();
  it('fill defaults and reject bad values by name', () => {
    const o = resolveOptions({ pool, datasetId: 'd', modelSource });
    expect(o.keyPrefix).toBe('recsys:serving:d:');
    expect(o.ranking.mmrLambda).toBe(0.7);
    expect(() => resolveOptions({ pool, datasetId: 'd', modelSource, ranking: { mmrLambda: 2 } })).toThrow(
      /mmrLambda/,
    );
    expect(() =>
      resolveOptions({ pool, datasetId: 'd', modelSource, cache: { predictionTtlSeconds: 0.5 } }),
    ).toThrow(/predictionTtlSeconds/);
    expect(() => resolveOptions({ pool, datasetId: '', modelSource })).toThrow(/datasetId/);
  });
});
