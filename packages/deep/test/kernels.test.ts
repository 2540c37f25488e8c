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

  it('BatchMatMul of large products (ONNX Runtime GEMM) matches a float64 reference, every transpose', async () => {
    const rng = new Rng(6);
    const [m, k, n] = [300, 70, 90];
    const a = Float32Array.from({ length: m * k }, () => rng.normal());
    const b = Float32Array.from({ length: k * n }, () => rng.normal());
    const reference = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc += a[i * k + p] * b[p * n + j];
        reference[i * n + j] = acc;
      }
    const transposed = (x: Float32Array, rows: number, cols: number) => {
      const t = new Float32Array(x.length);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
      return t;
    };
    const aT = transposed(a, m, k);
    const bT = transposed(b, k, n);
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ]) {
        const got = tf.tidy(() =>
          tf
            .matMul(
              tf.tensor(ta ? aT : a, ta ? [k, m] : [m, k]),
              tf.tensor(tb ? bT : b, tb ? [n, k] : [k, n]),
              ta,
              tb,
            )
            .dataSync(),
        );
        let worst = 0;
        for (let i = 0; i < got.length; i++)
          worst = Math.max(worst, Math.abs(got[i] - reference[i]) / (1 + Math.abs(reference[i])));
        expect(worst).toBeLessThanOrEqual(1e-5);
      }
      // Batch 1 in rank 3 takes the same path and keeps its shape.
      const batched = tf.tidy(() => tf.matMul(tf.tensor(a, [1, m, k]), tf.tensor(b, [1, k, n])));
      expect(batched.shape).toEqual([1, m, n]);
      expect(Math.abs(batched.dataSync()[5] - reference[5])).toBeLessThan(1e-4);
      batched.dispose();
    }
  });

  it('Sum over leading axes on wasm matches cpu within 1e-5 (bias gradients), other axes too', async () => {
    const rng = new Rng(8);
    const x = Float32Array.from({ length: 6 * 5 * 7 }, () => rng.normal());
    const cases: { shape: number[]; axis: number | number[] | undefined; keepDims: boolean }[] = [
      { shape: [30, 7], axis: 0, keepDims: false },
      { shape: [30, 7], axis: [0], keepDims: true },
      { shape: [6, 5, 7], axis: [1, 0], keepDims: false },
      { shape: [6, 5, 7], axis: -3, keepDims: true },
      { shape: [30, 7], axis: 1, keepDims: false }, // innermost: the stock kernel
      { shape: [6, 5, 7], axis: [0, 2], keepDims: false }, // not leading: the stock kernel
      { shape: [210], axis: 0, keepDims: false }, // every axis
      { shape: [30, 7], axis: undefined, keepDims: false },
    ];
    for (const c of cases) {
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const t = tf.sum(tf.tensor(x, c.shape), c.axis, c.keepDims);
          return { shape: t.shape, values: t.dataSync() };
        });
      };
      const ref = await run('cpu');
      const got = await run('wasm');
      expect(got.shape).toEqual(ref.shape);
      expectClose(got.values, ref.values);
    }
  });

  it("SplitV on wasm matches cpu (sizes, -1, equal parts, int32, every axis) and so does Concat's gradient", async () => {
    const rng = new Rng(9);
    const x = Float32Array.from({ length: 4 * 6 * 3 }, () => rng.normal());
    const cases: { splits: number | number[]; axis: number; dtype: 'float32' | 'int32' }[] = [
      { splits: [2, 4], axis: 1, dtype: 'float32' },
      { splits: [1, -1], axis: 0, dtype: 'float32' },
      { splits: 3, axis: 1, dtype: 'int32' },
      { splits: [0, 3], axis: -1, dtype: 'float32' },
      { splits: [2, 3, 1], axis: 1, dtype: 'float32' },
    ];
    for (const c of cases) {
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        return tf.tidy(() =>
          tf
            .split(
              tf
                .tensor(x, [4, 6, 3])
                .cast(c.dtype)
                .mul(c.dtype === 'int32' ? 10 : 1),
              c.splits,
              c.axis,
            )
            .map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) })),
        );
      };
      const ref = await run('cpu');
      const got = await run('wasm');
      expect(got.map((g) => g.shape)).toEqual(ref.map((r) => r.shape));
      got.forEach((g, k) => expectClose(g.values, ref[k].values));
    }
    // d/da, d/db of Σ concat([a, b], 1) ⊙ w: the backward pass of NeuMF's concatenations.
    const grads = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const w = tf.tensor(x.slice(0, 4 * 9), [4, 9]);
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.concat([a, b], 1), w)));
        return g([tf.ones([4, 5]), tf.ones([4, 4])]).map((t) => t.dataSync());
      });
    };
    const ref = await grads('cpu');
    const got = await grads('wasm');
    got.forEach((g, k) => expectClose(g, ref[k]));
  });

  it('Identity on wasm shares memory: a clone outlives its source and both free it', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory();
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = tf.clone(x); // the Identity kernel
    expect(tf.memory().numDataBuffers - before.numDataBuffers).toBe(1); // one buffer, not a copy
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    y.dispose();
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    expect(tf.memory().numTensors).toBe(before.numTensors);
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
