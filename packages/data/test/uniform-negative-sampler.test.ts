import { buildCsr } from '../src/matrix/csr';
import { userItemMatrix } from '../src/matrix/user-item-matrix';
import { NegativeSamplingError } from '../src/sampling/negative-sampler';
import { UniformNegativeSampler } from '../src/sampling/uniform-negative-sampler';
import { ml100kLog } from './helpers/ml100k';
import { compare, positivesDrawn } from './helpers/sampling-checks';

const ml = ml100kLog();
const positives = userItemMatrix(ml.log, ml.users.size, ml.items.size);

describe('UniformNegativeSampler', () => {
  it('never returns a positive, over every MovieLens user', () => {
    const s = new UniformNegativeSampler(positives, { seed: 1 });
    const users = Int32Array.from({ length: positives.rows }, (_, u) => u);
    const out = s.sampleBatch(users, 50);
    expect(out.length).toBe(positives.rows * 50);
    expect(positivesDrawn(positives, users, 50, out)).toBe(0);
  });

  it('is uniform over the non-positive items and reproducible', () => {
    const user = 12;
    const row = new Set(
      Array.from(positives.indices.subarray(positives.indptr[user], positives.indptr[user + 1])),
    );
    const draws = 200_000;
    const out = new UniformNegativeSampler(positives, { seed: 5 }).sample(user, draws);
    const counts = new Float64Array(positives.cols);
    for (const i of out) counts[i]++;
    const p = Float64Array.from({ length: positives.cols }, (_, i) =>
      row.has(i) ? 0 : 1 / (positives.cols - row.size),
    );
    const { chi2, dof } = compare(counts, p, draws, 0);
    // chi-square with ~1.5k degrees of freedom: mean dof, sd sqrt(2·dof); allow 5 sd.
    expect(chi2).toBeLessThan(dof + 5 * Math.sqrt(2 * dof));
    expect(new UniformNegativeSampler(positives, { seed: 5 }).sample(user, 100)).toEqual(
      out.subarray(0, 100),
    );
    expect(new UniformNegativeSampler(positives, { seed: 6 }).sample(user, 100)).not.toEqual(
      out.subarray(0, 100),
    );
  });

  it('samples a nearly full row exactly and fails clearly on a full one', () => {
    // user 0 has items 0..8 of 10, user 1 has all 10
    const rows = new Int32Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const cols = new Int32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const m = buildCsr(2, 10, rows, cols);
    const s = new UniformNegativeSampler(m, { seed: 2 });
    expect(Array.from(s.sample(0, 5))).toEqual([9, 9, 9, 9, 9]);
    expect(() => s.sample(1, 1)).toThrow(NegativeSamplingError);
    expect(() => s.sample(1, 1)).toThrow(/user 1 has interacted with every item/);
    expect(() => s.sample(2, 1)).toThrow(RangeError);
  });

  it('writes into a given buffer', () => {
    const out = new Int32Array(8).fill(-1);
    const r = new UniformNegativeSampler(positives, { seed: 1 }).sample(3, 4, out);
    expect(r).toBe(out);
    expect(Array.from(out.subarray(4))).toEqual([-1, -1, -1, -1]);
  });
});
