import { ensureBackend, isDeepModel, type BackendCandidate } from '@recsys/deep';
import type { Recommender } from '@recsys/models';

/**
 * The compute a fit ran on: 'cpu' for the classical models (typed arrays, worker threads),
 * `tfjs-<backend>` for a deep model on @recsys/deep's backend (node-gpu, webgpu, node, wasm, cpu).
 */
export type ComputeBackend = 'cpu' | `tfjs-${BackendCandidate}`;

/** What a fit ran on, as evaluation results, job results and tracked runs record it. */
export interface TrainingRuntime {
  backend: ComputeBackend;
  /** The batch size a deep model trained with (its parameter, or its default for the backend). */
  batchSize?: number;
}

/** The runtime of a fitted (or loaded) model. */
export function trainingRuntimeOf(model: Recommender): TrainingRuntime {
  if (!isDeepModel(model) || model.backend === null) return { backend: 'cpu' };
  return {
    backend: `tfjs-${model.backend.candidate}`,
    ...(model.batchSize > 0 ? { batchSize: model.batchSize } : {}),
  };
}

/**
 * The backend a model not yet fitted will train on in this process, for a run's tags before training:
 * a deep model's is TF.js's backend, chosen now if no model chose it yet (once per process, see
 * @recsys/deep's ensureBackend); a classical model's 'cpu'.
 */
export async function backendFor(model: Recommender): Promise<ComputeBackend> {
  if (!isDeepModel(model)) return 'cpu';
  const choice = model.backend ?? (await ensureBackend());
  return `tfjs-${choice.candidate}`;
}
