import { z } from 'zod';
import { Rng, type CsrMatrix, type InteractionDataset } from '@recsys/data';
import { ModelError, ModelErrorCode, type ModelInfo, type ModelState } from '@recsys/models';
import { baseModelListSchema } from '../base-models/base-model-list';
import { EnsembleRecommender, type EnsembleSettings, type WeightLearner } from '../core/ensemble-recommender';
import type { FeatureMap } from '../features/feature-map';
import { stackingFeatures, type ItemCategories } from '../features/stacking-features';
import { fitLogisticRegression } from '../learning/logistic-regression';
import { pointwiseExamples } from '../learning/pointwise-examples';
import { segmentsSchema } from '../segments/activity-segments';

const paramsSchema = z.object({
  /** Base models by registry name with their params; default ease, als, item-knn, truncated-svd. */
  models: baseModelListSchema,
  /** Share of each user's training events held out to train the meta-learner on. */
  validationFraction: z.number().gt(0).max(0.5).default(0.15),
  /** Top items per base model pooled into a validation user's candidates (where negatives come from). */
  candidates: z.number().int().min(1).max(10_000).default(100),
  /** Cutoff of the validation NDCG reported in the artifact's learning summary. */
  k: z.number().int().min(1).max(1000).default(10),
  /** Seed of the validation split and of the negative sampling. */
  seed: z.number().int().default(42),
  /** Per-segment meta-learners (users bucketed by activity); one global one when absent. */
  segments: segmentsSchema.optional(),
  /** λ of the meta-learner's L2 penalty. */
  l2: z.number().min(0).default(1),
  /** Negatives drawn per positive from a user's candidates; 0 takes every candidate. */
  negativesPerPositive: z.number().int().min(0).max(10_000).default(10),
  /** Newton steps at most. */
  maxIterations: z.number().int().min(1).max(500).default(50),
});

export type StackingParams = z.output<typeof paramsSchema>;

/**
 * Stacked generalisation (Wolpert 1992): a logistic-regression meta-learner over the base models'
 * standardised scores plus user and service features (features/stacking-features.ts), trained on
 * validation positives against negatives sampled from the candidates the base models rank highly,
 * with the base models fitted on the rest of the training data; they are then refitted on all of it.
 * score(u, i) is the meta-learner's logit, monotone in its click probability.
 */
export class StackingModel extends EnsembleRecommender<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'stacking',
    task: 'ranking',
    input: 'matrix',
    summary: 'Logistic-regression meta-learner over base model scores, user and service features',
    reference: 'Wolpert 1992, "Stacked generalization"; Sill et al. 2009, "Feature-weighted linear stacking"',
  };
  protected readonly stateVersion = 1;
  protected readonly paramsSchema = paramsSchema;
  private categories: ItemCategories | null = null;

  protected settings(params: StackingParams): EnsembleSettings {
    return params;
  }

  protected override onTrainingData(dataset: InteractionDataset): void {
    const c = dataset.itemSide?.categories;
    this.categories = c && c.values.length > 0 ? { offsets: c.offsets, values: c.values } : null;
  }

  protected featureMap(seen: CsrMatrix, models: number): FeatureMap {
    return stackingFeatures(seen, models, this.categories);
  }

  protected weightLearner(params: StackingParams, dimension: number): WeightLearner {
    const name = this.info.name;
    return {
      async learn(lists, _warmStart, context) {
        const { x, y } = pointwiseExamples(
          lists,
          dimension,
          params.negativesPerPositive,
          new Rng(params.seed),
        );
        const fitted = await fitLogisticRegression(x, y, dimension, {
          l2: params.l2,
          maxIterations: params.maxIterations,
          tolerance: 1e-6,
          signal: context.signal,
          model: name,
        });
        const row = new Float64Array(dimension + 1);
        row.set(fitted.weights);
        row[dimension] = fitted.intercept;
        return row;
      },
    };
  }

  /** The meta-learner's weight on each base model's standardised score, floored at 0. */
  protected baseModelImportance(): Float64Array {
    const m = this.baseModels.length;
    return this.globalWeights.slice(0, m).map((w) => Math.max(0, w));
  }

  protected override exportExtraState(): ModelState {
    if (!this.categories) return { arrays: {} };
    return {
      arrays: { category_offsets: this.categories.offsets, category_values: this.categories.values },
    };
  }

  protected override importExtraState(state: ModelState): void {
    const offsets = state.arrays.category_offsets;
    const values = state.arrays.category_values;
    if (offsets === undefined && values === undefined) {
      this.categories = null;
      return;
    }
    if (
      !(offsets instanceof Int32Array) ||
      !(values instanceof Int32Array) ||
      offsets.length !== this.nItems + 1 ||
      offsets[this.nItems] !== values.length
    ) {
      throw new ModelError(
        ModelErrorCode.BAD_ARTIFACT,
        `${this.info.name}: item categories are damaged (expected ${this.nItems + 1} int32 offsets over the values)`,
      );
    }
    this.categories = { offsets, values };
  }
}
