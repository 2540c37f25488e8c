import type * as tf from '@tensorflow/tfjs';

/**
 * Direct access to a backend's tensor memory for the JS kernels: a view of an input's values and a fresh
 * output to fill. Only the two backends whose memory JavaScript can reach are supported (cpu keeps
 * typed arrays; wasm keeps its heap), so the kernels copy nothing they do not have to.
 */
export interface BackendArrays {
  /** Values of `t` (a view: never modify it). Call after `allocate`, which may move the wasm heap. */
  read(t: tf.TensorInfo): tf.TypedArray;
  /** A new output tensor and its writable values, zero-filled. */
  allocate(shape: number[], dtype: tf.DataType): { info: tf.TensorInfo; values: tf.TypedArray };
}

/** The part of tfjs-backend-cpu's MathBackendCPU the kernels use. */
interface CpuBackendLike {
  readSync(dataId: tf.DataId): tf.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.BackendValues): tf.TensorInfo;
}

/** The part of tfjs-backend-wasm's BackendWasm the kernels use. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): tf.TypedArray;
}

function typedArrayOf(dtype: tf.DataType, size: number): tf.TypedArray {
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'int32') return new Int32Array(size);
  if (dtype === 'bool') return new Uint8Array(size);
  throw new Error(`JS kernels do not handle dtype ${dtype}`);
}

/**
 * The adapter for `backendName`. Kernel functions receive their backend typed as `{}` (tfjs-core's
 * KernelFunc signature), so the adapter narrows it to the structural interface of that backend class.
 */
export function backendArrays(backendName: string, backend: object): BackendArrays {
  if (backendName === 'wasm') {
    const wasm = backend as WasmBackendLike;
    return {
      read: (t) => wasm.typedArrayFromHeap(t),
      allocate: (shape, dtype) => {
        const info = wasm.makeOutput(shape, dtype);
        const values = wasm.typedArrayFromHeap(info);
        values.fill(0);
        return { info, values };
      },
    };
  }
  if (backendName === 'cpu') {
    const cpu = backend as CpuBackendLike;
    return {
      read: (t) => cpu.readSync(t.dataId) as tf.TypedArray,
      allocate: (shape, dtype) => {
        const values = typedArrayOf(
          dtype,
          shape.reduce((a, b) => a * b, 1),
        );
        return { info: cpu.makeTensorInfo(shape, dtype, values), values };
      },
    };
  }
  throw new Error(`no JS kernel memory access for backend "${backendName}"`);
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A kernel's named input (tfjs-core types the map's values as possibly undefined). */
export function inputOf(inputs: tf.NamedTensorInfoMap, name: string, kernel: string): tf.TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`${kernel}: input "${name}" missing`);
  return t;
}
