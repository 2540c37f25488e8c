import { Matrix, solve } from 'ml-matrix';
import {
  IdMap,
  InteractionLogBuilder,
  interactionTypeCode,
  Rng,
  type InteractionDataset,
} from '@recsys/data';
import { ModelErrorCode, type FitProgress } from '../src';
import { AlsModel } from '../src/models/als';
import { gramian, solveAlsRows, solverScratchLength } from '../src/models/als-solver';
import { describeModelContract } from './support/contract-suite';
import { movieLens100k } from './support/movielens';

describeModelContract('als', () => new AlsModel(), {
  params: { factors: 8, iterations: 10, regularization: 0.1, alpha: 2, threads: 1 },
  personalized: true,
  servesColdUsers: false,
});

describe('als: conjugate-gradient row solver', () => {
  const d = 8;
  const nItems = 30;
  const lambda = 0.3;
  const rng = new Rng(7);
  const Y = Float32Array.from({ length: nItems * d }, () => rng.normal() * 0.5);
  const observed = Int32Array.from([1, 4, 5, 9, 17, 22, 29]);
  const weights = Float32Array.from(observed, (_, k) => 0.5 + k);
  const indptr = Int32Array.from([0, observed.length]);
  const gram = new Float64Array(d * d);
  gramian(Y, nItems, d, lambda, gram);

  // A = YᵀY + λI + Σ w y yᵀ, b = Σ (1 + w) y, solved exactly.
  const A = Matrix.from1DArray(d, d, gram);
  const b = new Matrix(d, 1);
  observed.forEach((i, k) => {
    for (let f = 0; f < d; f++) {
      b.set(f, 0, b.get(f, 0) + (1 + weights[k]) * Y[i * d + f]);
      for (let g = 0; g < d; g++) A.set(f, g, A.get(f, g) + weights[k] * Y[i * d + f] * Y[i * d + g]);
    }
  });
  const exact = solve(A, b).getColumn(0);

  it('reaches the normal-equation solution after enough steps', () => {
    const X = Float32Array.from({ length: d }, () => rng.next() * 0.01);
    const loss = new Float64Array(1);
    solveAlsRows(
      X,
      Y,
      d,
      indptr,
      observed,
      weights,
      gram,
      3 * d,
      0,
      1,
      loss,
      new Float64Array(solverScratchLength(d)),
    );
    for (let f = 0; f < d; f++) expect(Math.abs(X[f] - exact[f])).toBeLessThan(1e-3);

    // The reported loss is the row objective Σ_i c_i (p_i − x·y_i)² + λ|x|², computed here directly.
    let direct = 0;
    for (let i = 0; i < nItems; i++) {
      let s = 0;
      for (let f = 0; f < d; f++) s += X[f] * Y[i * d + f];
      const k = observed.indexOf(i);
      direct += k >= 0 ? (1 + weights[k]) * (1 - s) ** 2 : s * s;
    }
    for (let f = 0; f < d; f++) direct += lambda * X[f] * X[f];
    expect(loss[0]).toBeCloseTo(direct, 3);
  });

  it('improves on a warm start with each step', () => {
    const errors: number[] = [];
    for (const steps of [1, 2, 3]) {
      const X = new Float32Array(d).fill(0.01);
      solveAlsRows(
        X,
        Y,
        d,
        indptr,
        observed,
        weights,
        gram,
        steps,
        0,
        1,
        null,
        new Float64Array(solverScratchLength(d)),
      );
      errors.push(Math.hypot(...Array.from(X, (v, f) => v - exact[f])));
    }
    expect(errors[1]).toBeLessThan(errors[0]);
    expect(errors[2]).toBeLessThan(errors[1]);
  });
});

describe('als: training', () => {
  const data = movieLens100k();

  it('gives the same factors on two worker threads as inline', async () => {
    const params = { factors: 16, iterations: 3, seed: 3 };
    const inline = await new AlsModel().fit(data, { ...params, threads: 1 });
    const threaded = await new AlsModel().fit(data, { ...params, threads: 2 });
    const a = inline.factors;
    const b = threaded.factors;
    expect(b.users.length).toBe(a.users.length);
    let maxDiff = 0;
    for (let k = 0; k < a.users.length; k++) maxDiff = Math.max(maxDiff, Math.abs(a.users[k] - b.users[k]));
    for (let k = 0; k < a.items.length; k++) maxDiff = Math.max(maxDiff, Math.abs(a.items[k] - b.items[k]));
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('reports a non-increasing loss per iteration', async () => {
    const progress: FitProgress[] = [];
    await new AlsModel().fit(
      data,
      { factors: 16, iterations: 4, threads: 1 },
      { onProgress: (p) => progress.push(p) },
    );
    const epochs = progress.filter((p) => p.epoch !== undefined);
    expect(epochs.map((p) => p.epoch)).toEqual([1, 2, 3, 4]);
    for (let i = 1; i < epochs.length; i++)
      expect(epochs[i].loss ?? NaN).toBeLessThanOrEqual((epochs[i - 1].loss ?? NaN) * (1 + 1e-6));
  });

  it.each([1, 2])('stops with ABORTED when its signal fires (threads %i)', async (threads) => {
    const controller = new AbortController();
    const fit = new AlsModel().fit(
      data,
      { factors: 8, iterations: 50, threads },
      { signal: controller.signal, onProgress: (p) => p.epoch === 2 && controller.abort() },
    );
    await expect(fit).rejects.toMatchObject({ code: ModelErrorCode.ABORTED });
  });

  it('fails with FIT_FAILED when the factors diverge', async () => {
    const log = new InteractionLogBuilder();
    const rating = interactionTypeCode('RATING');
    for (let u = 0; u < 4; u++) for (let i = 0; i < 3; i++) log.push(u, (u + i) % 5, 3e38, 1, rating);
    const tiny: InteractionDataset = {
      name: 'overflow',
      users: IdMap.from(['a', 'b', 'c', 'd']),
      items: IdMap.from(['1', '2', '3', '4', '5']),
      log: log.build(),
    };
    await expect(
      new AlsModel().fit(tiny, { value: 'rating', alpha: 1e10, factors: 2, threads: 1 }),
    ).rejects.toMatchObject({
      code: ModelErrorCode.FIT_FAILED,
    });
  });
});
