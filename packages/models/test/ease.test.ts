import { type InteractionDataset } from '@recsys/data';
import { inverse, Matrix } from 'ml-matrix';
import { EaseModel, ModelErrorCode, spdInverseInPlace } from '../src';
import { describeModelContract } from './support/contract-suite';
import { datasetFromMatrix } from './support/matrix-dataset';

const viewMatrix = (rows: number[][]): InteractionDataset => datasetFromMatrix(rows, 'VIEW');
import { movieLens100k } from './support/movielens';

describeModelContract('ease', () => new EaseModel(), {
  params: { lambda: 10 },
  personalized: true,
  servesColdUsers: false,
});

describe('ease', () => {
  it("B equals Steck's closed form computed with ml-matrix's inverse, with a zero diagonal", async () => {
    const x = [
      [1, 1, 0, 0, 1],
      [0, 1, 1, 0, 0],
      [1, 0, 1, 1, 0],
      [1, 1, 1, 0, 0],
      [0, 0, 1, 1, 1],
      [1, 0, 0, 1, 1],
    ];
    const lambda = 0.7;
    const model = await new EaseModel().fit(viewMatrix(x), { lambda });
    const X = new Matrix(x);
    const G = X.transpose().mmul(X).add(Matrix.eye(5).mul(lambda));
    const P = inverse(G);
    const b = model.weights();
    for (let i = 0; i < 5; i++) {
      expect(b[i * 5 + i]).toBe(0);
      for (let j = 0; j < 5; j++)
        if (i !== j) expect(b[i * 5 + j]).toBeCloseTo(-P.get(i, j) / P.get(j, j), 6);
    }
    // score(u) = x_u B
    const scores = model.scoreAll(1);
    for (let j = 0; j < 5; j++) expect(scores[j]).toBeCloseTo(b[1 * 5 + j] + b[2 * 5 + j], 6);
  });

  it('inverts SPD matrices like ml-matrix, also when n is not a multiple of the block size', async () => {
    for (const n of [1, 3, 9, 50]) {
      let seed = n;
      const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
      const r = Matrix.zeros(n, n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) r.set(i, j, rand());
      const a = r.transpose().mmul(r).add(Matrix.eye(n).mul(0.5));
      const flat = Float64Array.from(a.to1DArray());
      await spdInverseInPlace(flat, n);
      const expected = inverse(a);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) expect(flat[i * n + j]).toBeCloseTo(expected.get(i, j), 9);
    }
  });

  it('refuses catalogs above maxItems with the memory it would need', async () => {
    const data = viewMatrix([
      [1, 1, 0],
      [0, 1, 1],
    ]);
    await expect(new EaseModel().fit(data, { maxItems: 2 })).rejects.toMatchObject({
      code: ModelErrorCode.FIT_FAILED,
      message: expect.stringMatching(/3 items exceed maxItems 2.*3² × 8 bytes = 72 bytes/),
    });
  });

  it('stops with ABORTED when its signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    const data = viewMatrix([
      [1, 1, 0],
      [0, 1, 1],
    ]);
    await expect(new EaseModel().fit(data, {}, { signal: controller.signal })).rejects.toMatchObject({
      code: ModelErrorCode.ABORTED,
    });
  });

  it('reports monotone progress that ends at 1 (the quality floor lives in packages/training)', async () => {
    const data = movieLens100k();
    const fractions: number[] = [];
    await new EaseModel().fit(data, { lambda: 400 }, { onProgress: (p) => fractions.push(p.fraction) });
    expect(fractions.length).toBeGreaterThan(10);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(fractions[fractions.length - 1]).toBe(1);
  });
});
