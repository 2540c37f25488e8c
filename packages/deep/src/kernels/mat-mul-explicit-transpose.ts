import * as tf from '@tensorflow/tfjs';
import { inputOf } from './backend-arrays';

/** The part of tfjs-backend-wasm's BackendWasm used to free an intermediate. */
interface DisposingBackend {
  disposeData(dataId: tf.DataId): boolean;
}

/**
 * BatchMatMul with `transposeA`/`transposeB` rewritten as explicit Transposes followed by the backend's
 * own untransposed product. tfjs-backend-wasm 4.22 runs transposed products (a dense layer's weight
 * gradient xᵀ·dy and input gradient dy·Wᵀ) far slower than untransposed ones, which go through XNNPACK:
 * on this project's 2-core machines a NeuMF training step of 4,096 examples (MLP 128-64-32) took
 * 300 ms with the stock kernel (290 ms of it in BatchMatMul) and 110–145 ms with this one (45–65 ms).
 */
export function matMulExplicitTransposeKernel(backendName: string, stock: tf.KernelFunc): tf.KernelFunc {
  const transposeKernel = tf.getKernel('Transpose', backendName);
  return (args) => {
    // Kernel attrs arrive as tfjs-core's untyped NamedAttrMap; BatchMatMul's are {transposeA, transposeB}.
    const attrs = args.attrs as unknown as tf.BatchMatMulAttrs;
    if ((!attrs.transposeA && !attrs.transposeB) || transposeKernel === undefined) return stock(args);
    const made: tf.TensorInfo[] = [];
    const plain = (t: tf.TensorInfo, transposed: boolean): tf.TensorInfo => {
      if (!transposed) return t;
      const rank = t.shape.length;
      const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
      const out = transposeKernel.kernelFunc({ inputs: { x: t }, backend: args.backend, attrs: { perm } });
      made.push(out as tf.TensorInfo);
      return out as tf.TensorInfo;
    };
    try {
      return stock({
        inputs: {
          a: plain(inputOf(args.inputs, 'a', 'BatchMatMul'), attrs.transposeA),
          b: plain(inputOf(args.inputs, 'b', 'BatchMatMul'), attrs.transposeB),
        },
        backend: args.backend,
        attrs: { transposeA: false, transposeB: false },
      });
    } finally {
      // The backend object is typed `{}` in KernelFunc's signature; wasm's and cpu's both have disposeData.
      for (const t of made) (args.backend as DisposingBackend).disposeData(t.dataId);
    }
  };
}
