import { isDeepModel } from '@recsys/deep';
import { createModel, MODEL_NAMES } from '@recsys/models';

/**
 * Names that stand for several models in `recsys evaluate --model`: `all` is every classical model
 * (seconds each on ML-100K), `deep` every TensorFlow.js model @recsys/deep registers (minutes each on
 * a CPU backend, so never part of `all`), `everything` both.
 */
export const MODEL_GROUPS = ['all', 'deep', 'everything'] as const;
export type ModelGroup = (typeof MODEL_GROUPS)[number];

export function isModelGroup(name: string): name is ModelGroup {
  return (MODEL_GROUPS as readonly string[]).includes(name);
}

/** The registered models of a group, in registry order. */
export function modelsOfGroup(group: ModelGroup): string[] {
  if (group === 'everything') return [...MODEL_NAMES];
  const deep = group === 'deep';
  return MODEL_NAMES.filter((name) => isDeepModel(createModel(name)) === deep);
}
