import { TrialPrunedError, TuningError, TuningErrorCode } from './errors';
import type { Pruner, PrunerTrial } from './pruning/pruner';
import { nextTrialNumber, type Sampler } from './samplers/sampler';
import { TpeSampler } from './samplers/tpe-sampler';
import { validateSearchSpace, type SearchSpace, type TrialParams } from './search-space';
import { bestTrial, lastReport, type Direction, type IntermediateValue, type TrialRecord } from './trial';

export interface StudyOptions {
  space: SearchSpace;
  direction: Direction;
  /** Default: `new TpeSampler()` (seed 0). */
  sampler?: Sampler;
  /** Default: none (trials are never pruned). */
  pruner?: Pruner;
  /** Finished trials of an earlier run to resume from; numbering continues after them. */
  trials?: readonly TrialRecord[];
}

/** A trial handed out by `Study.ask`: its configuration, and its channel to report progress. */
export interface TrialHandle {
  readonly number: number;
  readonly params: TrialParams;
  /**
   * Records the objective after `step` (an epoch, a resource amount). A step already reported is kept
   * as first reported and the new value ignored, as Optuna does.
   */
  report(step: number, value: number): void;
  /** Whether the study's pruner would stop this trial after its latest report (false without a pruner). */
  shouldPrune(): boolean;
  /** Throws `TrialPrunedError` when `shouldPrune()`: the usual line after `report` in an objective. */
  pruneIfNeeded(): void;
}

/** What a finished trial came to: the objective's value, a prune, or a failure. */
export type TrialOutcome =
  { state: 'COMPLETE'; value: number } | { state: 'PRUNED' } | { state: 'FAILED'; error: string };

/** Evaluates one configuration; throw `TrialPrunedError` (or call `trial.pruneIfNeeded()`) to stop early. */
export type Objective = (params: TrialParams, trial: TrialHandle) => number | Promise<number>;

export interface OptimizeOptions {
  nTrials: number;
  /** Called after each trial is recorded (progress reporting). */
  onTrial?: (trial: TrialRecord, study: Study) => void;
}

interface RunningState {
  params: TrialParams;
  intermediate: IntermediateValue[];
}

/**
 * Drives a search in-process: `ask` proposes a configuration from the finished trials, the caller
 * evaluates it (reporting intermediate values), `tell` records the outcome. `optimize` loops the three
 * for a fixed budget, one trial at a time. All the study keeps is the plain `TrialRecord` list (see
 * `toJSON`), which is also what a BullMQ parent job stores between child jobs: the sampler and pruner
 * are stateless, so `new Study({ ..., trials })` picks up where any run left off.
 */
export class Study {
  readonly space: SearchSpace;
  readonly direction: Direction;
  private readonly sampler: Sampler;
  private readonly pruner: Pruner | undefined;
  private readonly finished: TrialRecord[];
  private readonly running = new Map<number, RunningState>();
  private nextNumber: number;

  constructor(options: StudyOptions) {
    validateSearchSpace(options.space);
    this.space = options.space;
    this.direction = options.direction;
    this.sampler = options.sampler ?? new TpeSampler();
    this.pruner = options.pruner;
    this.finished = (options.trials ?? []).map(copyRecord);
    this.nextNumber = nextTrialNumber(this.finished);
  }

  /** The finished trials, in the order they finished (copies: mutating them changes nothing). */
  get trials(): TrialRecord[] {
    return this.finished.map(copyRecord);
  }

  /** The best COMPLETE trial so far, or null. */
  get bestTrial(): TrialRecord | null {
    const best = bestTrial(this.finished, this.direction);
    return best === null ? null : copyRecord(best);
  }

  /** Starts a trial: the sampler's proposal from the trials finished so far. */
  ask(): TrialHandle {
    const number = this.nextNumber++;
    const params = this.sampler.propose({
      space: this.space,
      direction: this.direction,
      trials: this.finished,
      trialNumber: number,
    });
    this.running.set(number, { params, intermediate: [] });
    return {
      number,
      params: { ...params },
      report: (step, value) => this.report(number, step, value),
      shouldPrune: () => this.shouldPrune(number),
      pruneIfNeeded: () => {
        if (this.shouldPrune(number)) {
          throw new TrialPrunedError(
            number,
            lastReport(this.runningState(number).intermediate)?.step ?? null,
          );
        }
      },
    };
  }

  /** Finishes a running trial and returns its record. A COMPLETE value that is not finite is recorded as FAILED. */
  tell(number: number, outcome: TrialOutcome): TrialRecord {
    const state = this.runningState(number);
    this.running.delete(number);
    const intermediate = [...state.intermediate];
    let record: TrialRecord;
    if (outcome.state === 'COMPLETE' && !Number.isFinite(outcome.value)) {
      record = {
        number,
        params: state.params,
        value: null,
        state: 'FAILED',
        intermediate,
        error: `objective returned ${outcome.value}`,
      };
    } else if (outcome.state === 'COMPLETE') {
      record = { number, params: state.params, value: outcome.value, state: 'COMPLETE', intermediate };
    } else if (outcome.state === 'PRUNED') {
      const last = lastReport(intermediate);
      const value = last !== undefined && Number.isFinite(last.value) ? last.value : null;
      record = { number, params: state.params, value, state: 'PRUNED', intermediate };
    } else {
      record = {
        number,
        params: state.params,
        value: null,
        state: 'FAILED',
        intermediate,
        error: outcome.error,
      };
    }
    this.finished.push(record);
    return copyRecord(record);
  }

  /**
   * Runs `nTrials` trials one after another. A thrown `TrialPrunedError` records PRUNED; any other
   * error, or a non-finite value, records FAILED with the message, and the search goes on.
   */
  async optimize(objective: Objective, options: OptimizeOptions): Promise<TrialRecord[]> {
    if (!Number.isInteger(options.nTrials) || options.nTrials < 0) {
      throw new TuningError(
        TuningErrorCode.INVALID_OPTIONS,
        `nTrials must be an integer ≥ 0, got ${options.nTrials}`,
      );
    }
    const records: TrialRecord[] = [];
    for (let i = 0; i < options.nTrials; i++) {
      const trial = this.ask();
      let outcome: TrialOutcome;
      try {
        outcome = { state: 'COMPLETE', value: await objective(trial.params, trial) };
      } catch (err) {
        outcome =
          err instanceof TrialPrunedError
            ? { state: 'PRUNED' }
            : { state: 'FAILED', error: err instanceof Error ? err.message : String(err) };
      }
      const record = this.tell(trial.number, outcome);
      records.push(record);
      options.onTrial?.(record, this);
    }
    return records;
  }

  /** The study as plain JSON: enough to rebuild it with `new Study({ space, direction, trials })`. */
  toJSON(): { direction: Direction; space: SearchSpace; trials: TrialRecord[] } {
    return { direction: this.direction, space: this.space, trials: this.trials };
  }

  private runningState(number: number): RunningState {
    const state = this.running.get(number);
    if (state === undefined) {
      throw new TuningError(TuningErrorCode.UNKNOWN_TRIAL, `trial ${number} is not running in this study`);
    }
    return state;
  }

  private report(number: number, step: number, value: number): void {
    const state = this.runningState(number);
    if (!Number.isFinite(step) || step < 0) {
      throw new TuningError(
        TuningErrorCode.INVALID_OPTIONS,
        `trial ${number}: step must be a finite number ≥ 0, got ${step}`,
      );
    }
    if (state.intermediate.some((iv) => iv.step === step)) return;
    state.intermediate.push({ step, value });
  }

  private shouldPrune(number: number): boolean {
    const state = this.runningState(number);
    if (this.pruner === undefined) return false;
    const others: PrunerTrial[] = [...this.finished];
    for (const [n, s] of this.running)
      if (n !== number) others.push({ number: n, intermediate: s.intermediate });
    return this.pruner.shouldPrune({ number, intermediate: state.intermediate }, others, this.direction);
  }
}

function copyRecord(t: TrialRecord): TrialRecord {
  return {
    ...t,
    params: { ...t.params },
    intermediate: t.intermediate.map((iv) => ({ step: iv.step, value: iv.value })),
  };
}
