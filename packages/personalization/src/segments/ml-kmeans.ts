/** What one k-means run returns: a cluster per point and the centroids. */
export interface KMeansRun {
  clusters: number[];
  centroids: number[][];
  iterations: number;
  converged: boolean;
}

/**
 * One k-means run of ml-kmeans (Lloyd's algorithm, squared Euclidean distance) with k-means++ seeding
 * (Arthur & Vassilvitskii 2007, with sklearn's greedy local trials) from `seed`, so the same data and seed
 * give the same clusters.
 *
 * ml-kmeans ships only as an ES module, which this CommonJS package (and jest's module runtime) cannot
 * `require` everywhere, but can always load with a dynamic `import()`: it is loaded here, on first use, so
 * code that imports @recsys/personalization without fitting segments (the serving engine) never loads it.
 */
export async function runKMeans(
  points: number[][],
  k: number,
  seed: number,
  maxIterations: number,
): Promise<KMeansRun> {
  const { kmeans } = await import('ml-kmeans');
  const result = kmeans(points, k, {
    initialization: 'kmeans++',
    seed,
    maxIterations,
    tolerance: 1e-8,
  });
  return {
    clusters: result.clusters,
    centroids: result.centroids,
    iterations: result.iterations,
    converged: result.converged,
  };
}
