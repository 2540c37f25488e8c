import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { datasetFingerprint, type InteractionDataset } from '@recsys/data';
import { createModel, throwIfAborted, type FitProgress } from '@recsys/models';
import type { ModelRegistry, ModelVersionRecord } from '@recsys/registry';
import { evaluateModel, type EvaluateModelOptions } from '../evaluation/evaluate-model';
import { DEFAULT_PROTOCOL_OPTIONS, type ProtocolName, type ProtocolOptions } from '../evaluation/protocol';
import type { PredefinedFolds } from '../evaluation/protocols/build-folds';
import { trainingRuntimeOf, type TrainingRuntime } from './training-runtime';

/** What `trainAndRegister` reports while it runs, by phase. */
export type TrainAndRegisterProgress =
  | { phase: 'evaluate'; evaluation: Parameters<NonNullable<EvaluateModelOptions['onProgress']>>[0] }
  | { phase: 'fit'; fit: FitProgress }
  | { phase: 'save' }
  | { phase: 'register' };

export interface TrainAndRegisterOptions {
  dataset: InteractionDataset;
  /** The dataset (namespace) the model is trained on, as the registry records it. */
  datasetId: string;
  /** A model registry name ('item-knn', 'ease'...). */
  modelType: string;
  params?: unknown;
  /**
   * The protocol the registered metrics come from.
   * @defaultValue 'holdout'
   */
  protocol?: ProtocolName;
  /** @defaultValue DEFAULT_PROTOCOL_OPTIONS */
  protocolOptions?: Partial<ProtocolOptions>;
  /** The folds of the `predefined` protocol (and canonical cv5 folds). */
  predefined?: PredefinedFolds;
  /** Where the version will serve; the registry's default ('home') when absent. */
  placement?: string;
  registry: ModelRegistry;
  /** A folder for the temporary artifact (created if missing; what this call writes there is removed). */
  workDir: string;
  /** Who registers: the registry's createdBy and audit actor. */
  actor: string;
  /** The queue job training it: a retry of a job that already registered gets that version back untrained. */
  sourceJobId?: string;
  trackingRunId?: string;
  onProgress?: (progress: TrainAndRegisterProgress) => void;
  /** Told what the final fit ran on (its backend, a deep model's batch size), before the version is saved. */
  onFitted?: (runtime: TrainingRuntime) => void;
  /** Checked between steps and passed to the model's fits. */
  signal?: AbortSignal;
}

/**
 * Evaluates a model with the harness (fresh fits on the protocol's folds) for its metrics, fits the final
 * model on all of `dataset`, saves it with those metrics and registers it as a CANDIDATE. Returns the
 * registered version; the temporary artifact folder is removed whether or not it succeeds.
 */
export async function trainAndRegister(options: TrainAndRegisterOptions): Promise<ModelVersionRecord> {
  const { dataset, modelType, params, signal, onProgress } = options;
  const protocol = options.protocol ?? 'holdout';
  throwIfAborted(signal, modelType);
  if (options.sourceJobId !== undefined) {
    // A retried job whose first run got as far as registering: nothing to train again.
    const registered = await options.registry.findBySourceJob(options.sourceJobId);
    if (registered) return registered;
  }
  const evaluation = await evaluateModel(dataset, () => createModel(modelType), {
    protocol,
    options: { ...DEFAULT_PROTOCOL_OPTIONS, ...options.protocolOptions },
    params,
    predefined: options.predefined,
    onProgress: (event) => onProgress?.({ phase: 'evaluate', evaluation: event }),
    signal,
  });
  throwIfAborted(signal, modelType);

  const model = createModel(modelType);
  await model.fit(dataset, params, { signal, onProgress: (fit) => onProgress?.({ phase: 'fit', fit }) });
  throwIfAborted(signal, modelType);
  options.onFitted?.(trainingRuntimeOf(model));

  await mkdir(options.workDir, { recursive: true });
  const tmp = await mkdtemp(path.join(options.workDir, `${model.info.name}-`));
  try {
    onProgress?.({ phase: 'save' });
    const artifactDir = path.join(tmp, 'artifact');
    await model.save(artifactDir, { metrics: evaluation.metrics });
    throwIfAborted(signal, modelType);
    onProgress?.({ phase: 'register' });
    return await options.registry.register({
      modelType: model.info.name,
      placement: options.placement,
      datasetId: options.datasetId,
      dataFingerprint: datasetFingerprint(dataset),
      params: { ...model.params },
      metrics: evaluation.metrics,
      protocol,
      artifactDir,
      createdBy: options.actor,
      sourceJobId: options.sourceJobId,
      trackingRunId: options.trackingRunId,
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
