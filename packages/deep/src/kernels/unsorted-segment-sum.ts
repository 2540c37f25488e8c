import type * as tf from '@tensorflow/tfjs';
import { backendArrays, inputOf, sizeOf } from './backend-arrays';

/**
 * UnsortedSegmentSum in one pass: out[s, j] = Σ_{k : ids[k] = s} x[k, j], ids outside [0, numSegments)
 * dropped (TensorFlow's semantics for negative ids). This is the gradient of every embedding lookup
 * (GatherV2's gradient), so training speed hangs on it: wasm has no such kernel, and cpu's loops over
 * every segment with a full mask (O(segments × rows × dim)), where this is O(rows × dim).
 */
export function unsortedSegmentSumKernel(backendName: string): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputOf(inputs, 'x', 'UnsortedSegmentSum');
    const ids = inputOf(inputs, 'segmentIds', 'UnsortedSegmentSum');
    // Kernel attrs arrive as tfjs-core's untyped NamedAttrMap; UnsortedSegmentSum's are {numSegments}.
    const numSegments = (attrs as unknown as tf.UnsortedSegmentSumAttrs).numSegments;
    const rows = sizeOf(ids.shape);
    const inner = rows === 0 ? sizeOf(x.shape.slice(ids.shape.length)) : sizeOf(x.shape) / rows;
    const io = backendArrays(backendName, backend);
    const out = io.allocate([numSegments, ...x.shape.slice(ids.shape.length)], x.dtype);
    const xs = io.read(x);
    const segment = io.read(ids);
    const o = out.values;
    for (let k = 0; k < rows; k++) {
      const s = segment[k];
      if (s < 0 || s >= numSegments) continue;
      const src = k * inner;
      const dst = s * inner;
      for (let j = 0; j < inner; j++) o[dst + j] += xs[src + j];
    }
    return out.info;
  };
}
