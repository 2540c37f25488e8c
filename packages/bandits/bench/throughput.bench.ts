import { performance } from 'node:perf_hooks';
import { peakRssMb, roundTo, type BenchResult } from '@recsys/benchmarking';
import { Rng } from '@recsys/data';
import { LinUcb, MultiArmedBandit, type LinUcbCandidate } from '../src';

/** Runs `step` for at least `seconds` (after a warm-up) and answers steps per second. */
function stepsPerSecond(step: (i: number) => void, seconds: number): number {
  for (let i = 0; i < 200; i++) step(i); // warm-up: let V8 optimise the loop
  let steps = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let k = 0; k < 50; k++) step(steps++);
    elapsed = performance.now() - start;
  }
  return (steps / elapsed) * 1000;
}

/**
 * Thompson sampling over 10 Bernoulli arms: one choose (with its Monte Carlo propensity) and one update per
 * step, with the default 1,000 propensity rounds and with 100 and 1; and chooses alone (feedback applied in
 * batches, as in serving), where the propensity estimate comes from the cache.
 */
export function thompsonBench(): BenchResult {
  const arms = Array.from({ length: 10 }, (_, i) => `model-${i}`);
  const means = arms.map((_, i) => 0.05 + 0.01 * i);
  const out: BenchResult = { arms: arms.length };
  for (const draws of [1000, 100, 1]) {
    const bandit = new MultiArmedBandit({
      arms,
      policy: { kind: 'thompson', propensityDraws: draws },
      rng: new Rng(1),
    });
    const env = new Rng(2);
    const rate = stepsPerSecond(() => {
      const { arm, armIndex } = bandit.choose();
      bandit.update(arm, env.next() < means[armIndex] ? 1 : 0);
    }, 2);
    out[`chooseUpdatePerSecond_draws${draws}`] = Math.round(rate);
    out[`microsPerStep_draws${draws}`] = roundTo(1e6 / rate, 2);
  }
  const batched = new MultiArmedBandit({ arms, policy: { kind: 'thompson' }, rng: new Rng(1) });
  for (let i = 0; i < 1000; i++) batched.update(arms[i % 10], i % 7 === 0 ? 1 : 0);
  out.choosePerSecond_draws1000_noUpdateBetween = Math.round(stepsPerSecond(() => batched.choose(), 2));
  out.peakRssMb = peakRssMb();
  return out;
}

/**
 * Disjoint LinUCB with d = 32 and 100 candidate arms per request (every arm scored), epsilon-mixed
 * exploration: one choose over the 100 candidates and one Sherman–Morrison update per step.
 */
export function linUcbBench(): BenchResult {
  const d = 32;
  const arms = 100;
  const rng = new Rng(3);
  // A pool of contexts drawn up front so that the loop measures the bandit, not the feature generator.
  const pool: LinUcbCandidate[][] = Array.from({ length: 64 }, () =>
    Array.from({ length: arms }, (_, a) => ({
      arm: `svc-${a}`,
      features: Float64Array.from({ length: d }, () => rng.normal() / Math.sqrt(d)),
    })),
  );
  const lin = new LinUcb({
    dimension: d,
    alpha: 0.5,
    exploration: { kind: 'epsilon-greedy', epsilon: 0.05 },
    rng: new Rng(4),
  });
  const env = new Rng(5);
  const step = (i: number): void => {
    const candidates = pool[i % pool.length];
    const choice = lin.choose(candidates);
    lin.update(choice.arm, candidates[choice.armIndex].features, env.next() < 0.1 ? 1 : 0);
  };
  const rate = stepsPerSecond(step, 3);
  const scoreRate = stepsPerSecond((i) => lin.scores(pool[i % pool.length]), 1);
  let updateSteps = 0;
  const updateRate = stepsPerSecond((i) => {
    const c = pool[i % pool.length][i % arms];
    lin.update(c.arm, c.features, (updateSteps++ & 7) === 0 ? 1 : 0);
  }, 1);
  return {
    dimension: d,
    candidates: arms,
    chooseUpdatePerSecond: Math.round(rate),
    microsPerStep: roundTo(1e6 / rate, 1),
    scoreAllCandidatesPerSecond: Math.round(scoreRate),
    updatesPerSecond: Math.round(updateRate),
    stateJsonMb: roundTo(JSON.stringify(lin.toJSON()).length / 1e6, 2),
    peakRssMb: peakRssMb(),
  };
}
