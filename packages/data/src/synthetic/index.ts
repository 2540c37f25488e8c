export {
  CATEGORIES,
  CATEGORY_SPECS,
  COUNTRIES,
  DEVICES,
  DIURNAL_PATTERN,
  OCCUPATIONS,
  PROVIDER_TEMPLATES,
  type CategoryName,
  type DeviceName,
} from './taxonomy';
export {
  SYNTHETIC_DEFAULTS,
  syntheticParams,
  type SyntheticMarketplaceOptions,
  type SyntheticParams,
} from './params';
export {
  clickLogit,
  clickProbability,
  examinationProbability,
  serviceTraitsFromRow,
  userTraitsFromAttributes,
  type SyntheticServiceTraits,
  type SyntheticUserTraits,
} from './click-model';
/** Gamma(shape, 1) draws from a seeded Rng (Marsaglia–Tsang), shared with the bandits' Beta posteriors. */
export { gamma as sampleGamma } from './distributions';
export { generateCatalog, type SyntheticCatalog, type SyntheticProvider } from './catalog';
export { generatePopulation, type SyntheticPopulation } from './population';
export { buildWorld, trueClickProbability, type SyntheticWorld } from './world';
export { MarketplaceSimulator, type SimulatedSession, type SimulationSink } from './simulator';
export {
  SYNTHETIC_GENERATOR_VERSION,
  syntheticMarketplace,
  type SyntheticMarketplaceSource,
} from './marketplace-source';
export { syntheticInteractionLog, type SyntheticInteractionLog } from './synthetic-log';
