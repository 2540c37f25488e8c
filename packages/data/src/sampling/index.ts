export { AliasTable } from './alias-table';
export { NegativeSampler, NegativeSamplingError, type NegativeSamplerOptions } from './negative-sampler';
export { UniformNegativeSampler } from './uniform-negative-sampler';
export {
  PopularityNegativeSampler,
  columnCounts,
  type PopularityNegativeSamplerOptions,
} from './popularity-negative-sampler';
