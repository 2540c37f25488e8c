import type * as tf from '@tensorflow/tfjs';
import { backendArrays, inputOf, sizeOf } from './backend-arrays';

/**
 * SplitV (the gradient of every Concat: NeuMF's [p_u; q_i] and [φ_GMF; φ_MLP]) by copying each part's
 * contiguous runs straight out of the input's memory. tfjs-backend-wasm slices each part through
 * `readSync`, which copies the whole input out of the heap once per part: splitting a 2,048 × 128
 * gradient in two (and reading the parts) took 1.6 ms there and 0.6 ms here on this project's machine.
 */
export function splitAlongAxisKernel(backendName: string, fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = inputOf(args.inputs, 'x', 'SplitV');
    // Kernel attrs arrive as tfjs-core's untyped NamedAttrMap; SplitV's are {numOrSizeSplits, axis}.
    const { numOrSizeSplits, axis } = args.attrs as unknown as tf.SplitVAttrs;
    const rank = x.shape.length;
    const a = axis < 0 ? axis + rank : axis;
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || a < 0 || a >= rank) return fallback(args);
    const dim = x.shape[a];
    let sizes: number[];
    if (typeof numOrSizeSplits === 'number') {
      if (dim % numOrSizeSplits !== 0) return fallback(args); // let the stock kernel report it
      sizes = new Array<number>(numOrSizeSplits).fill(dim / numOrSizeSplits);
    } else {
      sizes = [...numOrSizeSplits];
      const free = sizes.indexOf(-1);
      if (free >= 0) sizes[free] = dim - sizes.reduce((s, v) => s + (v === -1 ? 0 : v), 0);
    }
    if (sizes.some((s) => s < 0) || sizes.reduce((s, v) => s + v, 0) !== dim) return fallback(args);
    const outer = sizeOf(x.shape.slice(0, a));
    const innerUnit = sizeOf(x.shape.slice(a + 1));
    const io = backendArrays(backendName, args.backend);
    // Allocate every output before reading: a wasm allocation may move the heap under a view.
    const outs = sizes.map((s) => {
      const shape = [...x.shape];
      shape[a] = s;
      return io.allocate(shape, x.dtype);
    });
    const xs = io.read(x);
    const rowLength = dim * innerUnit;
    let offset = 0;
    outs.forEach((out, k) => {
      const run = sizes[k] * innerUnit;
      // Re-read each output's view after the allocations above (wasm views go stale when the heap grows).
      const values = io.read(out.info);
      if (run > 0)
        for (let o = 0; o < outer; o++) {
          const src = o * rowLength + offset;
          values.set(xs.subarray(src, src + run), o * run);
        }
      offset += run;
    });
    return outs.map((o) => o.info);
  };
}
