import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createPgPool } from '@recsys/db';
import type { EvaluationResult } from '@recsys/training';
import { ExitCode, runCli } from '../src';
import { testContext } from './support/test-context';

const run = promisify(execFile);
const BIN = path.join(__dirname, '..', 'dist', 'bin', 'recsys.js');
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

describe('recsys evaluate: bad input exits non-zero naming the problem', () => {
  it.each([
    [
      ['--dataset', 'ml-100k', '--model', 'deepfm', '--protocol', 'holdout'],
      ExitCode.USAGE,
      'unknown model "deepfm"',
    ],
    [
      ['--dataset', 'ml-100k', '--model', 'als', '--protocol', 'kfold'],
      ExitCode.USAGE,
      'unknown protocol "kfold"',
    ],
    [
      ['--dataset', 'ml-100k', '--model', 'als', '--protocol', 'holdout', '--k', '0'],
      ExitCode.USAGE,
      '--k must be a positive integer',
    ],
    [
      ['--dataset', 'ml-100k', '--model', 'als', '--protocol', 'holdout', '--k', '-5'],
      ExitCode.USAGE,
      '--k must be a positive integer',
    ],
    [
      ['--dataset', 'file:/no/such/ratings.csv', '--model', 'als', '--protocol', 'holdout'],
      ExitCode.NOT_FOUND,
      '/no/such/ratings.csv',
    ],
    [
      ['--dataset', 'movielens-1b', '--model', 'als', '--protocol', 'holdout'],
      ExitCode.USAGE,
      'movielens-1b',
    ],
    [
      ['--dataset', 'ml-100k', '--model', 'als', '--protocol', 'holdout', '--params', '{factors: 3'],
      ExitCode.USAGE,
      '--params is not valid JSON',
    ],
    [
      ['--dataset', 'ml-100k', '--model', 'als', '--protocol', 'holdout', '--params', '{"factorz": 3}'],
      ExitCode.USAGE,
      'unknown parameter(s) "factorz"',
    ],
    [
      ['--dataset', 'ml-100k', '--model', 'als', '--protocol', 'holdout', '--params', '{"factors": "many"}'],
      ExitCode.USAGE,
      '"factors"',
    ],
    [
      ['--dataset', 'ml-100k', '--model', 'all', '--protocol', 'holdout', '--params', '{"deepfm": {}}'],
      ExitCode.USAGE,
      '"deepfm" is not a model',
    ],
    [
      ['--dataset', 'ml-100k', '--model', 'als', '--protocol', 'cv5'],
      ExitCode.USAGE,
      'does not predict ratings',
    ],
    [['--model', 'als', '--protocol', 'predefined'], ExitCode.USAGE, '--train PATH and --test PATH'],
    [['--model', 'als', '--protocol', 'holdout'], ExitCode.USAGE, '--dataset is required'],
  ])('%j → exit %i', async (args, code, message) => {
    const r = await evaluate(args);
    expect(r.code).toBe(code);
    expect(r.err).toContain(message);
  });
});

describe('recsys evaluate on MovieLens 100K', () => {
  it('prints one JSON object per model with every metric and its costs', async () => {
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
    expect(result).toMatchObject({
      dataset: 'ml-100k',
      protocol: 'holdout',
      model: 'popularity',
      k: 10,
      evaluated: 943,
    });
    for (const key of [
      'ndcg@10',
      'precision@10',
      'recall@10',
      'map@10',
      'mrr@10',
      'hit@10',
      'coverage@10',
      'gini@10',
      'novelty@10',
    ]) {
      expect(Number.isFinite(result.metrics[key])).toBe(true);
    }
    expect(result.metrics['ndcg@10']).toBeGreaterThan(0.2);
    expect(result.fitSeconds).toBeGreaterThanOrEqual(0);
    expect(result.peakRssMb).toBeGreaterThan(10);
  });

  it('runs the leave-one-out protocols with K and negatives as options', async () => {
    const sampled = await evaluate([
      '--dataset',
      'ml-100k',
      '--model',
      'item-knn',
      '--protocol',
      'loo-sampled',
      '--json',
      '--k',
      '5',
      '--negatives',
      '49',
    ]);
    expect(sampled.code).toBe(ExitCode.OK);
    const s = JSON.parse(sampled.out[0]) as EvaluationResult;
    expect(s.evaluated).toBe(943);
    // 1 held-out item among 50: a useful model is far above the 5/50 of chance.
    expect(s.metrics['hit@5']).toBeGreaterThan(0.3);
    const full = await evaluate([
      '--dataset',
      'ml-100k',
      '--model',
      'item-knn',
      '--protocol',
      'loo-full',
      '--json',
    ]);
    const f = JSON.parse(full.out[0]) as EvaluationResult;
    expect(f.metrics['hit@10']).toBeLessThan(s.metrics['hit@5']);
  });

  it('runs the temporal protocol, counting test users with no training history as cold', async () => {
    const r = await evaluate([
      '--dataset',
      'ml-100k',
      '--model',
      'popularity',
      '--protocol',
      'temporal',
      '--json',
    ]);
    const result = JSON.parse(r.out[0]) as EvaluationResult;
    expect(result.evaluated).toBeGreaterThan(50);
    expect(result.evaluated + result.fallbacks).toBeLessThanOrEqual(943);
  });

  it('evaluates every rating model on the canonical folds in child processes, as a table', async () => {
    const { stdout } = await run(
      process.execPath,
      [BIN, 'evaluate', '--dataset', 'ml-100k', '--model', 'all', '--protocol', 'cv5'],
      {
        env: { ...process.env, FORCE_COLOR: '0' },
      },
    );
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('ml-100k · cv5 · k=10 · seed=42 · 5 fold(s)');
    expect(lines[1]).toMatch(/^model\s+rmse\s+mae\s+fit s\s+score s\s+RSS MB$/);
    const svd = lines.find((l) => l.startsWith('svd '));
    expect(svd).toBeDefined();
    const rmse = Number((svd ?? '').split(/\s+/)[1]);
    expect(rmse).toBeLessThan(0.925);
    expect(lines.some((l) => l.startsWith('nmf '))).toBe(true);
  });
});

describe('recsys evaluate --protocol predefined', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'recsys-predefined-'));
    const rows = (pairs: [string, string][]): string =>
      'user,item\n' + pairs.map(([u, i]) => `${u},${i}`).join('\n') + '\n';
    // Two taste groups: a1-a3 use x items, b1-b3 use y items; each user's missing item is the test.
    const train: [string, string][] = [];
    const test: [string, string][] = [];
    for (const [group, items] of [
      ['a', ['x1', 'x2', 'x3', 'x4']],
      ['b', ['y1', 'y2', 'y3', 'y4']],
    ] as const) {
      for (let u = 1; u <= 3; u++) {
        items.forEach((item, j) => (j === u ? test : train).push([`${group}${u}`, item]));
      }
    }
    await writeFile(path.join(dir, 'train.csv'), rows(train));
    await writeFile(path.join(dir, 'test.csv'), rows(test));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains on the given training rows and tests on the given test rows', async () => {
    const r = await evaluate([
      '--model',
      'item-knn',
      '--protocol',
      'predefined',
      '--train',
      path.join(dir, 'train.csv'),
      '--test',
      path.join(dir, 'test.csv'),
      '--json',
      '--k',
      '1',
      '--params',
      '{"weighting": "none", "shrink": 0}',
    ]);
    expect(r.code).toBe(ExitCode.OK);
    const result = JSON.parse(r.out[0]) as EvaluationResult;
    expect(result.folds).toBe(1);
    expect(result.evaluated).toBe(6);
    // Item-kNN finds each user's missing in-group item first.
    expect(result.metrics['hit@1']).toBe(1);
  });
});
