import {
  isPromotable,
  MedianPruner,
  promotedAtRung,
  rungStep,
  rungValue,
  shouldPruneByMedian,
  successiveHalvingDecision,
  SuccessiveHalvingPruner,
  TuningErrorCode,
  type PrunerTrial,
  type RunningTrial,
} from '../src/tuning';
import { median } from '../src/tuning/pruning/median-pruner';

/** A trial with one report per step 0, 1, 2, … (or at the given steps). */
function curve(
  number: number,
  values: number[],
  state?: PrunerTrial['state'],
  steps?: number[],
): PrunerTrial {
  return { number, state, intermediate: values.map((value, i) => ({ step: steps?.[i] ?? i, value })) };
}

describe('median stopping rule', () => {
  // NDCG per epoch of five finished trials; at step 2 the values are 0.28 … 0.32, median 0.30.
  const completed = [
    curve(0, [0.1, 0.2, 0.3, 0.35, 0.4], 'COMPLETE'),
    curve(1, [0.12, 0.22, 0.32, 0.36, 0.41], 'COMPLETE'),
    curve(2, [0.08, 0.18, 0.28, 0.33, 0.38], 'COMPLETE'),
    curve(3, [0.11, 0.21, 0.31, 0.34, 0.39], 'COMPLETE'),
    curve(4, [0.09, 0.19, 0.29, 0.33, 0.37], 'COMPLETE'),
  ];
  const bad = curve(9, [0.02, 0.05, 0.07]);
  const good = curve(9, [0.12, 0.25, 0.33]);

  it('prunes a clearly bad trial and keeps a good one', () => {
    expect(median([0.3, 0.32, 0.28, 0.31, 0.29])).toBe(0.3);
    expect(shouldPruneByMedian(bad, completed, 'maximize')).toBe(true);
    expect(shouldPruneByMedian(good, completed, 'maximize')).toBe(false);
    // It is the best value so far that counts, not the latest.
    expect(shouldPruneByMedian(curve(9, [0.35, 0.1, 0.1]), completed, 'maximize')).toBe(false);
  });

  it('waits for nStartupTrials completed trials and the warm-up', () => {
    expect(shouldPruneByMedian(bad, completed.slice(0, 4), 'maximize')).toBe(false);
    // Pruned and running trials do not count as completed.
    const others = [
      ...completed.slice(0, 4),
      { ...completed[4], state: 'PRUNED' as const },
      curve(7, [0, 0, 0]),
    ];
    expect(shouldPruneByMedian(bad, others, 'maximize')).toBe(false);
    expect(shouldPruneByMedian(bad, completed, 'maximize', { nWarmupSteps: 3 })).toBe(false);
    expect(
      shouldPruneByMedian(curve(9, [0.02, 0.05, 0.07, 0.08]), completed, 'maximize', { nWarmupSteps: 3 }),
    ).toBe(true);
  });

  it('checks only at the first report of each interval', () => {
    const opts = { intervalSteps: 2 };
    expect(shouldPruneByMedian(curve(9, [0.02, 0.05]), completed, 'maximize', opts)).toBe(false);
    expect(shouldPruneByMedian(bad, completed, 'maximize', opts)).toBe(true);
    // Reports every 3 steps: step 3 is the first of the interval [2, 4).
    expect(shouldPruneByMedian(curve(9, [0.02, 0.05], undefined, [0, 3]), completed, 'maximize', opts)).toBe(
      true,
    );
  });

  it('minimises too, needs nMinTrials values at the step, and prunes an all-NaN trial', () => {
    const losses = completed.map((t) => ({
      ...t,
      intermediate: t.intermediate.map((iv) => ({ ...iv, value: 1 - iv.value })),
    }));
    expect(shouldPruneByMedian(curve(9, [0.98, 0.95, 0.93]), losses, 'minimize')).toBe(true);
    expect(shouldPruneByMedian(curve(9, [0.88, 0.75, 0.67]), losses, 'minimize')).toBe(false);
    // At step 5 nobody else reported.
    expect(shouldPruneByMedian(curve(9, [0.02], undefined, [5]), completed, 'maximize')).toBe(false);
    expect(shouldPruneByMedian(bad, completed, 'maximize', { nMinTrials: 6 })).toBe(false);
    expect(shouldPruneByMedian(curve(9, [Number.NaN, Number.NaN]), completed, 'maximize')).toBe(true);
    expect(shouldPruneByMedian({ number: 9, intermediate: [] }, completed, 'maximize')).toBe(false);
  });

  it('MedianPruner wraps the rule with validated options', () => {
    const pruner = new MedianPruner({ nStartupTrials: 5 });
    expect(pruner.shouldPrune(bad, completed, 'maximize')).toBe(true);
    expect(pruner.shouldPrune(good, completed, 'maximize')).toBe(false);
    expect(() => new MedianPruner({ intervalSteps: 0 })).toThrow(
      expect.objectContaining({ code: TuningErrorCode.INVALID_OPTIONS }),
    );
  });
});

describe('asynchronous successive halving', () => {
  // η = 3, r = 1: rungs at steps 1, 3, 9. Losses (minimise).
  const opts = { minResource: 1, reductionFactor: 3 };
  const rung0 = [0.9, 0.5, 0.7, 0.3, 0.8, 0.6, 0.4, 0.2, 0.1];
  const atRung1: Record<number, number> = { 8: 0.05, 7: 0.15, 3: 0.12 };
  const others: PrunerTrial[] = rung0.map((v, n) =>
    n in atRung1 ? curve(n, [v, v, atRung1[n]], 'COMPLETE', [1, 2, 3]) : curve(n, [v], 'PRUNED', [1]),
  );
  const trial = (values: number[], steps: number[]): RunningTrial => curve(9, values, undefined, steps);

  it('places rungs at r · η^(s + k) and reads a trial’s value at each', () => {
    expect([0, 1, 2].map((k) => rungStep(k, opts))).toEqual([1, 3, 9]);
    expect(rungStep(0, { ...opts, minEarlyStoppingRate: 1 })).toBe(3);
    expect(rungStep(1, { minResource: 2 })).toBe(8);
    expect(rungValue(others[8].intermediate, 1, opts)).toBe(0.05);
    expect(rungValue(others[0].intermediate, 1, opts)).toBeUndefined();
    // Reported at steps 2 and 5 only: rung 0 (step 1) reads step 2, rung 1 (step 3) reads step 5.
    const sparse = [
      { step: 2, value: 0.6 },
      { step: 5, value: 0.4 },
    ];
    expect([rungValue(sparse, 0, opts), rungValue(sparse, 1, opts)]).toEqual([0.6, 0.4]);
  });

  it('promotes the top 1/η of a rung (synchronous view)', () => {
    expect(promotedAtRung(others, 0, 'minimize', opts)).toEqual([8, 7, 3]);
    expect(promotedAtRung(others, 1, 'minimize', opts)).toEqual([8]);
    expect(promotedAtRung(others, 0, 'maximize', opts)).toEqual([0, 4, 2]);
  });

  it('a trial reaching rung 0 goes on only inside the top third', () => {
    // With 10 competitors the bar is the 3rd best: 0.1, 0.2, then 0.25 itself / 0.3.
    expect(successiveHalvingDecision(trial([0.25], [1]), others, 'minimize', opts)).toEqual({
      prune: false,
      rung: 0,
    });
    expect(successiveHalvingDecision(trial([0.35], [1]), others, 'minimize', opts)).toEqual({
      prune: true,
      rung: 0,
    });
  });

  it('judges a rung only at the report that crosses it', () => {
    // Step 2 crosses no rung: even a bad value goes on until step 3.
    expect(successiveHalvingDecision(trial([0.25, 0.9], [1, 2]), others, 'minimize', opts)).toEqual({
      prune: false,
      rung: null,
    });
    // At step 3 it meets 8, 7 and 3 at rung 1 (0.05, 0.15, 0.12): 4 competitors, only the best goes on.
    expect(successiveHalvingDecision(trial([0.25, 0.2, 0.1], [1, 2, 3]), others, 'minimize', opts)).toEqual({
      prune: true,
      rung: 1,
    });
    expect(successiveHalvingDecision(trial([0.25, 0.2, 0.04], [1, 2, 3]), others, 'minimize', opts)).toEqual({
      prune: false,
      rung: 1,
    });
    // A first report at step 4 crosses rungs 0 and 1 at once and is judged at both.
    expect(successiveHalvingDecision(trial([0.04], [4]), others, 'minimize', opts)).toEqual({
      prune: false,
      rung: 1,
    });
    expect(successiveHalvingDecision(trial([0.35], [4]), others, 'minimize', opts)).toEqual({
      prune: true,
      rung: 0,
    });
  });

  it('bootstraps like Optuna: with fewer than η competitors only the best so far goes on', () => {
    expect(successiveHalvingDecision(trial([0.5], [1]), [], 'minimize', opts).prune).toBe(false);
    const first = [curve(0, [0.4], 'COMPLETE', [1])];
    expect(successiveHalvingDecision(trial([0.5], [1]), first, 'minimize', opts).prune).toBe(true);
    expect(successiveHalvingDecision(trial([0.3], [1]), first, 'minimize', opts).prune).toBe(false);
    expect(isPromotable(0.4, [0.4, 0.4], 3, 'minimize')).toBe(true);
    expect(isPromotable(Number.NaN, [0.1], 3, 'minimize')).toBe(false);
  });

  it('SuccessiveHalvingPruner wraps the decision with validated options', () => {
    const pruner = new SuccessiveHalvingPruner(opts);
    expect(pruner.shouldPrune(trial([0.35], [1]), others, 'minimize')).toBe(true);
    expect(pruner.shouldPrune(trial([0.25], [1]), others, 'minimize')).toBe(false);
    expect(() => new SuccessiveHalvingPruner({ reductionFactor: 1 })).toThrow(/reductionFactor/);
    expect(() => new SuccessiveHalvingPruner({ minResource: 0 })).toThrow(/minResource/);
  });
});
