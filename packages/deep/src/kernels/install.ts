import * as tf from '@tensorflow/tfjs';
import { gatherRowsKernel } from './gather';
import { matMulExplicitTransposeKernel } from './mat-mul-explicit-transpose';
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
 * mat-mul-explicit-transpose.ts) and GatherV2 for row lookups (wasm's is slow; cpu keeps its own, which already
 * copies rows). A backend with native kernels (tensorflow, webgpu) is left alone.
 * Returns whether kernels were installed now.
 */
export function installFastKernels(backendName: string): boolean {
  if (!JS_KERNEL_BACKENDS.has(backendName) || installed.has(backendName)) return false;
  replaceKernel('UnsortedSegmentSum', backendName, unsortedSegmentSumKernel(backendName));
  if (backendName === 'wasm') {
    const matMul = tf.getKernel('BatchMatMul', backendName);
    if (matMul !== undefined)
      replaceKernel(
        'BatchMatMul',
        backendName,
        matMulExplicitTransposeKernel(backendName, matMul.kernelFunc),
      );
    const stock = tf.getKernel('GatherV2', backendName);
    if (stock !== undefined)
      replaceKernel('GatherV2', backendName, gatherRowsKernel(backendName, stock.kernelFunc));
  }
  installed.add(backendName);
  return true;
}
