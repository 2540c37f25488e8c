import { performance } from 'node:perf_hooks';
import { roundTo, type BenchResult } from '@recsys/benchmarking';
import { linUcbExperiment } from '../test/support/lin-ucb-experiment';
import { offPolicyCoverage } from '../test/support/off-policy-coverage';
import { regretExperiment } from '../test/support/regret-experiment';

/** The figures behind test/marketplace-regret.test.ts, with every policy: mean cumulative regret over 5 seeds. */
export function regretBench(): BenchResult {
  const horizon = Number(process.env.BANDIT_BENCH_HORIZON ?? 20_000);
  const start = performance.now();
  const regret = regretExperiment({ seeds: [1, 2, 3, 4, 5], horizon });
  const out: BenchResult = { horizon, seeds: 5 };
  for (const [policy, value] of Object.entries(regret)) out[`regret_${policy}`] = roundTo(value, 1);
  out.seconds = roundTo((performance.now() - start) / 1000, 2);
  return out;
}

/** The figures behind test/marketplace-off-policy.test.ts: 95% interval coverage of the true CTR over 100 seeds. */
export function offPolicyBench(): BenchResult {
  const start = performance.now();
  const r = offPolicyCoverage({ seeds: 100, logSize: 2000, epsilon: 0.3 });
  return {
    seeds: 100,
    logSize: 2000,
    coveredIps: r.covered.ips,
    coveredSnips: r.covered.snips,
    coveredDoublyRobust: r.covered.doublyRobust,
    meanWidthIps: roundTo(r.meanWidth.ips, 4),
    meanWidthSnips: roundTo(r.meanWidth.snips, 4),
    meanWidthDoublyRobust: roundTo(r.meanWidth.doublyRobust, 4),
    meanTrueCtr: roundTo(r.meanTrueCtr, 4),
    meanEffectiveSampleSize: roundTo(r.meanEffectiveSampleSize, 1),
    seconds: roundTo((performance.now() - start) / 1000, 2),
  };
}

/** The figures behind the LinUCB marketplace test: mean true CTR of what each policy shows. */
export function linUcbQualityBench(): BenchResult {
  const start = performance.now();
  const r = linUcbExperiment({ seeds: [1, 2, 3], horizon: 4000 });
  return {
    seeds: 3,
    horizon: 4000,
    ctrLinUcb: roundTo(r.linUcbCtr, 4),
    ctrBestSingleService: roundTo(r.bestSingleServiceCtr, 4),
    ctrUniform: roundTo(r.uniformCtr, 4),
    ctrPerUserBest: roundTo(r.oracleCtr, 4),
    newServiceShownOf60: r.newServiceShown,
    seconds: roundTo((performance.now() - start) / 1000, 2),
  };
}
