import {
  IdMap,
  InteractionLogBuilder,
  interactionTypeCode,
  Rng,
  type InteractionDataset,
} from '@recsys/data';
import { createModel } from '@recsys/models';
import { DEFAULT_PROTOCOL_OPTIONS } from '../src/evaluation/protocol';
import { evaluateModel, type EvaluationResult } from '../src/evaluation/evaluate-model';
import {
  bestTrial,
  createPruner,
  createSampler,
  MedianPruner,
  objectiveFromEvaluation,
  RandomSampler,
  SEARCH_SPACES,
  Study,
  SuccessiveHalvingPruner,
  TpeSampler,
  TrialPrunedError,
  TuningErrorCode,
  type SearchSpace,
  type TrialRecord,
} from '../src/tuning';

const SPACE: SearchSpace = {
  x: { type: 'uniform', low: -5, high: 5 },
  lr: { type: 'loguniform', low: 1e-4, high: 1 },
  kind: { type: 'categorical', choices: ['a', 'b'] },
};
const f = (p: Record<string, unknown>) =>
  ((p.x as number) - 1) ** 2 + (Math.log10(p.lr as number) + 2) ** 2 + (p.kind === 'a' ? 0 : 1);

describe('Study', () => {
  it('numbers trials, records outcomes and finds the best', async () => {
    const study = new Study({ space: SPACE, direction: 'minimize', sampler: new TpeSampler({ seed: 1 }) });
    const seen: number[] = [];
    const records = await study.optimize(
      (p, trial) => {
        if (trial.number === 3) throw new Error('diverged');
        if (trial.number === 4) return Number.NaN;
        return f(p);
      },
      { nTrials: 25, onTrial: (t) => seen.push(t.number) },
    );
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(records.map((r) => r.number)).toEqual(seen);
    expect(records[3]).toMatchObject({ state: 'FAILED', value: null, error: 'diverged' });
    expect(records[4]).toMatchObject({ state: 'FAILED', value: null, error: 'objective returned NaN' });
    const best = study.bestTrial;
    expect(best?.state).toBe('COMPLETE');
    const complete = records.filter((r) => r.state === 'COMPLETE').map((r) => r.value as number);
    expect(best?.value).toBe(Math.min(...complete));
    expect(bestTrial(records, 'maximize')?.value).toBe(Math.max(...complete));
    expect(bestTrial([], 'minimize')).toBeNull();
  });

  it('is plain JSON, and resuming from it continues the same search', async () => {
    const full = new Study({ space: SPACE, direction: 'minimize', sampler: new TpeSampler({ seed: 4 }) });
    await full.optimize(f, { nTrials: 24 });
    const first = new Study({ space: SPACE, direction: 'minimize', sampler: new TpeSampler({ seed: 4 }) });
    await first.optimize(f, { nTrials: 12 });
    const saved = JSON.parse(JSON.stringify(first.toJSON())) as { trials: TrialRecord[]; space: SearchSpace };
    expect(saved.trials).toEqual(first.trials);
    const resumed = new Study({
      space: saved.space,
      direction: 'minimize',
      sampler: new TpeSampler({ seed: 4 }),
      trials: saved.trials,
    });
    await resumed.optimize(f, { nTrials: 12 });
    expect(resumed.trials).toEqual(full.trials);
  });

  it('ask / tell by hand, with clear errors for unknown trials', () => {
    const study = new Study({ space: SPACE, direction: 'maximize', sampler: new RandomSampler({ seed: 2 }) });
    const a = study.ask();
    const b = study.ask();
    expect([a.number, b.number]).toEqual([0, 1]);
    a.report(0, 0.5);
    a.report(0, 0.9); // a repeated step keeps the first value
    expect(study.tell(b.number, { state: 'COMPLETE', value: 2 })).toMatchObject({ number: 1, value: 2 });
    expect(study.tell(a.number, { state: 'PRUNED' })).toMatchObject({
      state: 'PRUNED',
      value: 0.5,
      intermediate: [{ step: 0, value: 0.5 }],
    });
    expect(() => study.tell(a.number, { state: 'COMPLETE', value: 1 })).toThrow(
      expect.objectContaining({ code: TuningErrorCode.UNKNOWN_TRIAL }),
    );
    expect(() => a.report(1, 1)).toThrow(/not running/);
    expect(study.trials.map((t) => t.number)).toEqual([1, 0]);
    expect(study.ask().number).toBe(2);
  });

  it('prunes through the study’s pruner: bad learning curves stop early', async () => {
    // Trial quality q in [0, 1]; its curve climbs to q over 10 epochs.
    const space: SearchSpace = { q: { type: 'uniform', low: 0, high: 1 } };
    const run = async (pruner: MedianPruner | SuccessiveHalvingPruner) => {
      const study = new Study({
        space,
        direction: 'maximize',
        sampler: new RandomSampler({ seed: 5 }),
        pruner,
      });
      let epochs = 0;
      await study.optimize(
        (p, trial) => {
          const q = p.q as number;
          for (let step = 1; step <= 10; step++) {
            epochs++;
            trial.report(step, q * (step / 10));
            trial.pruneIfNeeded();
          }
          return q;
        },
        { nTrials: 30 },
      );
      return { trials: study.trials, epochs };
    };
    for (const pruner of [
      new MedianPruner({ nStartupTrials: 5 }),
      new SuccessiveHalvingPruner({ reductionFactor: 3 }),
    ]) {
      const { trials, epochs } = await run(pruner);
      const pruned = trials.filter((t) => t.state === 'PRUNED');
      const complete = trials.filter((t) => t.state === 'COMPLETE');
      expect(pruned.length).toBeGreaterThan(5);
      expect(epochs).toBeLessThan(0.8 * 300);
      for (const t of pruned) {
        expect(t.value).toBe(t.intermediate[t.intermediate.length - 1].value);
        expect(t.intermediate.length).toBeLessThan(10);
      }
      // The best trial is never pruned: it beats every curve at every step.
      const best = Math.max(...trials.map((t) => t.params.q as number));
      expect(complete.map((t) => t.params.q)).toContain(best);
    }
  });

  it('builds samplers and pruners from JSON specs', () => {
    expect(createSampler({ type: 'tpe', seed: 3, nStartupTrials: 5 })).toBeInstanceOf(TpeSampler);
    expect(createSampler({ type: 'random', seed: 3 })).toBeInstanceOf(RandomSampler);
    expect(createPruner({ type: 'median', nWarmupSteps: 2 })).toBeInstanceOf(MedianPruner);
    expect(createPruner({ type: 'successive-halving', reductionFactor: 3 })).toBeInstanceOf(
      SuccessiveHalvingPruner,
    );
    expect(createPruner({ type: 'none' })).toBeUndefined();
    expect(() => createSampler(JSON.parse('{"type":"grid"}'))).toThrow(/unknown sampler type "grid"/);
    expect(new TrialPrunedError(3, 7).message).toBe('trial 3 pruned at step 7');
  });
});

describe('objectiveFromEvaluation', () => {
  const result = (metrics: Record<string, number>): EvaluationResult => ({
    dataset: 'd',
    protocol: 'holdout',
    model: 'ease',
    params: {},
    backend: 'cpu',
    k: 10,
    seed: 42,
    metrics,
    folds: 1,
    evaluated: 10,
    fallbacks: 0,
    fitSeconds: 0,
    scoreSeconds: 0,
    peakRssMb: 0,
  });

  it('reads the metric, and names the keys there are when it is missing', () => {
    const ndcg = objectiveFromEvaluation('ndcg@10', 'maximize');
    expect(ndcg).toMatchObject({ metric: 'ndcg@10', direction: 'maximize' });
    expect(ndcg.value(result({ 'ndcg@10': 0.31, 'recall@10': 0.2 }))).toBe(0.31);
    expect(() => ndcg.value(result({ rmse: 0.9, mae: 0.7 }))).toThrow(
      /no metric "ndcg@10" \(has: rmse, mae\)/,
    );
    expect(() => ndcg.value(result({ 'ndcg@10': Number.NaN }))).toThrow(
      expect.objectContaining({ code: TuningErrorCode.METRIC_MISSING }),
    );
    expect(() => objectiveFromEvaluation('rmse', 'lower' as 'minimize')).toThrow(/direction/);
  });

  it('drives a small EASE search through evaluateModel', async () => {
    const dataset = clusteredDataset();
    const objective = objectiveFromEvaluation('ndcg@10', 'maximize');
    const study = new Study({
      space: SEARCH_SPACES.ease,
      direction: objective.direction,
      sampler: new TpeSampler({ seed: 1, nStartupTrials: 3 }),
    });
    const records = await study.optimize(
      async (params) =>
        objective.value(
          await evaluateModel(dataset, () => createModel('ease'), {
            protocol: 'holdout',
            options: DEFAULT_PROTOCOL_OPTIONS,
            params,
          }),
        ),
      { nTrials: 5 },
    );
    expect(records.every((r) => r.state === 'COMPLETE')).toBe(true);
    expect(study.bestTrial?.value).toBeGreaterThan(0);
  });
});

/** 80 users in 4 taste clusters over 40 items, 12 events each. */
function clusteredDataset(): InteractionDataset {
  const rng = new Rng(3);
  const log = new InteractionLogBuilder();
  let t = 0;
  for (let u = 0; u < 80; u++) {
    const cluster = u % 4;
    const items = new Set<number>();
    while (items.size < 12) items.add(rng.next() < 0.85 ? cluster * 10 + rng.int(10) : rng.int(40));
    for (const i of items) log.push(u, i, Number.NaN, t++, interactionTypeCode('CLICK'));
  }
  return {
    name: 'clustered',
    users: IdMap.from(Array.from({ length: 80 }, (_, u) => `u${u}`)),
    items: IdMap.from(Array.from({ length: 40 }, (_, i) => `i${i}`)),
    log: log.build(),
  };
}
