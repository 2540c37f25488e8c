import type * as tf from '@tensorflow/tfjs';
import { backendArrays, inputOf, sizeOf } from './backend-arrays';

/**
 * Sum over the leading axes of a float32 tensor, out[j] = Σ_i x[i, j] with i over the reduced leading
 * dims and j over the rest, in one pass (float64 accumulators). This is every dense layer's bias
 * gradient (a sum over the batch); tfjs-backend-wasm reduces only innermost axes, so it transposed the
 * whole [batch, units] gradient first: a 2,048 × 128 sum over the batch took 2.7 ms there and 0.28 ms
 * here (medians, on this project's shared 2-core machine). Any other reduction goes to the backend's own
 * kernel.
 */
export function sumLeadingAxesKernel(backendName: string, fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = inputOf(args.inputs, 'x', 'Sum');
    // Kernel attrs arrive as tfjs-core's untyped NamedAttrMap; Sum's are {axis, keepDims}.
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    // A full reduction (axis null) is already fast on every backend.
    if (axis === null || axis === undefined) return fallback(args);
    const rank = x.shape.length;
    const axes = (Array.isArray(axis) ? axis : [axis])
      .map((a) => (a < 0 ? a + rank : a))
      .sort((a, b) => a - b);
    const leading = axes.every((a, k) => a === k);
    if (x.dtype !== 'float32' || !leading || axes.length === 0 || axes.length >= rank) return fallback(args);
    const outer = sizeOf(x.shape.slice(0, axes.length));
    const inner = sizeOf(x.shape.slice(axes.length));
    const shape = keepDims
      ? [...axes.map(() => 1), ...x.shape.slice(axes.length)]
      : x.shape.slice(axes.length);
    const io = backendArrays(backendName, args.backend);
    const out = io.allocate(shape, 'float32');
    const xs = io.read(x);
    const acc = new Float64Array(inner);
    for (let i = 0; i < outer; i++) {
      const row = i * inner;
      for (let j = 0; j < inner; j++) acc[j] += xs[row + j];
    }
    out.values.set(acc);
    return out.info;
  };
}
