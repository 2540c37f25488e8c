import type * as tf from '@tensorflow/tfjs';
import { backendArrays, inputOf, sizeOf } from './backend-arrays';

/**
 * GatherV2 for the embedding-lookup case (axis 0, no batch dims): copies whole rows of x,
 * out[k, :] = x[indices[k], :], with typed-array `copyWithin`/`set` instead of wasm's element-by-element
 * index arithmetic (0.9 s of a 1,024 × 100 scoring call). Other cases go to the backend's own kernel.
 */
export function gatherRowsKernel(backendName: string, fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    // Kernel attrs arrive as tfjs-core's untyped NamedAttrMap; GatherV2's are {axis, batchDims}.
    const attrs = args.attrs as unknown as tf.GatherV2Attrs;
    const x = inputOf(inputs, 'x', 'GatherV2');
    const indices = inputOf(inputs, 'indices', 'GatherV2');
    const axis = attrs.axis < 0 ? attrs.axis + x.shape.length : attrs.axis;
    if (axis !== 0 || (attrs.batchDims ?? 0) !== 0 || x.shape.length === 0 || indices.dtype !== 'int32')
      return fallback(args);
    const n = x.shape[0];
    const inner = sizeOf(x.shape.slice(1));
    const count = sizeOf(indices.shape);
    const io = backendArrays(backendName, backend);
    const out = io.allocate([...indices.shape, ...x.shape.slice(1)], x.dtype);
    const xs = io.read(x);
    const idx = io.read(indices);
    const o = out.values;
    for (let k = 0; k < count; k++) {
      const row = idx[k];
      if (row < 0 || row >= n) throw new Error(`GatherV2: the index value ${row} is not in [0, ${n - 1}]`);
      o.set(xs.subarray(row * inner, (row + 1) * inner), k * inner);
    }
    return out.info;
  };
}
