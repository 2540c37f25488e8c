import path from 'node:path';
import { createModel } from '@recsys/models';
import type { ModelVersionRecord } from '@recsys/registry';
import { DEFAULT_PROTOCOL_OPTIONS } from '../evaluation/protocol';
import { trainAndRegister } from '../pipelines/train-and-register';
import { backendFor, type TrainingRuntime } from '../pipelines/training-runtime';
import type { TrainingJobResult, TrainingPayload } from './contract';
import type { JobDeps, JobRun } from './job-context';
import { trainingProgress } from './job-progress';
import { protocolParams, trackingMetrics, trackingParams } from './tracking-values';

export interface TrainingJobOptions {
  /** Extra tags of the tracked run (a search's id and best trial...). */
  tags?: Record<string, string>;
}

/**
 * A training job: the dataset from PostgreSQL, the model evaluated on the payload's protocol and fitted
 * on all the data, its artifact registered as a CANDIDATE under the job's source id, and the run tracked
 * (parameters, per-epoch loss of the final fit, metrics, the artifact). An attempt of a job whose earlier
 * attempt already registered its version returns that version untrained (`reused: true`).
 */
export async function runTrainingJob(
  payload: TrainingPayload,
  deps: JobDeps,
  run: JobRun,
  options: TrainingJobOptions = {},
): Promise<TrainingJobResult> {
  const probe = createModel(payload.modelType);
  const backend = await backendFor(probe);
  const registered = await deps.registry.findBySourceJob(run.sourceJobId);
  if (registered) return trainingResult(registered, { backend }, deps.workerId, true);

  run.progress({ phase: 'load', fraction: 0 });
  const dataset = await deps.datasets.load(payload.datasetId);
  const params = probe.parseParams(payload.params ?? {});
  const tracked = await deps.tracker.startRun({
    experiment: payload.experiment ?? `train/${payload.modelType}`,
    runName: `${payload.modelType} on ${payload.datasetId}`,
    tags: {
      job: 'train',
      sourceJobId: run.sourceJobId,
      modelType: payload.modelType,
      datasetId: payload.datasetId,
      protocol: payload.protocol,
      workerId: deps.workerId,
      backend,
      ...options.tags,
    },
  });
  try {
    await tracked.logParams({
      ...trackingParams(params),
      ...protocolParams(payload.protocol, { ...DEFAULT_PROTOCOL_OPTIONS, ...payload.protocolOptions }),
      datasetId: payload.datasetId,
    });
    const losses: { epoch: number; loss: number }[] = [];
    let runtime: TrainingRuntime = { backend };
    const version = await trainAndRegister({
      dataset,
      datasetId: payload.datasetId,
      modelType: payload.modelType,
      params: payload.params,
      protocol: payload.protocol,
      protocolOptions: payload.protocolOptions,
      placement: payload.placement,
      registry: deps.registry,
      workDir: deps.workDir,
      actor: payload.actor,
      sourceJobId: run.sourceJobId,
      trackingRunId: tracked.id,
      signal: run.signal,
      onFitted: (fitted) => (runtime = fitted),
      onProgress: (event) => {
        run.progress(trainingProgress(event));
        const fit = event.phase === 'fit' ? event.fit : undefined;
        if (fit?.epoch !== undefined && fit.loss !== undefined && Number.isFinite(fit.loss)) {
          losses.push({ epoch: fit.epoch, loss: fit.loss });
        }
      },
    });
    run.progress({ phase: 'track', fraction: 0 });
    // What the final fit ran on: a deep model's backend and the batch size it used there.
    await tracked.logParams({
      'runtime.backend': runtime.backend,
      ...(runtime.batchSize !== undefined ? { 'runtime.batchSize': runtime.batchSize } : {}),
    });
    for (const { epoch, loss } of losses) await tracked.logMetrics({ loss }, epoch);
    await tracked.logMetrics(trackingMetrics(version.metrics));
    const artifactDir = await deps.registry.fetchArtifact(version, path.join(deps.workDir, 'artifact-cache'));
    await tracked.logArtifacts(artifactDir, 'model');
    await tracked.setTags({
      versionId: version.id,
      modelVersion: `${version.modelType}@${version.version}`,
      artifactUri: version.artifactUri,
      backend: runtime.backend,
    });
    await tracked.end('FINISHED');
    return trainingResult(version, runtime, deps.workerId, false);
  } catch (error) {
    await tracked.end('FAILED').catch(() => undefined);
    throw error;
  }
}

function trainingResult(
  version: ModelVersionRecord,
  runtime: TrainingRuntime,
  workerId: string,
  reused: boolean,
): TrainingJobResult {
  return {
    versionId: version.id,
    modelType: version.modelType,
    version: version.version,
    placement: version.placement,
    stage: version.stage,
    metrics: version.metrics,
    protocol: version.protocol,
    artifactUri: version.artifactUri,
    trackingRunId: version.trackingRunId,
    backend: runtime.backend,
    ...(runtime.batchSize !== undefined ? { batchSize: runtime.batchSize } : {}),
    workerId,
    reused,
  };
}
