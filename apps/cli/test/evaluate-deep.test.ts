import { createPgPool } from '@recsys/db';
import { modelsOfGroup, type EvaluationResult } from '@recsys/training';
import { ExitCode, runCli } from '../src';
import { testContext } from './support/test-context';

// These commands read files only; the pool is never opened.
const pool = createPgPool();

afterAll(async () => {
  await pool.end();
});

async function evaluate(args: string[]): Promise<{ code: number; out: string[]; err: string }> {
  const ctx = testContext(pool);
  const code = await runCli(['evaluate', ...args], ctx);
  return { code, out: ctx.stdout, err: ctx.stderrLines.join('\n') };
}

describe('recsys evaluate with the deep models', () => {
  it('knows the deep models (@recsys/training registers them) and keeps them out of "all"', () => {
    expect(modelsOfGroup('deep')).toContain('neumf');
    expect(modelsOfGroup('all')).toContain('als');
    expect(modelsOfGroup('all')).not.toContain('neumf');
    expect([...modelsOfGroup('everything')].sort()).toEqual(
      [...modelsOfGroup('all'), ...modelsOfGroup('deep')].sort(),
    );
  });

  it('evaluates NeuMF and records the TF.js backend and batch size it ran with', async () => {
    const params = { gmfDim: 8, mlpEmbeddingDim: 8, mlpLayers: [16, 8], dropout: [0, 0], epochs: 1 };
    const r = await evaluate([
      '--dataset',
      'ml-100k',
      '--model',
      'neumf',
      '--protocol',
      'holdout',
      '--json',
      '--params',
      JSON.stringify({ ...params, batchSize: 4096, validation: false }),
    ]);
    expect(r.code).toBe(ExitCode.OK);
    const result = JSON.parse(r.out[0]) as EvaluationResult;
    expect(result).toMatchObject({ model: 'neumf', protocol: 'holdout', evaluated: 943, batchSize: 4096 });
    expect(result.backend).toMatch(/^tfjs-(wasm|cpu|node|webgpu|node-gpu)$/);
    // One epoch of a small NeuMF already ranks far above chance (popularity: 0.25 on this split).
    expect(result.metrics['ndcg@10']).toBeGreaterThan(0.15);
  });

  it('records the cpu backend for a classical model', async () => {
    const r = await evaluate([
      '--dataset',
      'ml-100k',
      '--model',
      'popularity',
      '--protocol',
      'holdout',
      '--json',
    ]);
    expect(r.code).toBe(ExitCode.OK);
    const result = JSON.parse(r.out[0]) as EvaluationResult;
    expect(result.backend).toBe('cpu');
    expect(result.batchSize).toBeUndefined();
  });

  it('keys --params of a group by model name, deep models included', async () => {
    const r = await evaluate([
      '--dataset',
      'ml-100k',
      '--model',
      'deep',
      '--protocol',
      'holdout',
      '--params',
      '{"neumf": {"epochz": 1}}',
    ]);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.err).toMatch(/"epochz"/);
  });
});
