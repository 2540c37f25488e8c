import * as tf from '@tensorflow/tfjs';
import { Rng } from '@recsys/data';
import { installFastKernels } from '../src/kernels';
import { selectBackend, silentLogger } from '../src/runtime';

/** Random [rows, dim] floats and ids in [0, segments) (repeats certain), some ids dropped (-1). */
function randomCase(rng: Rng, rows: number, dim: number, segments: number) {
  const x = Float32Array.from({ length: rows * dim }, () => rng.normal());
  const ids = Int32Array.from({ length: rows }, () => rng.int(segments));
  return { x, ids };
}

interface Reference {
  x: Float32Array;
  ids: Int32Array;
  rows: number;
  dim: number;
  segments: number;
  sum: Float32Array;
  gathered: Float32Array;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

describe('fast embedding kernels against the cpu reference kernels', () => {
  const references: Reference[] = [];

  beforeAll(async () => {
    // The references come from cpu's stock kernels, before any JS kernel replaces them.
    await tf.setBackend('cpu');
    const rng = new Rng(11);
    for (const [rows, dim, segments] of [
      [50, 8, 7], // many repeats
      [200, 16, 300], // empty segments: more segments than rows
      [1, 3, 4],
      [0, 5, 3], // no rows at all: every segment empty
    ]) {
      const { x, ids } = randomCase(rng, rows, dim, segments);
      const sum = tf.tidy(() =>
        tf.unsortedSegmentSum(tf.tensor2d(x, [rows, dim]), tf.tensor1d(ids, 'int32'), segments).dataSync(),
      ) as Float32Array;
      const gathered = tf.tidy(() =>
        tf
          .gather(
            tf.tensor2d(x, [rows, dim]),
            tf.tensor1d(
              ids.map((i) => i % Math.max(rows, 1)),
              'int32',
            ),
          )
          .dataSync(),
      ) as Float32Array;
      references.push({ x, ids, rows, dim, segments, sum, gathered });
    }
    await selectBackend({ env: { TFJS_BACKEND: 'wasm' }, logger: silentLogger });
    installFastKernels('cpu');
  });

  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const backend of ['cpu', 'wasm']) {
    it(`UnsortedSegmentSum on ${backend} matches within 1e-5 (repeated ids, empty segments)`, async () => {
      await tf.setBackend(backend);
      for (const r of references) {
        const got = tf.tidy(() =>
          tf
            .unsortedSegmentSum(tf.tensor2d(r.x, [r.rows, r.dim]), tf.tensor1d(r.ids, 'int32'), r.segments)
            .dataSync(),
        );
        expectClose(got, r.sum);
      }
    });

    it(`GatherV2 rows on ${backend} match, and its gradient matches cpu's`, async () => {
      await tf.setBackend(backend);
      for (const r of references) {
        if (r.rows === 0) continue;
        const idx = r.ids.map((i) => i % r.rows);
        const got = tf.tidy(() =>
          tf.gather(tf.tensor2d(r.x, [r.rows, r.dim]), tf.tensor1d(idx, 'int32')).dataSync(),
        );
        expectClose(got, r.gathered);
        // d/dx Σ gather(x, idx) ⊙ w = unsortedSegmentSum(w, idx): the training path.
        const grad = tf.tidy(() => {
          const w = tf.tensor2d(r.x, [r.rows, r.dim]);
          const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.gather(x, tf.tensor1d(idx, 'int32')), w)));
          return g(tf.zeros([r.rows, r.dim])).dataSync();
        });
        const expected = new Float32Array(r.rows * r.dim);
        for (let k = 0; k < idx.length; k++)
          for (let j = 0; j < r.dim; j++) expected[idx[k] * r.dim + j] += r.x[k * r.dim + j];
        expectClose(grad, expected);
      }
    });
  }

  it('BatchMatMul on wasm with explicit transposes matches cpu within 1e-5 relative', async () => {
    const rng = new Rng(5);
    const a = Float32Array.from({ length: 37 * 19 }, () => rng.normal());
    const b = Float32Array.from({ length: 37 * 19 }, () => rng.normal());
    const cases: [number[], number[], boolean, boolean][] = [
      [[37, 19], [19, 37], false, false],
      [[19, 37], [19, 37], true, false],
      [[37, 19], [37, 19], false, true],
      [[19, 37], [37, 19], true, true],
    ];
    for (const [sa, sb, ta, tb] of cases) {
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        return tf.tidy(() => tf.matMul(tf.tensor(a, sa), tf.tensor(b, sb), ta, tb).dataSync());
      };
      const ref = await run('cpu');
      const got = await run('wasm');
      let worst = 0;
      for (let i = 0; i < ref.length; i++)
        worst = Math.max(worst, Math.abs(got[i] - ref[i]) / (1 + Math.abs(ref[i])));
      expect(worst).toBeLessThanOrEqual(1e-5);
    }
  });

  it('gathers along other axes through the stock kernel', async () => {
    await tf.setBackend('wasm');
    const got = tf.tidy(() => tf.gather(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), [2, 0], 1).arraySync());
    expect(got).toEqual([
      [3, 1],
      [6, 4],
    ]);
  });
});
