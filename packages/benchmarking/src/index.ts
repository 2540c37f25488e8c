import { execFileSync } from 'node:child_process';

/**
 * The benchmark runner of every workspace: a bench file registers named functions returning flat JSON
 * figures; `runBenchmarks()` (the bench entry's last line) runs each in a child process of its own, so
 * peak RSS is per benchmark, and prints ONE JSON object `{ name: figures }`.
 * Usage of an entry: node <entry>.js [name ...]   (all registered benchmarks when none are named).
 */
export type BenchResult = Record<string, number | string | boolean>;
export type BenchFn = () => BenchResult | Promise<BenchResult>;

const benches = new Map<string, BenchFn>();

export function registerBench(name: string, fn: BenchFn): void {
  if (benches.has(name)) throw new Error(`bench "${name}" registered twice`);
  benches.set(name, fn);
}

export function benchNames(): string[] {
  return [...benches.keys()];
}

function getBench(name: string): BenchFn {
  const fn = benches.get(name);
  if (fn === undefined) throw new Error(`unknown bench "${name}" (known: ${benchNames().join(', ')})`);
  return fn;
}

/** The process's peak resident set size so far, in MB (resourceUsage().maxRSS is in KB). */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function roundTo(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Runs the benchmarks named on the command line (or all), each in its own child process. */
export function runBenchmarks(entry: string, argv: readonly string[] = process.argv.slice(2)): void {
  if (argv[0] === '--child') {
    Promise.resolve(getBench(argv[1])())
      .then((result) => process.stdout.write(JSON.stringify(result)))
      .catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
    return;
  }
  const names = argv.length > 0 ? [...argv] : benchNames();
  for (const name of names) getBench(name); // fail fast on an unknown name
  const results: Record<string, BenchResult | { error: string }> = {};
  for (const name of names) {
    process.stderr.write(`bench ${name}...\n`);
    try {
      const out = execFileSync(process.execPath, [...process.execArgv, entry, '--child', name], {
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
