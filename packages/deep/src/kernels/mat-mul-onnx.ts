import * as ort from 'onnxruntime-node';
// ONNX Runtime's synchronous native session (a kernel must return synchronously; see onnx-scorer.ts).
import { binding, initOrt, type Binding } from 'onnxruntime-node/dist/binding';
import type * as tf from '@tensorflow/tfjs';
import { OnnxDataType } from '../onnx/onnx-schema';
import { intAttr, OnnxGraphBuilder, tensorInfo } from '../onnx/onnx-graph';
import { backendArrays, inputOf } from './backend-arrays';

/** Products smaller than this many multiply-adds stay on the backend (a native call costs ~20 µs). */
const MIN_WORK = 1 << 16;

/** One Gemm graph per (transA, transB): Y = op(A) · op(B), every dimension free. */
function gemmGraph(transA: boolean, transB: boolean): Uint8Array {
  const g = new OnnxGraphBuilder('gemm');
  g.op('Gemm', ['a', 'b'], 'y', [intAttr('transA', transA ? 1 : 0), intAttr('transB', transB ? 1 : 0)]);
  return g.build({
    graphName: 'gemm',
    docString: 'Y = op(A) · op(B): the matrix product of the wasm backend’s BatchMatMul kernel',
    inputs: [
      tensorInfo('a', OnnxDataType.FLOAT, ['a0', 'a1']),
      tensorInfo('b', OnnxDataType.FLOAT, ['b0', 'b1']),
    ],
    outputs: [tensorInfo('y', OnnxDataType.FLOAT, ['m', 'n'])],
  });
}

const sessions = new Map<string, Binding.InferenceSession>();

function session(transA: boolean, transB: boolean): Binding.InferenceSession {
  const key = `${transA}${transB}`;
  let s = sessions.get(key);
  if (s === undefined) {
    initOrt();
    s = new binding.InferenceSession();
    const bytes = gemmGraph(transA, transB);
    s.loadModel(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength, {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
    sessions.set(key, s);
  }
  return s;
}

/**
 * BatchMatMul of single float32 products (rank 2, or batch 1) on ONNX Runtime's CPU GEMM (MLAS, with
 * the machine's AVX2/AVX-512 code) instead of tfjs-backend-wasm's XNNPACK build, which is limited to
 * 128-bit WebAssembly SIMD: a NeuMF training step of 2,048 examples (MLP 128-64-32) took 54 ms instead
 * of 100 ms (interleaved runs on this project's shared 2-core machine), a [6,400, 64]ᵀ · [6,400, 64]
 * weight-gradient product 0.8 ms instead of 3–6 ms.
 * The operands are read in place from the backend's memory; transposes are Gemm's own flags. Small
 * products, batched ones (batch-mat-mul-slices.ts hands their entries here one by one) and other
 * dtypes go to `fallback`.
 */
export function matMulOnnxKernel(backendName: string, fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    // Kernel attrs arrive as tfjs-core's untyped NamedAttrMap; BatchMatMul's are {transposeA, transposeB}.
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    const a = inputOf(args.inputs, 'a', 'BatchMatMul');
    const b = inputOf(args.inputs, 'b', 'BatchMatMul');
    const single = (t: tf.TensorInfo) => t.shape.length >= 2 && t.shape.slice(0, -2).every((d) => d === 1);
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || !single(a) || !single(b)) return fallback(args);
    const [a0, a1] = a.shape.slice(-2);
    const [b0, b1] = b.shape.slice(-2);
    const m = transposeA ? a1 : a0;
    const k = transposeA ? a0 : a1;
    const n = transposeB ? b0 : b1;
    if ((transposeB ? b1 : b0) !== k || m * n * k < MIN_WORK) return fallback(args);
    const io = backendArrays(backendName, args.backend);
    const rank = Math.max(a.shape.length, b.shape.length);
    const out = io.allocate([...new Array<number>(rank - 2).fill(1), m, n], 'float32');
    // Views after the allocation, which may have moved the wasm heap.
    const feeds = {
      a: new ort.Tensor('float32', io.read(a) as Float32Array, [a0, a1]),
      b: new ort.Tensor('float32', io.read(b) as Float32Array, [b0, b1]),
    };
    // ONNX Runtime writes the product straight into the output's memory (a pre-allocated fetch).
    const y = new ort.Tensor('float32', io.read(out.info) as Float32Array, [m, n]);
    session(transposeA, transposeB).run(feeds, { y }, {});
    return out.info;
  };
}
