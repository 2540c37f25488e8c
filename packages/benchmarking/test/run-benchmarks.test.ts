import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { benchNames, peakRssMb, registerBench, roundTo } from '../src';

const run = promisify(execFile);

describe('bench helpers', () => {
  it('rounds to the given digits', () => {
    expect(roundTo(1.23456)).toBe(1.235);
    expect(roundTo(1.23456, 1)).toBe(1.2);
    expect(roundTo(-0.0005, 3)).toBe(-0);
  });

  it('reports a peak RSS in MB that is at least the current heap', () => {
    expect(peakRssMb()).toBeGreaterThanOrEqual(Math.floor(process.memoryUsage().heapUsed / 2 ** 20));
  });

  it('refuses a name registered twice', () => {
    registerBench('twice', () => ({ x: 1 }));
    expect(() => registerBench('twice', () => ({ x: 2 }))).toThrow('bench "twice" registered twice');
    expect(benchNames()).toContain('twice');
  });
});

describe('runBenchmarks', () => {
  let dir: string;
  let entry: string;

  // The runner re-executes its entry file in child processes, so the entry must be plain JavaScript:
  // transpile the runner and write an entry that registers three benchmarks.
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'recsys-bench-runner-'));
    const source = await readFile(path.join(__dirname, '../src/index.ts'), 'utf8');
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    await writeFile(path.join(dir, 'runner.js'), js);
    entry = path.join(dir, 'entry.js');
    await writeFile(
      entry,
      [
        "const { registerBench, runBenchmarks } = require('./runner.js');",
        "registerBench('sync', () => ({ value: 42, parent: process.ppid }));",
        "registerBench('async', async () => ({ label: 'ok', flag: true }));",
        "registerBench('broken', () => { throw new Error('bench failed on purpose'); });",
        'runBenchmarks(__filename);',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the named benchmarks each in a process of its own and prints one JSON object', async () => {
    const { stdout } = await run(process.execPath, [entry, 'sync', 'async']);
    const result = JSON.parse(stdout) as Record<string, Record<string, unknown>>;
    expect(Object.keys(result)).toEqual(['sync', 'async']);
    expect(result.sync.value).toBe(42);
    expect(result.async).toEqual({ label: 'ok', flag: true });
    // Run in the entry's process, its parent would be this test's process.
    expect(result.sync.parent).not.toBe(process.pid);
  });

  it('records a failing benchmark as an error and exits 1, still printing the others', async () => {
    const failed = await run(process.execPath, [entry]).then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed).not.toBeNull();
    expect(failed?.code).toBe(1);
    const result = JSON.parse(failed?.stdout ?? '{}') as Record<string, Record<string, unknown>>;
    expect(result.sync.value).toBe(42);
    expect(String(result.broken.error)).toContain('Command failed');
  });

  it('fails fast on an unknown benchmark name', async () => {
    const failed = await run(process.execPath, [entry, 'nope']).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('unknown bench "nope" (known: sync, async, broken)');
  });
});
