import { execFileSync } from 'node:child_process';
import { benchNames, getBench, registerBench, type BenchResult } from './registry';
import { csrMemoryBench } from './csr-memory.bench';
import { csrFromMemory10MBench, csrFromPostgres10MBench } from './csr-sources.bench';
import { ml100kImportBench, synthetic10MBench } from './import.bench';

/**
 * Runs the package's benchmarks and prints ONE JSON object, `{ name: figures, ... }`.
 * Usage: node dist-bench/bench/run.js [name ...]   (all registered benchmarks when none are named).
 * Each benchmark runs in its own child process (`--child name`), so peak RSS figures do not mix.
 * To add one: write `bench/<name>.bench.ts` exporting a function, and register it below.
 */
registerBench('ml100kImport', () => ml100kImportBench());
registerBench('csrMemory10M', () => csrMemoryBench());
registerBench('csrFromMemory10M', () => csrFromMemory10MBench());
// Order matters: synthetic10M leaves the data that csrFromPostgres10M reads.
registerBench('synthetic10M', () => synthetic10MBench());
registerBench('csrFromPostgres10M', () => csrFromPostgres10MBench());

async function runChild(name: string): Promise<void> {
  const result = await getBench(name)();
  process.stdout.write(JSON.stringify(result));
}

function runAll(names: string[]): void {
  const results: Record<string, BenchResult | { error: string }> = {};
  for (const name of names) {
    getBench(name); // fail fast on an unknown name
    try {
      const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--child', name], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 16 * 1024 * 1024,
      });
      results[name] = JSON.parse(out) as BenchResult;
    } catch (err) {
      results[name] = { error: err instanceof Error ? err.message : String(err) };
    }
  }
  console.log(JSON.stringify(results, null, 2));
  if (Object.values(results).some((r) => 'error' in r)) process.exitCode = 1;
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  runChild(args[1]).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  runAll(args.length > 0 ? args : benchNames());
}
