import { Rng } from '@recsys/data';
import { StandardScaler, type FeatureMatrix, type FeatureSchema } from '@recsys/features';
import { PersonalizationError, PersonalizationErrorCode, requireOption } from '../errors';
import { nestedState, openState, PERSONALIZATION_STATE_VERSION, type StateJson } from '../state';
import { runKMeans } from './ml-kmeans';
import { silhouetteScore } from './silhouette';

export interface UserSegmentationOptions {
  /** Number of segments; when absent it is chosen from `kRange` by the silhouette score. */
  k?: number;
  /** The k tried when `k` is not given; the best mean silhouette wins, ties to the smaller k. @defaultValue 2..8 */
  kRange?: readonly number[];
  /**
   * Dense columns of the user feature schema clustered on. @defaultValue every column but the 0/1 indicators
   * (`…_missing`, `price_sensitivity_declared`) and the columns constant over the training users
   */
  columns?: readonly string[];
  /** Seed of the k-means++ initialisation and of the silhouette sample. @defaultValue 42 */
  seed?: number;
  /** Lloyd iterations per run. @defaultValue 300 */
  maxIterations?: number;
  /** Runs per k from seeds seed, seed+1, …; the lowest inertia is kept (sklearn's n_init). @defaultValue 4 */
  restarts?: number;
  /** Users the silhouette is computed on (a seeded sample; O(n²)). @defaultValue 2000 */
  silhouetteSample?: number;
}

/** How a candidate k fared. */
export interface SegmentationTrial {
  k: number;
  silhouette: number;
  /** Sum of squared distances of the users to their centroid (standardised units). */
  inertia: number;
}

export interface SegmentationQuality {
  /** Mean silhouette of the chosen k on the sample. */
  silhouette: number;
  inertia: number;
  /** Every k tried (one entry when k was given). */
  trials: SegmentationTrial[];
}

interface Parts {
  schemaWidth: number;
  columns: string[];
  columnIndex: Int32Array;
  scalers: StandardScaler[];
  centroids: Float64Array;
  sizes: Int32Array;
  quality: SegmentationQuality;
}

const DEFAULT_K_RANGE = [2, 3, 4, 5, 6, 7, 8] as const;

/**
 * User segments: k-means (ml-kmeans, k-means++ seeding) on standardised user features. The input is the
 * dense block of UserFeaturePipeline (already z-scored with its training statistics); the chosen columns are
 * standardised once more with their own scalers (saved here), so that every column, 0/1 ones included,
 * weighs alike in the distance and the segmentation keeps working if the pipeline is refitted. A user's
 * segment is the nearest centroid (squared Euclidean distance) of their standardised features.
 *
 * k: given, or the k of `kRange` with the best mean silhouette (Rousseeuw 1987) on a seeded sample of
 * users. The silhouette prefers well separated groups over many small ones, so with features that form no
 * clear clusters it picks a small k; pass `k` where the segments' consumers need a set number.
 */
export class UserSegmentation {
  readonly k: number;
  /** The dense columns clustered on, in centroid order. */
  readonly columns: readonly string[];
  /** Training users per segment. */
  readonly sizes: Int32Array;
  readonly quality: SegmentationQuality;
  private readonly schemaWidth: number;
  private readonly columnIndex: Int32Array;
  private readonly scalers: readonly StandardScaler[];
  private readonly centroids: Float64Array;

  private constructor(parts: Parts) {
    this.schemaWidth = parts.schemaWidth;
    this.columns = parts.columns;
    this.columnIndex = parts.columnIndex;
    this.scalers = parts.scalers;
    this.centroids = parts.centroids;
    this.sizes = parts.sizes;
    this.quality = parts.quality;
    this.k = parts.sizes.length;
  }

  /** Fits the segments on the rows of a user feature matrix (one row per training user). */
  static async fit(matrix: FeatureMatrix, options: UserSegmentationOptions = {}): Promise<UserSegmentation> {
    const seed = options.seed ?? 42;
    const maxIterations = options.maxIterations ?? 300;
    const restarts = options.restarts ?? 4;
    const sampleSize = options.silhouetteSample ?? 2000;
    requireOption(Number.isSafeInteger(seed), 'seed', 'an integer', seed);
    requireOption(
      Number.isInteger(maxIterations) && maxIterations >= 1,
      'maxIterations',
      'an integer ≥ 1',
      maxIterations,
    );
    requireOption(Number.isInteger(restarts) && restarts >= 1, 'restarts', 'an integer ≥ 1', restarts);
    requireOption(
      Number.isInteger(sampleSize) && sampleSize >= 3,
      'silhouetteSample',
      'an integer ≥ 3',
      sampleSize,
    );
    const ks = options.k !== undefined ? [options.k] : [...(options.kRange ?? DEFAULT_K_RANGE)];
    requireOption(ks.length > 0, 'kRange', 'a non-empty list', '[]');
    for (const k of ks) requireOption(Number.isInteger(k) && k >= 2, 'k', 'an integer ≥ 2', k);
    const n = matrix.rows;
    if (n <= Math.max(...ks))
      throw new PersonalizationError(
        PersonalizationErrorCode.NOT_ENOUGH_DATA,
        `user segmentation: ${n} users cannot make ${Math.max(...ks)} segments`,
      );

    const columns = chooseColumns(matrix, options.columns);
    const columnIndex = Int32Array.from(columns, (c) => matrix.schema.denseOffset(c));
    const w = matrix.schema.denseWidth;
    const scalers = Array.from(columnIndex, (j) => {
      const values = new Float64Array(n);
      for (let r = 0; r < n; r++) values[r] = matrix.dense[r * w + j];
      return StandardScaler.fit(values);
    });
    const d = columns.length;
    const points: number[][] = [];
    const flat = new Float64Array(n * d);
    for (let r = 0; r < n; r++) {
      const p = new Array<number>(d);
      for (let f = 0; f < d; f++)
        p[f] = flat[r * d + f] = scalers[f].scale(matrix.dense[r * w + columnIndex[f]]);
      points.push(p);
    }
    const sample = sampleIndexes(n, sampleSize, seed);
    const samplePoints = new Float64Array(sample.length * d);
    sample.forEach((r, s) => samplePoints.set(flat.subarray(r * d, (r + 1) * d), s * d));

    let best: { k: number; centroids: Float64Array; labels: Int32Array; trial: SegmentationTrial } | null =
      null;
    const trials: SegmentationTrial[] = [];
    for (const k of ks) {
      let run: { centroids: Float64Array; labels: Int32Array; inertia: number } | null = null;
      for (let r = 0; r < restarts; r++) {
        const result = await runKMeans(points, k, seed + r, maxIterations);
        const centroids = Float64Array.from(result.centroids.flat());
        // Labels and inertia against the final centroids (ml-kmeans' clusters are those of the last step).
        const labels = new Int32Array(n);
        let inertia = 0;
        for (let i = 0; i < n; i++) {
          const [c, dist] = nearest(centroids, k, d, flat, i * d);
          labels[i] = c;
          inertia += dist;
        }
        if (run === null || inertia < run.inertia) run = { centroids, labels, inertia };
      }
      if (run === null) continue;
      const sampleLabels = Int32Array.from(sample, (r) => run.labels[r]);
      const trial = {
        k,
        silhouette: silhouetteScore(samplePoints, d, sampleLabels, k),
        inertia: run.inertia,
      };
      trials.push(trial);
      if (best === null || trial.silhouette > best.trial.silhouette)
        best = { k, centroids: run.centroids, labels: run.labels, trial };
    }
    if (best === null) throw new Error('unreachable: no k tried');
    const sizes = new Int32Array(best.k);
    for (const l of best.labels) sizes[l]++;
    return new UserSegmentation({
      schemaWidth: w,
      columns,
      columnIndex,
      scalers,
      centroids: best.centroids,
      sizes,
      quality: { silhouette: best.trial.silhouette, inertia: best.trial.inertia, trials },
    });
  }

  /**
   * The segment of one user: `dense` holds a row of the user feature schema fitted on (from
   * `UserFeaturePipeline.transform`), starting at `offset`.
   */
  segmentOf(dense: ArrayLike<number>, offset = 0): number {
    if (offset < 0 || dense.length - offset < this.schemaWidth)
      throw new PersonalizationError(
        PersonalizationErrorCode.BAD_INPUT,
        `segmentOf: a user feature row has ${this.schemaWidth} dense values, got ${dense.length - offset}`,
      );
    const d = this.columns.length;
    const point = new Float64Array(d);
    for (let f = 0; f < d; f++) point[f] = this.scalers[f].scale(dense[offset + this.columnIndex[f]]);
    return nearest(this.centroids, this.k, d, point, 0)[0];
  }

  /** The segment of every row of a user feature matrix; its columns are found by name. */
  segmentsOf(matrix: FeatureMatrix): Int32Array {
    this.checkSchema(matrix.schema);
    const w = matrix.schema.denseWidth;
    const out = new Int32Array(matrix.rows);
    for (let r = 0; r < matrix.rows; r++) out[r] = this.segmentOf(matrix.dense, r * w);
    return out;
  }

  /** Throws BAD_INPUT unless `schema` lays out the clustered columns where they were at fit time. */
  checkSchema(schema: FeatureSchema): void {
    const bad = this.columns.find(
      (c, f) => !schema.hasDense(c) || schema.denseOffset(c) !== this.columnIndex[f],
    );
    if (bad !== undefined || schema.denseWidth !== this.schemaWidth)
      throw new PersonalizationError(
        PersonalizationErrorCode.BAD_INPUT,
        `user segmentation: the feature schema "${schema.name}" differs from the one fitted on` +
          (bad !== undefined
            ? ` (column "${bad}")`
            : ` (${schema.denseWidth} dense columns, not ${this.schemaWidth})`),
      );
  }

  /**
   * A segment's centroid per column, in the units of the user feature schema (the pipeline's z-scores),
   * for describing segments ("high activity, older").
   */
  centroid(segment: number): Record<string, number> {
    this.checkSegment(segment);
    const d = this.columns.length;
    return Object.fromEntries(
      this.columns.map((c, f) => [c, this.scalers[f].unscale(this.centroids[segment * d + f])]),
    );
  }

  private checkSegment(segment: number): void {
    if (!(Number.isInteger(segment) && segment >= 0 && segment < this.k))
      throw new PersonalizationError(
        PersonalizationErrorCode.BAD_INPUT,
        `segment ${segment} outside 0..${this.k - 1}`,
      );
  }

  toJSON(): StateJson {
    return {
      kind: 'user-segmentation',
      formatVersion: PERSONALIZATION_STATE_VERSION,
      schemaWidth: this.schemaWidth,
      columns: [...this.columns],
      columnIndex: Array.from(this.columnIndex),
      scalers: this.scalers.map((s) => s.toJSON()),
      centroids: Array.from(this.centroids),
      sizes: Array.from(this.sizes),
      quality: {
        silhouette: this.quality.silhouette,
        inertia: this.quality.inertia,
        trials: this.quality.trials.map((t) => ({ ...t })),
      },
    };
  }

  static fromJSON(json: unknown): UserSegmentation {
    const r = openState(json, 'user-segmentation');
    const columns = r.strings('columns');
    const columnIndex = Int32Array.from(r.integers('columnIndex'));
    const sizes = Int32Array.from(r.integers('sizes'));
    const centroids = Float64Array.from(r.numbers('centroids'));
    const scalerStates = r.array('scalers');
    const k = sizes.length;
    if (columnIndex.length !== columns.length || scalerStates.length !== columns.length || k < 2)
      r.fail('columns', 'columns, columnIndex and scalers of one length, and ≥ 2 sizes');
    if (centroids.length !== k * columns.length) r.fail('centroids', `${k} × ${columns.length} values`);
    const q = r.object('quality');
    let scalers: StandardScaler[];
    try {
      scalers = scalerStates.map((s) => StandardScaler.fromJSON(s));
    } catch (error) {
      throw new PersonalizationError(
        PersonalizationErrorCode.BAD_STATE,
        `user-segmentation.scalers: ${(error as Error).message}`,
      );
    }
    return new UserSegmentation({
      schemaWidth: r.integer('schemaWidth'),
      columns,
      columnIndex,
      scalers,
      centroids,
      sizes,
      quality: {
        silhouette: q.number('silhouette'),
        inertia: q.number('inertia'),
        trials: q.array('trials').map((t, k) => {
          const tr = nestedState(t, `user-segmentation.quality.trials[${k}]`);
          return { k: tr.integer('k'), silhouette: tr.number('silhouette'), inertia: tr.number('inertia') };
        }),
      },
    });
  }
}

/** The index of the nearest centroid to point `p` (at `offset`) and its squared distance. */
function nearest(
  centroids: Float64Array,
  k: number,
  d: number,
  p: ArrayLike<number>,
  offset: number,
): [number, number] {
  let best = 0;
  let bestDist = Infinity;
  for (let c = 0; c < k; c++) {
    let dist = 0;
    for (let f = 0; f < d; f++) {
      const diff = p[offset + f] - centroids[c * d + f];
      dist += diff * diff;
    }
    if (dist < bestDist) {
      best = c;
      bestDist = dist;
    }
  }
  return [best, bestDist];
}

const INDICATOR = /(_missing|_declared)$/;

function chooseColumns(matrix: FeatureMatrix, given: readonly string[] | undefined): string[] {
  const { schema } = matrix;
  if (given !== undefined) {
    requireOption(given.length > 0, 'columns', 'a non-empty list', '[]');
    for (const c of given)
      if (!schema.hasDense(c))
        throw new PersonalizationError(
          PersonalizationErrorCode.BAD_OPTION,
          `columns: the user feature schema has no dense column "${c}" (it has ${schema.denseNames.join(', ')})`,
        );
    return [...given];
  }
  const w = schema.denseWidth;
  const varies = (j: number): boolean => {
    const first = matrix.dense[j];
    for (let r = 1; r < matrix.rows; r++) if (Math.abs(matrix.dense[r * w + j] - first) > 1e-9) return true;
    return false;
  };
  const columns = schema.denseNames.filter((name, j) => !INDICATOR.test(name) && varies(j));
  if (columns.length === 0)
    throw new PersonalizationError(
      PersonalizationErrorCode.NOT_ENOUGH_DATA,
      'user segmentation: no user feature varies across the users',
    );
  return columns;
}

/** `size` distinct row indexes of 0..n−1 (all of them when n ≤ size), ascending, from `seed`. */
function sampleIndexes(n: number, size: number, seed: number): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  if (n <= size) return all;
  return new Rng(seed).shuffle(all).subarray(0, size).sort();
}
