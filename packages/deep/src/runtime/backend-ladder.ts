import * as tf from '@tensorflow/tfjs';
import { installFastKernels } from '../kernels/install';
import { DeepError, DeepErrorCode } from './errors';
import { stderrLogger, type DeepLogger } from './logger';
import { importOptional, skipReason, type SkipReason } from './optional-module';
import { wasmDistDir } from './wasm-paths';

/**
 * The backends tried, best first: TensorFlow's native CUDA build, WebGPU through Dawn (the GPU path
 * that works with current drivers; see shared/notes/tensorflow-js-backends.md), TensorFlow's native
 * CPU build, WebAssembly with SIMD, and plain JavaScript.
 */
export const BACKEND_CANDIDATES = ['node-gpu', 'webgpu', 'node', 'wasm', 'cpu'] as const;
export type BackendCandidate = (typeof BACKEND_CANDIDATES)[number];

/** Values TFJS_BACKEND also accepts, as tfjs itself names the backends. */
const ALIASES: Record<string, BackendCandidate> = { tensorflow: 'node', 'tensorflow-gpu': 'node-gpu' };

/** Which backends run on a GPU: they get large default batches. */
export function isGpuBackend(candidate: BackendCandidate): boolean {
  return candidate === 'node-gpu' || candidate === 'webgpu';
}

/** The backend a process runs on, and why the better ones were passed over. */
export interface BackendChoice {
  candidate: BackendCandidate;
  /** tfjs's own name for it (`tf.getBackend()`): 'tensorflow', 'webgpu', 'wasm', 'cpu'. */
  tfBackend: string;
  gpu: boolean;
  skipped: { candidate: BackendCandidate; reason: SkipReason }[];
}

/** Makes a candidate's tfjs backend registered and returns its tfjs name; throws when it cannot. */
export type BackendLoader = () => Promise<string>;

interface WebGpuModule {
  create(options: string[]): unknown;
  globals: Record<string, unknown>;
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

async function loadWebGpu(): Promise<string> {
  const { create, globals } = await importOptional<WebGpuModule>('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]) as GpuLike;
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  if ((await gpu.requestAdapter()) === null) throw new Error('Dawn found no GPU adapter');
  await importOptional('@tensorflow/tfjs-backend-webgpu');
  return 'webgpu';
}

interface WasmModule {
  setWasmPaths(prefix: string): void;
}

async function loadWasm(): Promise<string> {
  const wasm = await importOptional<WasmModule>('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(wasmDistDir());
  return 'wasm';
}

/** The loaders of the real packages; tests substitute their own. */
export const DEFAULT_LOADERS: Record<BackendCandidate, BackendLoader> = {
  'node-gpu': async () => {
    await importOptional('@tensorflow/tfjs-node-gpu');
    return 'tensorflow';
  },
  webgpu: loadWebGpu,
  node: async () => {
    await importOptional('@tensorflow/tfjs-node');
    return 'tensorflow';
  },
  wasm: loadWasm,
  cpu: async () => 'cpu',
};

/** The package each candidate needs, for skip messages. */
const PACKAGE_OF: Record<BackendCandidate, string> = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  webgpu: 'webgpu',
  node: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs',
};

export interface SelectBackendOptions {
  logger?: DeepLogger;
  /** Environment to read TFJS_BACKEND from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Candidates to try, in order (default BACKEND_CANDIDATES). */
  order?: readonly BackendCandidate[];
  loaders?: Partial<Record<BackendCandidate, BackendLoader>>;
}

/** TFJS_BACKEND as a candidate, or null when unset; UNKNOWN_BACKEND for a value naming none. */
export function backendOverride(env: Record<string, string | undefined>): BackendCandidate | null {
  const raw = env.TFJS_BACKEND?.trim().toLowerCase();
  if (raw === undefined || raw === '') return null;
  if ((BACKEND_CANDIDATES as readonly string[]).includes(raw)) return raw as BackendCandidate;
  const alias = ALIASES[raw];
  if (alias !== undefined) return alias;
  throw new DeepError(
    DeepErrorCode.UNKNOWN_BACKEND,
    `TFJS_BACKEND="${env.TFJS_BACKEND}" names no backend (known: ${BACKEND_CANDIDATES.join(', ')})`,
  );
}

/**
 * Picks the best backend present (or the one TFJS_BACKEND names), makes it tfjs's current backend,
 * installs the fast embedding kernels it needs (src/kernels) and logs the choice and every skip.
 * A candidate whose package is not installed, fails to load, or whose `tf.setBackend` fails is skipped
 * with its reason; an explicit TFJS_BACKEND that fails is a BACKEND_UNAVAILABLE error, not a fallback.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const logger = options.logger ?? stderrLogger;
  const forced = backendOverride(options.env ?? process.env);
  const order = forced === null ? (options.order ?? BACKEND_CANDIDATES) : [forced];
  const skipped: BackendChoice['skipped'] = [];
  for (const candidate of order) {
    const loader = options.loaders?.[candidate] ?? DEFAULT_LOADERS[candidate];
    let reason: SkipReason;
    try {
      const tfBackend = await loader();
      if (await tf.setBackend(tfBackend)) {
        await tf.ready();
        installFastKernels(tfBackend);
        const choice: BackendChoice = { candidate, tfBackend, gpu: isGpuBackend(candidate), skipped };
        logger.info(
          `TensorFlow.js backend: ${candidate}${forced === null ? '' : ' (from TFJS_BACKEND)'}` +
            (tfBackend === candidate ? '' : ` [tfjs "${tfBackend}"]`),
        );
        return choice;
      }
      reason = { kind: 'failed', message: `tf.setBackend('${tfBackend}') could not initialise it` };
    } catch (error) {
      reason = skipReason(error, PACKAGE_OF[candidate]);
    }
    skipped.push({ candidate, reason });
    logger.info(`TensorFlow.js backend ${candidate} skipped: ${reason.message}`);
  }
  const why = skipped.map((s) => `${s.candidate}: ${s.reason.message}`).join('; ');
  throw new DeepError(DeepErrorCode.BACKEND_UNAVAILABLE, `no TensorFlow.js backend could start (${why})`);
}

let current: Promise<BackendChoice> | null = null;

/**
 * The process's backend, selected once (the first caller's options win) and shared by every model:
 * what `fit` and scoring call, and what training runs record.
 */
export function ensureBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  current ??= selectBackend(options).catch((error: unknown) => {
    current = null;
    throw error;
  });
  return current;
}
