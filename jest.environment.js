// Jest runs each test file in a vm context with its own typed-array constructors, but onnxruntime-node's
// native binding creates its output arrays in Node's main realm, and onnxruntime-common checks tensor data
// with `instanceof Float32Array`. Sharing the main realm's typed-array constructors with the sandbox keeps
// those checks true (outside jest there is one realm and nothing to do).
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Uint16Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
];

class SharedTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = SharedTypedArraysEnvironment;
