import { createModel } from '@recsys/models';
import { evaluateModel } from '../evaluation/evaluate-model';
import { DEFAULT_PROTOCOL_OPTIONS } from '../evaluation/protocol';
import { backendFor } from '../pipelines/training-runtime';
import type { EvaluationJobResult, EvaluationPayload } from './contract';
import type { JobDeps, JobRun } from './job-context';
import { evaluationProgress } from './job-progress';
import { protocolParams, trackingMetrics, trackingParams } from './tracking-values';

interface EvaluationTarget {
  modelType: string;
  params: unknown;
  datasetId: string;
  versionId: string | null;
}

async function resolveTarget(payload: EvaluationPayload, deps: JobDeps): Promise<EvaluationTarget> {
  if (payload.versionId !== undefined) {
    const version = await deps.registry.get(payload.versionId);
    return {
      modelType: version.modelType,
      params: version.params,
      datasetId: payload.datasetId ?? version.datasetId,
      versionId: version.id,
    };
  }
  // The contract guarantees modelType and datasetId when versionId is absent.
  return {
    modelType: payload.modelType ?? '',
    params: payload.params,
    datasetId: payload.datasetId ?? '',
    versionId: null,
  };
}

/**
 * An evaluation job: a model type with parameters, or a registered version, on a protocol. A version
 * is evaluated by refitting its type with its parameters on the protocol's folds: its artifact was
 * trained on all the data, so scoring it on a split of that data would grade it on its training set.
 */
export async function runEvaluationJob(
  payload: EvaluationPayload,
  deps: JobDeps,
  run: JobRun,
): Promise<EvaluationJobResult> {
  const target = await resolveTarget(payload, deps);
  const backend = await backendFor(createModel(target.modelType));
  run.progress({ phase: 'load', fraction: 0 });
  const dataset = await deps.datasets.load(target.datasetId);
  const options = { ...DEFAULT_PROTOCOL_OPTIONS, ...payload.protocolOptions };
  const tracked = await deps.tracker.startRun({
    experiment: payload.experiment ?? `evaluate/${target.modelType}`,
    runName: `${target.modelType} ${payload.protocol} on ${target.datasetId}`,
    tags: {
      job: 'evaluate',
      sourceJobId: run.sourceJobId,
      modelType: target.modelType,
      datasetId: target.datasetId,
      protocol: payload.protocol,
      workerId: deps.workerId,
      backend,
      ...(target.versionId ? { versionId: target.versionId } : {}),
    },
  });
  try {
    const result = await evaluateModel(dataset, () => createModel(target.modelType), {
      protocol: payload.protocol,
      options,
      params: target.params,
      signal: run.signal,
      onProgress: (event) => run.progress(evaluationProgress(event)),
    });
    await tracked.logParams({
      ...trackingParams(result.params),
      ...protocolParams(payload.protocol, options),
      datasetId: target.datasetId,
    });
    await tracked.logMetrics({
      ...trackingMetrics(result.metrics),
      fit_seconds: result.fitSeconds,
      score_seconds: result.scoreSeconds,
    });
    await tracked.end('FINISHED');
    return {
      modelType: target.modelType,
      versionId: target.versionId,
      datasetId: target.datasetId,
      protocol: payload.protocol,
      metrics: result.metrics,
      params: result.params,
      folds: result.folds,
      fitSeconds: result.fitSeconds,
      scoreSeconds: result.scoreSeconds,
      trackingRunId: tracked.id,
      backend: result.backend,
      workerId: deps.workerId,
    };
  } catch (error) {
    await tracked.end('FAILED').catch(() => undefined);
    throw error;
  }
}
