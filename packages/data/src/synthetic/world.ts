import { Rng } from '../random/rng';
import { generateCatalog, type SyntheticCatalog } from './catalog';
import { clickLogit, sigmoid } from './click-model';
import type { SyntheticParams } from './params';
import { generatePopulation, type SyntheticPopulation } from './population';
import { CATEGORIES } from './taxonomy';

const K = CATEGORIES.length;

/** Everything fixed before the first event: the catalog and the population, drawn from the seed. */
export interface SyntheticWorld {
  readonly params: SyntheticParams;
  readonly catalog: SyntheticCatalog;
  readonly population: SyntheticPopulation;
}

/** Random streams of the generator, each forked from the seed, so that one part's draws never shift another's. */
export const RNG_STREAMS = { catalog: 1, population: 2, simulation: 3 } as const;

export function buildWorld(params: SyntheticParams): SyntheticWorld {
  const root = new Rng(params.seed);
  return {
    params,
    catalog: generateCatalog(params, root.fork(RNG_STREAMS.catalog)),
    population: generatePopulation(params, root.fork(RNG_STREAMS.population)),
  };
}

/**
 * The true probability that user `u` clicks service `s` shown at the top of a list (indexes into the
 * world's population and catalog). Same formula as `clickProbability` over the rows' traits.
 */
export function trueClickProbability(world: SyntheticWorld, u: number, s: number): number {
  return sigmoid(worldClickLogit(world, u, s));
}

export function worldClickLogit(world: SyntheticWorld, u: number, s: number): number {
  const { catalog, population } = world;
  const secondary = catalog.secondary[s];
  return clickLogit(
    population.taste[u * K + catalog.category[s]],
    secondary >= 0 ? population.taste[u * K + secondary] : 0,
    secondary >= 0,
    population.priceSensitivity[u],
    catalog.priceTier[s],
    catalog.quality[s],
    catalog.freeTier[s] === 1,
  );
}
