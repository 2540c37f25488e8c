import { buildCsr, hasEntry } from '../src/matrix/csr';
import { userItemMatrix } from '../src/matrix/user-item-matrix';
import { NegativeSamplingError } from '../src/sampling/negative-sampler';
import { PopularityNegativeSampler, columnCounts } from '../src/sampling/popularity-negative-sampler';
import { ml100kLog } from './helpers/ml100k';
import { compare, positivesDrawn } from './helpers/sampling-checks';

const ml = ml100kLog();
const positives = userItemMatrix(ml.log, ml.users.size, ml.items.size);

describe('PopularityNegativeSampler', () => {
  it('never returns a positive, over every MovieLens user', () => {
    const s = new PopularityNegativeSampler(positives, { seed: 1 });
    const users = Int32Array.from({ length: positives.rows }, (_, u) => u);
    const out = s.sampleBatch(users, 50);
    expect(positivesDrawn(positives, users, 50, out)).toBe(0);
  });

  it.each([0.75, 1, 0])('matches count^%p over the non-positive items on 200k draws', (alpha) => {
    const user = 0; // user 0 of the file has 272 ratings, many of popular films
    const counts = columnCounts(positives);
    const s = new PopularityNegativeSampler(positives, { seed: 11, alpha });
    expect(s.alpha).toBe(alpha);
    const draws = 200_000;
    const out = s.sample(user, draws);
    const freq = new Float64Array(positives.cols);
    for (const i of out) freq[i]++;
    const p = new Float64Array(positives.cols);
    let total = 0;
    for (let i = 0; i < p.length; i++) {
      p[i] = hasEntry(positives, user, i) || counts[i] === 0 ? 0 : Math.pow(counts[i], alpha);
      total += p[i];
    }
    for (let i = 0; i < p.length; i++) p[i] /= total;
    const { maxRelErr, maxZ, chi2, dof } = compare(freq, p, draws, 0.005);
    // items expected ≥ 1000 times (sd ≤ 3.2%) within 15%; no item beyond 5 sd; chi-square within 5 sd of its dof
    expect(maxRelErr).toBeLessThan(0.15);
    expect(maxZ).toBeLessThan(5);
    expect(chi2).toBeLessThan(dof + 5 * Math.sqrt(2 * dof));
  });

  it('never draws an item whose count is 0, and uses the given counts', () => {
    const m = buildCsr(1, 4, new Int32Array([0]), new Int32Array([0]));
    const s = new PopularityNegativeSampler(m, { seed: 3, counts: [5, 0, 1, 9], alpha: 1 });
    const out = s.sample(0, 20_000);
    const freq = [0, 0, 0, 0];
    for (const i of out) freq[i]++;
    expect(freq[0]).toBe(0);
    expect(freq[1]).toBe(0);
    expect(freq[2] / 20_000).toBeCloseTo(0.1, 1);
    expect(freq[3] / 20_000).toBeCloseTo(0.9, 1);
  });

  it('fails clearly when a user holds every item with weight', () => {
    const m = buildCsr(1, 3, new Int32Array([0, 0]), new Int32Array([0, 2]));
    const s = new PopularityNegativeSampler(m, { seed: 3, counts: [4, 0, 2] });
    expect(() => s.sample(0, 1)).toThrow(NegativeSamplingError);
  });
});
