import * as tf from '@tensorflow/tfjs';
import { DeepErrorCode, ensureBackend, selectBackend, type DeepLogger } from '../src';

function spyLogger(): DeepLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(`warn: ${m}`) };
}

describe('backend selection', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('honours TFJS_BACKEND and says so', async () => {
    const logger = spyLogger();
    const choice = await selectBackend({ env: { TFJS_BACKEND: 'cpu' }, logger });
    expect(choice).toMatchObject({ candidate: 'cpu', tfBackend: 'cpu', gpu: false, skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
    expect(logger.lines).toEqual(['TensorFlow.js backend: cpu (from TFJS_BACKEND)']);
  });

  it('walks the ladder, skipping absent packages with the reason logged', async () => {
    const logger = spyLogger();
    const choice = await selectBackend({ env: {}, logger });
    // Here neither native TensorFlow build installs, and Dawn finds no GPU (or cannot load under jest).
    expect(['wasm', 'webgpu', 'node', 'node-gpu']).toContain(choice.candidate);
    const nodeSkip = choice.skipped.find((s) => s.candidate === 'node');
    if (choice.candidate === 'wasm') {
      // Absent where npm dropped the package after its failed install script; present but failing to
      // load where the script never ran (npm --ignore-scripts leaves it without its native binding).
      expect(nodeSkip?.reason.message).toMatch(/^@tensorflow\/tfjs-node (is not installed|failed to load: )/);
      expect(logger.lines).toContain(`TensorFlow.js backend node skipped: ${nodeSkip?.reason.message}`);
      expect(logger.lines.at(-1)).toBe('TensorFlow.js backend: wasm');
      expect(choice.skipped.map((s) => s.candidate)).toEqual(['node-gpu', 'webgpu', 'node']);
    }
  });

  it('treats a loader that fails as skipped, and a missing module as absent', async () => {
    const logger = spyLogger();
    const missing = Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node-gpu'"), {
      code: 'MODULE_NOT_FOUND',
    });
    const choice = await selectBackend({
      env: {},
      logger,
      loaders: {
        'node-gpu': () => Promise.reject(missing),
        webgpu: () => Promise.reject(new Error('vkCreateInstance failed with VK_ERROR_INCOMPATIBLE_DRIVER')),
        node: () => Promise.resolve('no-such-backend'),
        wasm: () => Promise.reject(missing),
      },
    });
    expect(choice.candidate).toBe('cpu');
    expect(choice.skipped.map((s) => [s.candidate, s.reason.kind])).toEqual([
      ['node-gpu', 'absent'],
      ['webgpu', 'failed'],
      ['node', 'failed'],
      ['wasm', 'failed'],
    ]);
    expect(logger.lines.some((l) => l.includes('VK_ERROR_INCOMPATIBLE_DRIVER'))).toBe(true);
  });

  it('fails loudly when TFJS_BACKEND names a backend that cannot start, or none', async () => {
    await expect(selectBackend({ env: { TFJS_BACKEND: 'node' }, logger: spyLogger() })).rejects.toMatchObject(
      {
        code: DeepErrorCode.BACKEND_UNAVAILABLE,
      },
    );
    await expect(selectBackend({ env: { TFJS_BACKEND: 'tpu' }, logger: spyLogger() })).rejects.toMatchObject({
      code: DeepErrorCode.UNKNOWN_BACKEND,
    });
  });

  it('selects once per process in ensureBackend', async () => {
    const logger = spyLogger();
    const a = await ensureBackend({ env: { TFJS_BACKEND: 'wasm' }, logger });
    const b = await ensureBackend({ env: { TFJS_BACKEND: 'cpu' }, logger });
    expect(b).toBe(a);
    expect(a.candidate).toBe('wasm');
  });
});
