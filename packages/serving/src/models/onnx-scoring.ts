// Importing @recsys/deep also registers the deep models, so loadModel can read their artifacts.
import { isOnnxServable, OnnxScorer } from '@recsys/deep';
import type { Recommender } from '@recsys/models';
import { errorMessage, silentLogger, type Logger } from '../logger';
import type { ModelRef } from './model-source';

/**
 * Where a served model's scores come from: `onnx`, ONNX Runtime on the artifact's `model.onnx` (NeuMF
 * today); `model`, the model's own code (TensorFlow.js for a deep model without a usable graph).
 */
export type ScoringRuntime = 'onnx' | 'model';

export interface OnnxScoringOptions {
  logger?: Logger;
  /** ONNX Runtime intra-op threads per loaded version (default 1: requests already run side by side). */
  threads?: number;
}

/**
 * Hands a freshly loaded model's scoring to ONNX Runtime when its artifact folder has `model.onnx`
 * and the model can take a scorer (`useOnnxScorer`): `score`, `scoreAll` and `recommend` then run the
 * exported graph, the rest of the model (seen items, neighbours) stays as loaded. A graph that cannot
 * be opened or does not fit the model is logged and the model keeps its own scoring.
 */
export async function attachOnnxScoring(
  model: Recommender,
  ref: ModelRef,
  options: OnnxScoringOptions = {},
): Promise<ScoringRuntime> {
  if (!isOnnxServable(model) || !(await OnnxScorer.available(ref.dir))) return 'model';
  let scorer: OnnxScorer | null = null;
  try {
    scorer = await OnnxScorer.fromArtifact(ref.dir, { threads: options.threads ?? 1 });
    model.useOnnxScorer(scorer);
    return 'onnx';
  } catch (error) {
    scorer?.close();
    (options.logger ?? silentLogger).warn(
      { version: ref.versionLabel, dir: ref.dir, err: errorMessage(error) },
      "model.onnx is not usable; serving the model's own scoring",
    );
    return 'model';
  }
}

interface Disposable {
  dispose(): void;
}

/** Frees what a model holds outside the JS heap (TensorFlow.js tensors, an ONNX session), if anything. */
export function releaseModel(model: Recommender): void {
  const d = model as Partial<Disposable>;
  if (typeof d.dispose === 'function') d.dispose();
}
