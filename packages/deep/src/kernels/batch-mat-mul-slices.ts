import * as tf from '@tensorflow/tfjs';
import { backendArrays, inputOf, sizeOf } from './backend-arrays';

/** The part of tfjs-backend-wasm's BackendWasm used to free intermediates. */
interface DisposingBackend {
  disposeData(dataId: tf.DataId): boolean;
}

/**
 * BatchMatMul with a batch dimension as one product per batch entry. tfjs-backend-wasm 4.22 hands a
 * single product (batch 1) to XNNPACK but loops naively over batched ones: in SASRec's attention,
 * [128, 50, 64] × [128, 64, 50] took 30–60 ms (about 1 GFLOP/s) where one XNNPACK product of the same
 * work took under 2 ms. This kernel transposes whole inputs once where asked (wasm's transposed
 * products are slow too, see mat-mul-explicit-transpose.ts), then copies each entry's matrices out,
 * multiplies them with `single` (the backend's product for batch 1) and copies the result in.
 * Broadcast batches (one side of batch 1) and batch 1 go to `single` as they are.
 */
export function batchMatMulSlicesKernel(backendName: string, single: tf.KernelFunc): tf.KernelFunc {
  const transpose = tf.getKernel('Transpose', backendName);
  return (args) => {
    // Kernel attrs arrive as tfjs-core's untyped NamedAttrMap; BatchMatMul's are {transposeA, transposeB}.
    const attrs = args.attrs as unknown as tf.BatchMatMulAttrs;
    const a = inputOf(args.inputs, 'a', 'BatchMatMul');
    const b = inputOf(args.inputs, 'b', 'BatchMatMul');
    const batch = sizeOf(a.shape.slice(0, -2));
    if (
      a.shape.length < 3 ||
      a.shape.length !== b.shape.length ||
      a.shape.slice(0, -2).some((d, k) => d !== b.shape[k]) ||
      batch < 2 ||
      a.dtype !== 'float32' ||
      b.dtype !== 'float32'
    )
      return single(args);
    const rank = a.shape.length;
    const io = backendArrays(backendName, args.backend);
    const backend = args.backend as DisposingBackend;
    // Transposes are made once for the whole batch, so every entry's product is a plain one.
    const made: tf.TensorInfo[] = [];
    const plain = (t: tf.TensorInfo, transposed: boolean): tf.TensorInfo => {
      if (!transposed || transpose === undefined) return t;
      const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
      const info = transpose.kernelFunc({
        inputs: { x: t },
        backend: args.backend,
        attrs: { perm },
      }) as tf.TensorInfo;
      made.push(info);
      return info;
    };
    const useTranspose = transpose !== undefined;
    const x = plain(a, attrs.transposeA);
    const y = plain(b, attrs.transposeB);
    const [m, inner] = [x.shape[rank - 2], x.shape[rank - 1]];
    const n = y.shape[rank - 1];
    const out = io.allocate([...a.shape.slice(0, -2), m, n], 'float32');
    const xSize = m * inner;
    const ySize = inner * n;
    const oSize = m * n;
    for (let k = 0; k < batch; k++) {
      const xi = io.allocate([m, inner], 'float32');
      const yi = io.allocate([inner, n], 'float32');
      // Views are read after every allocation: a wasm allocation may move the heap.
      xi.values.set(io.read(x).subarray(k * xSize, (k + 1) * xSize));
      yi.values.set(io.read(y).subarray(k * ySize, (k + 1) * ySize));
      const product = single({
        inputs: { a: xi.info, b: yi.info },
        backend: args.backend,
        attrs: {
          transposeA: useTranspose ? false : attrs.transposeA,
          transposeB: useTranspose ? false : attrs.transposeB,
        },
      }) as tf.TensorInfo;
      io.read(out.info).set(io.read(product), k * oSize);
      backend.disposeData(xi.info.dataId);
      backend.disposeData(yi.info.dataId);
      backend.disposeData(product.dataId);
    }
    for (const t of made) backend.disposeData(t.dataId);
    return out.info;
  };
}
