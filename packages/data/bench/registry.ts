/**
 * The benchmarks `npm run bench` runs, by name. A benchmark file exports a function returning its
 * figures (a flat JSON object: seconds, megabytes, counts); `run.ts` registers it here under a name.
 * Each benchmark runs in a child process of its own, so that its peak RSS is its own.
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

export function getBench(name: string): BenchFn {
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
