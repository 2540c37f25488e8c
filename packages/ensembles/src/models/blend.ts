import { z } from 'zod';
import { Rng, type CsrMatrix } from '@recsys/data';
import type { ModelInfo } from '@recsys/models';
import { baseModelListSchema } from '../base-models/base-model-list';
import { EnsembleRecommender, type EnsembleSettings, type WeightLearner } from '../core/ensemble-recommender';
import { baseScoreFeatures, type FeatureMap } from '../features/feature-map';
import { coordinateAscent } from '../learning/coordinate-ascent';
import { segmentsSchema } from '../segments/activity-segments';

const paramsSchema = z.object({
  /** Base models by registry name with their params; default ease, als, item-knn, truncated-svd. */
  models: baseModelListSchema,
  /** Share of each user's training events held out to learn the weights on. */
  validationFraction: z.number().gt(0).max(0.5).default(0.15),
  /** Top items per base model pooled into a validation user's candidates. */
  candidates: z.number().int().min(1).max(10_000).default(100),
  /** The NDCG cutoff the weights maximise. */
  k: z.number().int().min(1).max(1000).default(10),
  /** Seed of the validation split and of the restarts. */
  seed: z.number().int().default(42),
  /** Per-segment weights (users bucketed by activity); global weights when absent. */
  segments: segmentsSchema.optional(),
  /** Grid points per coordinate on [0, 1]. */
  gridSteps: z.number().int().min(2).max(1000).default(20),
  /** Coordinate-ascent passes at most. */
  maxSweeps: z.number().int().min(1).max(100).default(10),
  /** Random starting points besides the uniform weights (seeded). */
  restarts: z.number().int().min(0).max(50).default(2),
});

export type BlendParams = z.output<typeof paramsSchema>;

/** A uniform draw from the simplex (Dirichlet(1, ..., 1): normalised exponentials). */
function randomSimplexPoint(rng: Rng, n: number): Float64Array {
  const w = Float64Array.from({ length: n }, () => -Math.log(1 - rng.next()));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}

/**
 * A weighted blend of base models whose weights are learned, not set: score(u, i) = Σ_m w_m z_m(u, i),
 * z_m the base model's score standardised per user (scoring/normalize-scores.ts says why), w on the
 * simplex chosen by coordinate ascent to maximise NDCG@k on validation users (Metzler & Croft 2007),
 * with the base models fitted on the rest of the training data; they are then refitted on all of it.
 * Per-segment weights (light, medium, heavy users) when `segments` is set.
 */
export class BlendModel extends EnsembleRecommender<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'blend',
    task: 'ranking',
    input: 'matrix',
    summary: 'Blend of base models with weights learned to maximise validation NDCG',
    reference:
      'Metzler & Croft 2007, "Linear feature-based models for information retrieval" (coordinate ascent)',
  };
  protected readonly stateVersion = 1;
  protected readonly paramsSchema = paramsSchema;

  protected settings(params: BlendParams): EnsembleSettings {
    return params;
  }

  protected featureMap(_seen: CsrMatrix, models: number): FeatureMap {
    return baseScoreFeatures(models);
  }

  protected weightLearner(params: BlendParams, dimension: number): WeightLearner {
    const name = this.info.name;
    return {
      async learn(lists, warmStart, context) {
        const rng = new Rng(params.seed);
        const starts = warmStart
          ? [warmStart.slice(0, dimension)]
          : [
              new Float64Array(dimension).fill(1 / dimension),
              ...Array.from({ length: params.restarts }, () => randomSimplexPoint(rng, dimension)),
            ];
        const learned = await coordinateAscent(lists, {
          k: params.k,
          gridSteps: params.gridSteps,
          maxSweeps: params.maxSweeps,
          tolerance: 1e-5,
          starts,
          signal: context.signal,
          model: name,
        });
        const row = new Float64Array(dimension + 1); // the bias stays 0: it cannot change a ranking
        row.set(learned.weights);
        return row;
      },
    };
  }

  protected baseModelImportance(): Float64Array {
    return this.globalWeights;
  }
}
