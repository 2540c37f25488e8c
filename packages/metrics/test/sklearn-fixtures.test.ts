import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  aucOfScores,
  averagePrecision,
  averagePrecisionAtK,
  averagePrecisionFromScores,
  hitAtK,
  mae,
  ndcgAtK,
  ndcgFromScores,
  precisionAtK,
  recallAtK,
  reciprocalRank,
  rmse,
} from '../src';

interface AtKCase {
  k: number;
  ndcgFromScores: number;
  ndcgFromScoresExponential: number;
  ndcgOfRanked: number;
  ndcgOfRankedExponential: number;
  precision: number;
  recall: number;
  hit: number;
  rr: number;
  apAtK: number;
}

interface RankingCase {
  id: number;
  graded: boolean;
  tied: boolean;
  trueRelevance: number[];
  scores: number[];
  ranked: number[];
  averagePrecisionFromScores: number;
  averagePrecisionOfRanked: number;
  rocAuc: number;
  ndcgFromScoresAll: number;
  atK: AtKCase[];
}

interface RatingCase {
  id: number;
  dtype: 'float64' | 'float32';
  predicted: number[];
  actual: number[];
  rmse: number;
  mae: number;
}

interface Fixtures {
  sklearn: string;
  ranking: RankingCase[];
  rating: RatingCase[];
}

const fixtures = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/sklearn-fixtures.json'), 'utf8'),
) as Fixtures;
const TOL = 1e-9;

function close(actual: number, expected: number, tolerance = TOL): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
}

function caseName(c: RankingCase): string {
  return `case ${c.id} (n=${c.scores.length}, ${c.graded ? 'graded' : 'binary'}, ${c.tied ? 'tied' : 'untied'} scores)`;
}

describe(`scikit-learn ${fixtures.sklearn} fixtures`, () => {
  it('covers tied and untied, binary and graded cases, and K beyond the list', () => {
    expect(fixtures.ranking.some((c) => c.tied && c.graded)).toBe(true);
    expect(fixtures.ranking.some((c) => !c.tied && !c.graded)).toBe(true);
    expect(fixtures.ranking.some((c) => c.atK.some((a) => a.k > c.scores.length))).toBe(true);
    expect(fixtures.ranking.some((c) => new Set(c.scores).size < c.scores.length)).toBe(true);
  });

  it('has tied cases where breaking ties by position would not match sklearn (so tie handling is tested)', () => {
    const mismatches = fixtures.ranking.filter((c) =>
      c.atK.some(
        (a) =>
          Math.abs(ndcgFromScores(c.trueRelevance, c.scores, a.k, { ignoreTies: true }) - a.ndcgFromScores) >
          1e-6,
      ),
    );
    expect(mismatches.length).toBeGreaterThan(0);
    expect(mismatches.every((c) => c.tied)).toBe(true);
  });

  describe.each(fixtures.ranking.map((c) => [caseName(c), c] as const))('%s', (_name, c) => {
    const relevance = Float64Array.from(c.trueRelevance);
    const scores = Float64Array.from(c.scores);
    const ranked = Int32Array.from(c.ranked);
    const labels = Uint8Array.from(c.trueRelevance, (r) => (r > 0 ? 1 : 0));
    const relevantSet = new Set(c.trueRelevance.flatMap((r, i) => (r > 0 ? [i] : [])));
    const relevantSorted = Int32Array.from(relevantSet).sort();
    const gains = new Map(c.trueRelevance.map((r, i) => [i, r] as const));

    it('ndcgFromScores equals ndcg_score (ignore_ties=False), linear and exponential gains', () => {
      close(ndcgFromScores(relevance, scores), c.ndcgFromScoresAll);
      for (const a of c.atK) {
        close(ndcgFromScores(relevance, scores, a.k), a.ndcgFromScores);
        close(ndcgFromScores(relevance, scores, a.k, { gain: 'exponential' }), a.ndcgFromScoresExponential);
      }
    });

    it('ndcgAtK over the ranked list equals ndcg_score of that ranking', () => {
      for (const a of c.atK) {
        close(ndcgAtK(ranked, gains, a.k), a.ndcgOfRanked);
        close(ndcgAtK(ranked, gains, a.k, { gain: 'exponential' }), a.ndcgOfRankedExponential);
        if (!c.graded) close(ndcgAtK(ranked, relevantSet, a.k), a.ndcgOfRanked);
      }
    });

    it('average precision equals average_precision_score (scores with ties, and the ranked list)', () => {
      close(averagePrecisionFromScores(labels, scores), c.averagePrecisionFromScores);
      close(averagePrecision(ranked, relevantSet), c.averagePrecisionOfRanked);
      close(averagePrecision(ranked, relevantSorted), c.averagePrecisionOfRanked);
      if (!c.tied) close(averagePrecisionFromScores(labels, scores), c.averagePrecisionOfRanked);
    });

    it('aucOfScores equals roc_auc_score', () => {
      close(aucOfScores(scores, labels), c.rocAuc);
    });

    it('precision, recall, hit, RR and AP@K equal the numpy formulas', () => {
      for (const a of c.atK) {
        for (const relevant of [relevantSet, relevantSorted, gains]) {
          close(precisionAtK(ranked, relevant, a.k), a.precision);
          close(recallAtK(ranked, relevant, a.k), a.recall);
          close(hitAtK(ranked, relevant, a.k), a.hit);
          close(reciprocalRank(ranked, relevant, a.k), a.rr);
          close(averagePrecisionAtK(ranked, relevant, a.k), a.apAtK);
        }
      }
    });
  });

  it.each(fixtures.rating.map((c) => [c.id, c.dtype, c.predicted.length, c] as const))(
    'rating case %i (%s, n=%i): rmse and mae equal sklearn',
    (_id, dtype, _n, c) => {
      const tolerance = dtype === 'float32' ? 1e-6 : TOL;
      const predicted = dtype === 'float32' ? Float32Array.from(c.predicted) : Float64Array.from(c.predicted);
      const actual = dtype === 'float32' ? Float32Array.from(c.actual) : Float64Array.from(c.actual);
      close(rmse(predicted, actual), c.rmse, tolerance);
      close(mae(predicted, actual), c.mae, tolerance);
    },
  );
});
