import {
  buildWorld,
  CATEGORIES,
  syntheticParams,
  trueClickProbability,
  type SyntheticWorld,
} from '@recsys/data';

/**
 * The synthetic marketplace as a bandit problem with known answers. Arms are rankers ("models") that each
 * put one service at the top of the list; a user's reward is a click, with the simulator's TRUE probability
 * for that user and service. A user's segment is the category they like most. Because rankers suit users
 * differently (code lovers click code services, image lovers image ones), the best arm differs by segment,
 * and a single model that is best on average loses in the segments it does not suit.
 *
 * - popularity: the most popular service, for everyone;
 * - chat / code / image: a service drawn uniformly from the three best-quality services of that category
 *   (the arm's click probability for a user is the mean over the three);
 * - random: a uniformly random service of the catalog.
 */
export const MARKETPLACE_ARMS = ['popularity', 'chat', 'code', 'image', 'random'] as const;

export interface MarketplaceBanditProblem {
  readonly world: SyntheticWorld;
  readonly arms: readonly string[];
  readonly users: number;
  /** Segment names (`likes-<category>`), and each user's segment index. */
  readonly segments: readonly string[];
  readonly segmentOf: Int32Array;
  /** users × arms, row-major: P(click | user u served by arm a). */
  readonly userArm: Float64Array;
  /** segments × arms: the true mean reward of each arm in each segment (users arrive uniformly). */
  readonly segmentArm: Float64Array;
  /** Share of users in each segment. */
  readonly segmentShare: Float64Array;
}

export function marketplaceBanditProblem(
  seed: number,
  users = 2000,
  services = 100,
): MarketplaceBanditProblem {
  const world = buildWorld(syntheticParams({ seed, users, services }));
  const { catalog } = world;
  const arms = MARKETPLACE_ARMS;
  const A = arms.length;
  let popular = 0;
  for (let s = 1; s < catalog.size; s++) if (catalog.popularity[s] > catalog.popularity[popular]) popular = s;
  const topOf = (category: string): number[] => {
    const k = CATEGORIES.indexOf(category as (typeof CATEGORIES)[number]);
    const members: number[] = [];
    for (let s = 0; s < catalog.size; s++) if (catalog.category[s] === k) members.push(s);
    return members.sort((a, b) => catalog.quality[b] - catalog.quality[a]).slice(0, 3);
  };
  const served: number[][] = [
    [popular],
    topOf('chat'),
    topOf('code'),
    topOf('image'),
    Array.from({ length: catalog.size }, (_, s) => s),
  ];
  for (const [a, list] of served.entries())
    if (list.length === 0) throw new Error(`seed ${seed}: arm ${arms[a]} has no service to show`);

  // A user's segment: the category of their strongest taste (what k-means on taste vectors would find).
  const segments = CATEGORIES.map((c) => `likes-${c}`);
  const K = CATEGORIES.length;
  const taste = world.population.taste;
  const segmentOf = new Int32Array(users);
  for (let u = 0; u < users; u++) {
    let top = 0;
    for (let k = 1; k < K; k++) if (taste[u * K + k] > taste[u * K + top]) top = k;
    segmentOf[u] = top;
  }
  const userArm = new Float64Array(users * A);
  const segmentArm = new Float64Array(segments.length * A);
  const segmentShare = new Float64Array(segments.length);
  for (let u = 0; u < users; u++) {
    const g = segmentOf[u];
    segmentShare[g] += 1 / users;
    for (let a = 0; a < A; a++) {
      let p = 0;
      for (const s of served[a]) p += trueClickProbability(world, u, s);
      userArm[u * A + a] = p / served[a].length;
    }
  }
  const counts = new Float64Array(segments.length);
  for (let u = 0; u < users; u++) counts[segmentOf[u]]++;
  for (let u = 0; u < users; u++)
    for (let a = 0; a < A; a++) segmentArm[segmentOf[u] * A + a] += userArm[u * A + a] / counts[segmentOf[u]];
  return { world, arms, users, segments, segmentOf, userArm, segmentArm, segmentShare };
}

/** The best arm of segment g by true mean. */
export function bestArmOfSegment(problem: MarketplaceBanditProblem, g: number): number {
  const A = problem.arms.length;
  let best = 0;
  for (let a = 1; a < A; a++) if (problem.segmentArm[g * A + a] > problem.segmentArm[g * A + best]) best = a;
  return best;
}

/** The arm with the highest true mean over all users: the "fixed best-on-average model". */
export function bestArmOnAverage(problem: MarketplaceBanditProblem): number {
  const A = problem.arms.length;
  const overall = new Float64Array(A);
  for (let g = 0; g < problem.segments.length; g++)
    for (let a = 0; a < A; a++) overall[a] += problem.segmentShare[g] * problem.segmentArm[g * A + a];
  let best = 0;
  for (let a = 1; a < A; a++) if (overall[a] > overall[best]) best = a;
  return best;
}
