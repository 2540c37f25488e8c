import { buildWorld, CATEGORIES, Rng, syntheticParams, trueClickProbability } from '@recsys/data';
import { LinUcb } from '../../src';

export interface LinUcbExperimentOptions {
  readonly seeds: readonly number[];
  /** Requests per seed. */
  readonly horizon: number;
  /** @defaultValue 0.2 */
  readonly alpha?: number;
  /** @defaultValue 0.05 */
  readonly epsilon?: number;
}

export interface LinUcbExperimentResult {
  /** Mean true CTR of the services shown by LinUCB, the best single service (an oracle) and uniform choice. */
  readonly linUcbCtr: number;
  readonly bestSingleServiceCtr: number;
  readonly uniformCtr: number;
  /** Mean true CTR of the best service for each user: the ceiling. */
  readonly oracleCtr: number;
  /** Times, over 20 requests per seed after the horizon, a newly added service was shown. */
  readonly newServiceShown: number;
}

const K = CATEGORIES.length;
/** Ten services of the catalog as arms (every tenth). */
const SERVICES = Array.from({ length: 10 }, (_, i) => i * 10);
/** The service that joins the candidates after the horizon. */
const NEW_SERVICE = 5;

/**
 * LinUCB choosing which of ten services to show, on the synthetic marketplace (1,000 users, 100 services).
 * The context is the user's taste (9 categories, scaled by 9), price sensitivity and a bias: d = 11. The
 * reward is a click drawn with the simulator's true probability. After the horizon an eleventh service
 * joins the candidates: with no data its confidence bound is wide, so it is explored.
 */
export function linUcbExperiment(options: LinUcbExperimentOptions): LinUcbExperimentResult {
  const { seeds, horizon, alpha = 0.2, epsilon = 0.05 } = options;
  const runs = seeds.length * horizon;
  let linUcbCtr = 0;
  let bestSingleServiceCtr = 0;
  let uniformCtr = 0;
  let oracleCtr = 0;
  let newServiceShown = 0;
  for (const seed of seeds) {
    const world = buildWorld(syntheticParams({ seed, users: 1000, services: 100 }));
    const users = world.population.size;
    const features = (u: number): number[] => [
      ...Array.from(world.population.taste.subarray(u * K, u * K + K), (t) => t * K),
      world.population.priceSensitivity[u],
      1,
    ];
    const average = SERVICES.map((s) => {
      let p = 0;
      for (let u = 0; u < users; u++) p += trueClickProbability(world, u, s) / users;
      return p;
    });
    const fixed = average.indexOf(Math.max(...average));
    const lin = new LinUcb({
      dimension: K + 2,
      alpha,
      exploration: { kind: 'epsilon-greedy', epsilon },
      rng: new Rng(seed).fork(1),
    });
    const env = new Rng(seed).fork(2);
    for (let t = 0; t < horizon; t++) {
      const u = env.int(users);
      const x = features(u);
      const p = SERVICES.map((s) => trueClickProbability(world, u, s));
      const choice = lin.choose(SERVICES.map((s) => ({ arm: `svc-${s}`, features: x })));
      lin.update(choice.arm, x, env.next() < p[choice.armIndex] ? 1 : 0);
      linUcbCtr += p[choice.armIndex] / runs;
      bestSingleServiceCtr += p[fixed] / runs;
      uniformCtr += p.reduce((a, b) => a + b) / p.length / runs;
      oracleCtr += Math.max(...p) / runs;
    }
    const withNew = [...SERVICES, NEW_SERVICE];
    for (let t = 0; t < 20; t++) {
      const u = env.int(users);
      const x = features(u);
      const choice = lin.choose(withNew.map((s) => ({ arm: `svc-${s}`, features: x })));
      if (withNew[choice.armIndex] === NEW_SERVICE) newServiceShown++;
      lin.update(
        choice.arm,
        x,
        env.next() < trueClickProbability(world, u, withNew[choice.armIndex]) ? 1 : 0,
      );
    }
  }
  return { linUcbCtr, bestSingleServiceCtr, uniformCtr, oracleCtr, newServiceShown };
}
