import { z } from 'zod';
import { createModel, isModelName, ModelError, type TrainableRecommender } from '@recsys/models';

/** Registry names of the ensembles themselves: not accepted as base models (each would fit its own bases twice). */
export const ENSEMBLE_MODEL_NAMES: readonly string[] = ['blend', 'stacking'];

/**
 * The strong classical models on MovieLens 100K's holdout (README: als, ease, truncated-svd, item-knn,
 * NDCG@10 0.43-0.49), with their own tuned defaults: different enough (a linear autoencoder, two
 * factorisations, a neighbourhood model) that their errors partly cancel.
 */
export const DEFAULT_BASE_MODELS: BaseModelSpec[] = [
  { name: 'ease', params: {} },
  { name: 'als', params: {} },
  { name: 'item-knn', params: {} },
  { name: 'truncated-svd', params: {} },
];

export interface BaseModelSpec {
  /** A registry name (`createModel(name)`). */
  name: string;
  /** That model's parameters, validated by the model itself; defaults filled in after parsing. */
  params: Record<string, unknown>;
}

/**
 * The `models` parameter of an ensemble: base models by registry name with their parameters. Each
 * entry is checked against the registry and its params against that model's own schema, so a typo
 * fails at parse time naming the entry (`models.1.params: ...`), not minutes into a fit.
 */
export const baseModelListSchema = z
  .array(
    z.object({
      name: z.string().min(1),
      params: z.record(z.string(), z.unknown()).default({}),
    }),
  )
  .min(1)
  .max(16)
  .default(DEFAULT_BASE_MODELS)
  .transform((specs, ctx): BaseModelSpec[] =>
    specs.map((spec, i) => {
      if (ENSEMBLE_MODEL_NAMES.includes(spec.name)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `"${spec.name}" is an ensemble and cannot be a base model`,
        });
        return spec;
      }
      if (!isModelName(spec.name)) {
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `unknown model "${spec.name}"` });
        return spec;
      }
      try {
        return { name: spec.name, params: { ...createModel(spec.name).parseParams(spec.params) } };
      } catch (error) {
        if (!(error instanceof ModelError)) throw error;
        ctx.addIssue({ code: 'custom', path: [i, 'params'], message: error.message });
        return spec;
      }
    }),
  );

/** A new, unfitted instance of each base model. */
export function createBaseModels(specs: readonly BaseModelSpec[]): TrainableRecommender[] {
  return specs.map((spec) => createModel(spec.name));
}

/** The artifact sub-folder of base model `index` (the index keeps two entries of one model apart). */
export function baseModelFolder(index: number, spec: BaseModelSpec): string {
  return `base-${index}-${spec.name}`;
}
