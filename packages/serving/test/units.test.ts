import { predictionKey, userKeyPart } from '../src/cache/cache-keys';
import type { RecommendRequest } from '../src/contract';
import { Rng } from '@recsys/data';
import { jaccard, rowSets, type RowSets } from '../src/catalog/catalog-snapshot';
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

describe('mmrRerank on random candidates', () => {
  /** MMR as the formula reads, over Jaccard of the category sets: the reference. */
  function reference(
    items: Int32Array,
    rel: Float64Array,
    k: number,
    lambda: number,
    sets: RowSets,
  ): number[] {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of rel) {
      lo = Math.min(lo, r);
      hi = Math.max(hi, r);
    }
    const norm = Array.from(rel, (r) => (hi > lo ? (r - lo) / (hi - lo) : 1));
    const chosen: number[] = [];
    while (chosen.length < Math.min(k, items.length)) {
      let best = -1;
      let bestValue = -Infinity;
      for (let i = 0; i < items.length; i++) {
        if (chosen.includes(i)) continue;
        let maxSim = 0;
        for (const j of chosen) maxSim = Math.max(maxSim, jaccard(sets, items[i], items[j]));
        const value = lambda * norm[i] - (1 - lambda) * maxSim;
        if (value > bestValue || (value === bestValue && norm[i] > norm[best])) {
          best = i;
          bestValue = value;
        }
      }
      chosen.push(best);
    }
    return chosen;
  }

  function randomSets(rng: Rng, rows: number, vocab: number): RowSets {
    const offsets = [0];
    const values: number[] = [];
    for (let r = 0; r < rows; r++) {
      const size = rng.int(4); // 0-3 categories, some services without any
      for (let k = 0; k < size; k++) values.push(rng.int(vocab));
      offsets.push(values.length);
    }
    return rowSets(Int32Array.from(offsets), Int32Array.from(values));
  }

  it.each([
    ['at most 32 categories (bit masks)', 12],
    ['more than 32 categories (sorted sets)', 200],
  ])('picks what the formula picks with %s', (_what, vocab) => {
    const rng = new Rng(vocab);
    const sets = randomSets(rng, 300, vocab);
    for (let trial = 0; trial < 20; trial++) {
      const items = Int32Array.from({ length: 120 }, () => rng.int(300));
      // Coarse relevance values, so that ties occur and their order is checked too.
      const rel = Float64Array.from(items, () => Math.round(rng.next() * 8) / 8);
      for (const lambda of [0.3, 0.7, 1])
        expect(Array.from(mmrRerank(items, rel, 10, lambda, sets))).toEqual(
          reference(items, rel, 10, lambda, sets),
        );
    }
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

  it('hold what ranking reads (placement, limit, filter, session anchors) and nothing else', () => {
    const base = { prefix: 'p:', userId: 'u', generation: 3, modelVersion: 'v' };
    const key = (request: Omit<RecommendRequest, 'userId'>): string =>
      predictionKey({ ...base, request: { userId: 'u', ...request } });
    const plain = key({ limit: 5 });
    expect(plain).toBe('p:pred:u:3:v:home:5:-');
    // Device, time, country and session id change nothing in candidates or ranking: one entry.
    expect(
      key({
        limit: 5,
        context: { device: 'mobile', hour: 3, weekday: 0, country: 'DE', sessionId: 's-1' },
      }),
    ).toBe(plain);
    expect(key({ limit: 5, context: { time: new Date('2026-06-07T22:00:00Z') } })).toBe(plain);
    // Everything that changes the list is another entry.
    const others = [
      key({ limit: 6 }),
      key({ limit: 5, context: { placement: 'search' } }),
      key({ limit: 5, context: { serviceId: '50' } }),
      key({ limit: 5, context: { recentlyViewed: ['50', '181'] } }),
      key({ limit: 5, context: { recentlyViewed: ['181', '50'] } }),
      key({ limit: 5, filter: { categories: ['a', 'b'] } }),
      key({ limit: 5, filter: { maxPriceTier: 2 } }),
      key({ limit: 5, filter: { freeTierOnly: true } }),
      key({ limit: 5, filter: { excludeServiceIds: ['1'] } }),
    ];
    expect(new Set([plain, ...others]).size).toBe(others.length + 1);
    // The order of a filter list does not matter (it is a set); the order of recently viewed does.
    expect(key({ limit: 5, filter: { categories: ['b', 'a'] } })).toBe(
      key({ limit: 5, filter: { categories: ['a', 'b'] } }),
    );
    expect(key({ limit: 5, context: { placement: 'search' } })).toMatch(/^p:pred:u:3:v:search:5:-$/);
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
    expect(o.cache.predictionCache).toBe(true);
    expect(o.cache.generationMemoryTtlMs).toBe(5_000);
    expect(() =>
      resolveOptions({ pool, datasetId: 'd', modelSource, cache: { generationMemoryTtlMs: 0 } }),
    ).toThrow(/generationMemoryTtlMs/);
    expect(() =>
      // @ts-expect-error: a string where a boolean belongs, as from untyped configuration
      resolveOptions({ pool, datasetId: 'd', modelSource, cache: { predictionCache: 'no' } }),
    ).toThrow(/predictionCache must be a boolean/);
  });
});
