import * as tf from '@tensorflow/tfjs';
import { batchMatMulSlicesKernel } from './batch-mat-mul-slices';
import { gatherRowsKernel } from './gather';
import { identitySharedKernel } from './identity-shared';
import { matMulExplicitTransposeKernel } from './mat-mul-explicit-transpose';
import { matMulOnnxKernel } from './mat-mul-onnx';
import { splitAlongAxisKernel } from './split-along-axis';
import { sumLeadingAxesKernel } from './sum-leading-axes';
import { unsortedSegmentSumKernel } from './unsorted-segment-sum';

/** Backends whose embedding kernels are replaced (see shared/notes/tensorflow-js-backends.md). */
const JS_KERNEL_BACKENDS = new Set(['wasm', 'cpu']);
const installed = new Set<string>();

function replaceKernel(kernelName: string, backendName: string, kernelFunc: tf.KernelFunc): void {
  if (tf.getKernel(kernelName, backendName) !== undefined) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ kernelName, backendName, kernelFunc });
}

/**
 * Registers the fast embedding kernels on `backendName` once: UnsortedSegmentSum (missing on wasm,
 * O(segments) passes on cpu), on wasm BatchMatMul with transposes made explicit (see
 * mat-mul-explicit-transpose.ts, and batched products one entry at a time, batch-mat-mul-slices.ts) and GatherV2 for row lookups (wasm's is slow; cpu keeps its own, which already
 * copies rows), on both BatchMatMul's single products on ONNX Runtime's native GEMM (mat-mul-onnx.ts),
 * Sum over leading axes (bias gradients) and SplitV (Concat's gradient), which wasm runs
 * through a transpose and whole-tensor copies (sum-leading-axes.ts, split-along-axis.ts), and an
 * Identity that shares memory instead of copying it (identity-shared.ts). A backend
 * with native kernels (tensorflow, webgpu) is left alone. Returns whether kernels were installed now.
 */
export function installFastKernels(backendName: string): boolean {
  if (!JS_KERNEL_BACKENDS.has(backendName) || installed.has(backendName)) return false;
  replaceKernel('UnsortedSegmentSum', backendName, unsortedSegmentSumKernel(backendName));
  if (backendName === 'cpu') {
    const matMul = tf.getKernel('BatchMatMul', backendName);
    if (matMul !== undefined)
      replaceKernel('BatchMatMul', backendName, matMulOnnxKernel(backendName, matMul.kernelFunc));
  }
  if (backendName === 'wasm') {
    const matMul = tf.getKernel('BatchMatMul', backendName);
    if (matMul !== undefined) {
      // Batched products (attention) one entry at a time; each product on ONNX Runtime's native GEMM,
      // small ones through the explicit-transpose wrapper of wasm's own.
      const single = matMulOnnxKernel(
        backendName,
        matMulExplicitTransposeKernel(backendName, matMul.kernelFunc),
      );
      replaceKernel('BatchMatMul', backendName, batchMatMulSlicesKernel(backendName, single));
    }
    const wrap = (name: string, make: (name: string, stock: tf.KernelFunc) => tf.KernelFunc): void => {
      const stock = tf.getKernel(name, backendName);
      if (stock !== undefined) replaceKernel(name, backendName, make(backendName, stock.kernelFunc));
    };
    wrap('GatherV2', gatherRowsKernel);
    wrap('Sum', sumLeadingAxesKernel);
    wrap('SplitV', splitAlongAxisKernel);
    wrap('Identity', (_name, stock) => identitySharedKernel(stock));
  }
  installed.add(backendName);
  return true;
}
