import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  assignmentBucket,
  assignVariant,
  bucketOf,
  BUCKETS,
  splitBounds,
  variantForBucket,
  type Experiment,
  type Variant,
} from '../src';

const run = promisify(execFile);

function variant(name: string, share: number, extra: Partial<Variant> = {}): Variant {
  return {
    id: `id-${name}`,
    name,
    position: 0,
    share,
    modelVersionId: null,
    policy: 'production',
    shadow: false,
    canary: false,
    ...extra,
  };
}

function experiment(name: string, variants: Variant[]): Experiment {
  return {
    id: `exp-${name}`,
    name,
    description: null,
    placement: 'home',
    status: 'running',
    startAt: new Date('2026-11-01T00:00:00Z'),
    endAt: null,
    primaryMetric: 'ctr',
    guardrailMetrics: [],
    minSampleSize: 1000,
    alpha: 0.05,
    createdAt: new Date('2026-11-01T00:00:00Z'),
    createdBy: 'admin',
    startedAt: null,
    startedBy: null,
    stoppedAt: null,
    stoppedBy: null,
    variants: variants.map((v, position) => ({ ...v, position })),
  };
}

const SPLIT = experiment('home-ranker-2026', [
  variant('control', 0.5),
  variant('ease', 0.3),
  variant('als', 0.15),
  variant('deep-canary', 0.05, { canary: true }),
  variant('shadow-als', 0.25, { shadow: true }),
]);
const USERS = 100_000;
const userId = (i: number): string => `user-${i}`;

/** The variant name of every user, joined: what two processes must agree on. */
function assignmentsOf(subject: Experiment, users: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < users; i++) out.push(assignVariant(subject, userId(i)).variant.name);
  return out;
}

describe('assignment buckets', () => {
  it('are MurmurHash3 (x86, 32-bit) of "experiment:user" scaled to [0, 10000)', () => {
    // Reference: an independent Python implementation of MurmurHash3 (floor(h * 10000 / 2^32)).
    expect(bucketOf('home-ranker-2026:1')).toBe(2524); // h = 1084251374
    expect(assignmentBucket('home-ranker-2026', '42')).toBe(6297); // h = 2704959941
    expect(assignmentBucket('home-ranker-2026', 'user-ü')).toBe(8865); // UTF-8 bytes hashed
    expect(assignmentBucket('canary.v2', 'abc')).toBe(9761);
    expect(bucketOf('home-ranker-2026:shadow-als:7')).toBe(8508);
  });

  it('split by rounded cumulative shares, the last bound always 10,000', () => {
    expect(splitBounds([0.5, 0.3, 0.15, 0.05])).toEqual([5000, 8000, 9500, 10000]);
    expect(splitBounds([1 / 3, 1 / 3, 1 / 3])).toEqual([3333, 6667, 10000]);
    const shown = [variant('a', 0.5), variant('b', 0.5)];
    expect(variantForBucket(shown, 0).name).toBe('a');
    expect(variantForBucket(shown, 4999).name).toBe('a');
    expect(variantForBucket(shown, 5000).name).toBe('b');
    expect(variantForBucket(shown, BUCKETS - 1).name).toBe('b');
  });
});

describe('assignVariant', () => {
  it('splits 100,000 users within ±1 % of each configured share', () => {
    const counts = new Map<string, number>();
    let shadowed = 0;
    for (let i = 0; i < USERS; i++) {
      const assignment = assignVariant(SPLIT, userId(i));
      counts.set(assignment.variant.name, (counts.get(assignment.variant.name) ?? 0) + 1);
      if (assignment.shadows.length > 0) shadowed++;
    }
    const shares = Object.fromEntries([...counts].map(([name, n]) => [name, n / USERS]));
    expect(Object.keys(shares).sort()).toEqual(['als', 'control', 'deep-canary', 'ease']);
    expect(Math.abs(shares.control - 0.5)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(shares.ease - 0.3)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(shares.als - 0.15)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(shares['deep-canary'] - 0.05)).toBeLessThanOrEqual(0.01);
    // The shadow mirrors its share of requests, independently of the shown split.
    expect(Math.abs(shadowed / USERS - 0.25)).toBeLessThanOrEqual(0.01);
  });

  it('mirrors users of every shown variant to the shadow in proportion', () => {
    const mirrored = new Map<string, number>();
    const total = new Map<string, number>();
    for (let i = 0; i < USERS; i++) {
      const { variant: shown, shadows } = assignVariant(SPLIT, userId(i));
      total.set(shown.name, (total.get(shown.name) ?? 0) + 1);
      if (shadows.length > 0) mirrored.set(shown.name, (mirrored.get(shown.name) ?? 0) + 1);
    }
    for (const [name, n] of total) expect(Math.abs((mirrored.get(name) ?? 0) / n - 0.25)).toBeLessThan(0.03);
  });

  it('gives a user the same variant every time, and other experiments an independent split', () => {
    const again = assignmentsOf(SPLIT, 5_000);
    expect(assignmentsOf(SPLIT, 5_000)).toEqual(again);
    const other = experiment('search-ranker-2026', [variant('control', 0.5), variant('treatment', 0.5)]);
    const sameHalf = again.filter(
      (name, i) => (name === 'control') === (assignVariant(other, userId(i)).variant.name === 'control'),
    );
    // Independent halves agree about half the time (not always, not never).
    expect(Math.abs(sameHalf.length / 5_000 - 0.5)).toBeLessThan(0.03);
  });

  it('assigns identically in another process', async () => {
    const child = `
      const { assignVariant } = require('./src/assignment/assign-variant.ts');
      const experiment = JSON.parse(process.env.EXPERIMENT);
      const names = [];
      for (let i = 0; i < ${USERS}; i++) names.push(assignVariant(experiment, 'user-' + i).variant.name);
      process.stdout.write(JSON.stringify(names));
    `;
    const { stdout } = await run(process.execPath, ['-r', './test/support/register-ts.cjs', '-e', child], {
      cwd: path.resolve(__dirname, '..'),
      env: { ...process.env, EXPERIMENT: JSON.stringify(SPLIT) },
      maxBuffer: 64 * 1024 * 1024,
    });
    const theirs = JSON.parse(stdout) as string[];
    expect(theirs).toHaveLength(USERS);
    expect(theirs).toEqual(assignmentsOf(SPLIT, USERS));
  });
});
