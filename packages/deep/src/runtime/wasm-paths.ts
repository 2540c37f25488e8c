import path from 'node:path';

/**
 * The folder holding tfjs-backend-wasm's `.wasm` binaries (its package's `dist/`), with a trailing
 * separator as `setWasmPaths` wants. Emscripten then reads the binary with `fs.readFileSync`, so
 * starting the wasm backend in Node never fetches anything.
 */
export function wasmDistDir(): string {
  const entry = require.resolve('@tensorflow/tfjs-backend-wasm');
  return `${path.dirname(entry)}${path.sep}`;
}
