import path from 'node:path';
import type { ComputeBackend } from './contract';

/** TF.js packages by the backend they bring, most specific first. */
const TFJS_PACKAGES: readonly [string, ComputeBackend][] = [
  ['tfjs-node-gpu', 'tfjs-node-gpu'],
  ['tfjs-node', 'tfjs-node'],
  ['tfjs-core', 'tfjs'],
];

/**
 * The compute the process trains on, as jobs report it: 'cpu' (the classical models: typed arrays and
 * worker threads) unless a TensorFlow.js package has been loaded into this process, then which one.
 * A placeholder until the deep models arrive: they will ask TF.js itself (`tf.getBackend()`).
 */
export function detectBackend(loaded: readonly string[] = Object.keys(require.cache)): ComputeBackend {
  for (const [pkg, backend] of TFJS_PACKAGES) {
    const marker = `${path.sep}@tensorflow${path.sep}${pkg}${path.sep}`;
    if (loaded.some((file) => file.includes(marker))) return backend;
  }
  return 'cpu';
}
