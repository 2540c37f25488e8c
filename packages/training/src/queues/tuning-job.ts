import { createModel, ModelError, ModelErrorCode } from '@recsys/models';
import { evaluateModel } from '../evaluation/evaluate-model';
import { DEFAULT_PROTOCOL_OPTIONS } from '../evaluation/protocol';
import { objectiveFromEvaluation } from '../tuning/objective';
import { nextTrialNumber } from '../tuning/samplers/sampler';
import type { TrialParams } from '../tuning/search-space';
import { createPruner, createSampler } from '../tuning/specs';
import {
  bestTrial,
  lastReport,
  type Direction,
  type IntermediateValue,
  type TrialRecord,
} from '../tuning/trial';
import { backendFor } from '../pipelines/training-runtime';
import {
  objectiveDirection,
  searchSpaceOf,
  TrialJobResultSchema,
  type JobProgress,
  type TrialJobResult,
  type TrialPayload,
  type TuneJobResult,
  type TunePayload,
  type TuneState,
} from './contract';
import { JobError, JobErrorCode } from './errors';
import type { JobDeps, JobRun } from './job-context';
import { evaluationProgress } from './job-progress';
import { protocolParams, trackingMetricKey, trackingParams } from './tracking-values';
import { runTrainingJob } from './training-job';

/**
 * The logic of a distributed hyper-parameter search, split at the points where the worker hands trials
 * to the queue: the parent job proposes a batch (`proposeBatch`, `trialPayloads`), every worker runs
 * trials (`runTrial`), the parent collects them (`collectBatch`) and, once the budget is spent, trains
 * and registers the best configuration (`finishTuning`). Everything in between is plain JSON
 * (`TuneState`), so the parent can be re-run from its stored state on any node.
 */

/** One trial the parent hands out: its number and configuration. */
export interface TrialProposal {
  number: number;
  params: TrialParams;
}

/** The search's state before its first batch. */
export function initialTuneState(): TuneState {
  return { phase: 'propose', batch: [], finished: [], ranBy: [] };
}

/**
 * The next batch: min(parallel, budget left) configurations proposed by the payload's sampler from the
 * finished trials, numbered after them. Deterministic (the samplers are pure functions of their seed,
 * the trial number and the history), so a parent re-run after a crash proposes the same batch again.
 */
export function proposeBatch(payload: TunePayload, finished: readonly TrialRecord[]): TrialProposal[] {
  const count = Math.min(payload.parallel, payload.trials - finished.length);
  const sampler = createSampler(payload.sampler);
  const space = searchSpaceOf(payload);
  const direction = objectiveDirection(payload.objective);
  const first = nextTrialNumber(finished);
  const proposals: TrialProposal[] = [];
  for (let i = 0; i < count; i++) {
    const number = first + i;
    proposals.push({
      number,
      params: sampler.propose({ space, direction, trials: finished, trialNumber: number }),
    });
  }
  return proposals;
}

/** The experiment a search tracks its trials and final model in. */
export function tuneExperiment(payload: Pick<TunePayload, 'experiment' | 'modelType'>): string {
  return payload.experiment ?? `tune/${payload.modelType}`;
}

/** The child job payloads of a batch; each carries the finished trials' reports for its pruner. */
export function trialPayloads(
  payload: TunePayload,
  tuneJobId: string,
  proposals: readonly TrialProposal[],
  finished: readonly TrialRecord[],
): TrialPayload[] {
  const history = finished
    .filter((t) => t.intermediate.length > 0)
    .map((t) => ({ number: t.number, state: t.state, intermediate: t.intermediate }));
  return proposals.map((p) => ({
    tuneJobId,
    number: p.number,
    modelType: payload.modelType,
    datasetId: payload.datasetId,
    params: p.params,
    fixedParams: payload.fixedParams,
    objective: { metric: payload.objective.metric, direction: objectiveDirection(payload.objective) },
    protocol: payload.protocol,
    protocolOptions: payload.protocolOptions,
    pruner: payload.pruner,
    history,
    experiment: tuneExperiment(payload),
  }));
}

/** Parameters that keep one trial on one thread (ALS's `threads`), so a node runs one trial per core. */
export function singleThreadParams(modelType: string): Record<string, number> {
  return 'threads' in createModel(modelType).parseParams({}) ? { threads: 1 } : {};
}

/**
 * Runs one trial: the configuration (with the fixed parameters, single-threaded) evaluated on the
 * protocol, the objective read from its metrics. A configuration that fails to train or lacks the
 * metric is a FAILED record, not a failed job (the search goes on); only infrastructure errors (the
 * dataset cannot be read, the tracker is down) throw, so the job is retried.
 *
 * Early stopping: where the model reports the objective metric per epoch (`FitProgress.metric` with the
 * objective's name) on a one-fold protocol, each report is an intermediate value and the median pruner
 * stops the trial once it falls below the median of the finished trials at that epoch (PRUNED). The
 * classical models report only their training loss, so their trials are never pruned.
 */
export async function runTrial(payload: TrialPayload, deps: JobDeps, run: JobRun): Promise<TrialJobResult> {
  const started = performance.now();
  const backend = await backendFor(createModel(payload.modelType));
  const dataset = await deps.datasets.load(payload.datasetId);
  const { metric, direction } = payload.objective;
  const params = { ...payload.fixedParams, ...payload.params, ...singleThreadParams(payload.modelType) };
  const options = { ...DEFAULT_PROTOCOL_OPTIONS, ...payload.protocolOptions };
  const pruner = createPruner(payload.pruner);
  const intermediate: IntermediateValue[] = [];
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  run.signal?.addEventListener('abort', onAbort);
  let pruned = false;

  const tracked = await deps.tracker.startRun({
    experiment: payload.experiment,
    runName: `trial ${payload.number}`,
    tags: {
      job: 'trial',
      tuneJobId: payload.tuneJobId,
      trial: String(payload.number),
      workerId: deps.workerId,
      pid: String(process.pid),
      backend,
    },
  });
  let record: TrialRecord;
  try {
    await tracked.logParams({ ...trackingParams(params), ...protocolParams(payload.protocol, options) });
    try {
      const result = await evaluateModel(dataset, () => createModel(payload.modelType), {
        protocol: payload.protocol,
        options,
        params,
        signal: stop.signal,
        onProgress: (event) => {
          run.progress(evaluationProgress(event));
          const reported = event.fit?.metric;
          const epoch = event.fit?.epoch;
          if (event.folds !== 1 || reported?.name !== metric || epoch === undefined || pruned) return;
          intermediate.push({ step: epoch, value: reported.value });
          if (pruner?.shouldPrune({ number: payload.number, intermediate }, payload.history, direction)) {
            pruned = true;
            stop.abort();
          }
        },
      });
      const value = objectiveFromEvaluation(metric, direction).value(result);
      record = { number: payload.number, params: payload.params, value, state: 'COMPLETE', intermediate };
    } catch (error) {
      if (run.signal?.aborted) throw error;
      if (pruned && error instanceof ModelError && error.code === ModelErrorCode.ABORTED) {
        const last = lastReport(intermediate);
        record = {
          number: payload.number,
          params: payload.params,
          value: last?.value ?? null,
          state: 'PRUNED',
          intermediate,
        };
      } else {
        const message = error instanceof Error ? error.message : String(error);
        record = {
          number: payload.number,
          params: payload.params,
          value: null,
          state: 'FAILED',
          intermediate,
          error: message,
        };
      }
    }
    const key = trackingMetricKey(metric);
    for (const iv of intermediate) await tracked.logMetrics({ [key]: iv.value }, iv.step);
    if (record.state === 'COMPLETE' && record.value !== null)
      await tracked.logMetrics({ [key]: record.value });
    await tracked.setTags({
      state: record.state,
      ...(record.error ? { error: record.error.slice(0, 500) } : {}),
    });
    await tracked.end(record.state === 'FAILED' ? 'FAILED' : 'FINISHED');
  } catch (error) {
    await tracked.end('FAILED').catch(() => undefined);
    throw error;
  } finally {
    run.signal?.removeEventListener('abort', onAbort);
  }
  return {
    record,
    workerId: deps.workerId,
    pid: process.pid,
    seconds: (performance.now() - started) / 1000,
    trackingRunId: tracked.id,
    backend,
  };
}

/**
 * The batch's trial records from the children's return values (`job.getChildrenValues()`, any number
 * of batches) and their failures (`job.getIgnoredChildrenFailures()`, keyed by child job key): a trial
 * whose job failed for good is a FAILED record with the failure as its error.
 */
export function collectBatch(
  batch: TuneState['batch'],
  childValues: Record<string, unknown>,
  childFailures: Record<string, string>,
): { records: TrialRecord[]; ranBy: TuneState['ranBy'] } {
  const byNumber = new Map<number, TrialJobResult>();
  for (const value of Object.values(childValues)) {
    const parsed = TrialJobResultSchema.safeParse(value);
    if (parsed.success) byNumber.set(parsed.data.record.number, parsed.data);
  }
  const records: TrialRecord[] = [];
  const ranBy: TuneState['ranBy'] = [];
  for (const proposal of batch) {
    const result = byNumber.get(proposal.number);
    if (result) {
      records.push(result.record);
      ranBy.push({ number: proposal.number, workerId: result.workerId, pid: result.pid });
      continue;
    }
    const failure = Object.entries(childFailures).find(([key]) =>
      key.endsWith(trialJobSuffix(proposal.number)),
    );
    records.push({
      number: proposal.number,
      params: proposal.params,
      value: null,
      state: 'FAILED',
      intermediate: [],
      error: failure ? `trial job failed: ${failure[1]}` : 'trial job left no result',
    });
  }
  return { records, ranBy };
}

/** Where a search stands, as the parent publishes it after each batch. */
export function tuneProgress(payload: TunePayload, state: TuneState): JobProgress {
  const best = bestTrial(state.finished, objectiveDirection(payload.objective));
  return {
    phase: 'trials',
    fraction: Math.min(1, state.finished.length / payload.trials),
    trialsDone: state.finished.length,
    trialsTotal: payload.trials,
    bestValue: best?.value ?? null,
  };
}

/** The end of a trial's child job id: `<parent id>-trial-<number>`. */
export function trialJobSuffix(number: number): string {
  return `-trial-${number}`;
}

/** The best finished trial, NO_COMPLETED_TRIAL (not retried) when none completed. */
export function bestOfSearch(finished: readonly TrialRecord[], direction: Direction): TrialRecord {
  const best = bestTrial(finished, direction);
  if (best === null) {
    const errors = [...new Set(finished.map((t) => t.error).filter((e): e is string => e !== undefined))];
    throw new JobError(
      JobErrorCode.NO_COMPLETED_TRIAL,
      `no trial of ${finished.length} completed${errors.length > 0 ? ` (errors: ${errors.slice(0, 3).join('; ')})` : ''}`,
      false,
    );
  }
  return best;
}

/**
 * Trains the best configuration on all the data and registers it (a training job under the search's
 * own source id, so a re-run of the parent never registers twice), and returns the search's summary.
 */
export async function finishTuning(
  payload: TunePayload,
  state: TuneState,
  deps: JobDeps,
  run: JobRun,
): Promise<TuneJobResult> {
  const direction = objectiveDirection(payload.objective);
  const best = bestOfSearch(state.finished, direction);
  const model = await runTrainingJob(
    {
      modelType: payload.modelType,
      datasetId: payload.datasetId,
      params: { ...payload.fixedParams, ...best.params },
      protocol: payload.protocol,
      protocolOptions: payload.protocolOptions,
      placement: payload.placement,
      actor: payload.actor,
      experiment: tuneExperiment(payload),
    },
    deps,
    run,
    { tags: { tuneJobId: run.sourceJobId, bestTrial: String(best.number) } },
  );
  return {
    objective: { metric: payload.objective.metric, direction },
    best,
    trials: state.finished,
    ranBy: state.ranBy,
    model,
  };
}
