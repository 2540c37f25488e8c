import { sampleSearchSpace, validateSearchSpace, type TrialParams } from '../search-space';
import { checkSeed, proposalRng, type ProposalRequest, type Sampler } from './sampler';

export interface RandomSamplerOptions {
  /** Default 0. */
  seed?: number;
}

/**
 * Random search (Bergstra & Bengio 2012, "Random Search for Hyper-Parameter Optimization"): every
 * dimension drawn independently from its prior, ignoring the history. Trial n of seed s always gets the
 * same configuration.
 */
export class RandomSampler implements Sampler {
  readonly seed: number;

  constructor(options: RandomSamplerOptions = {}) {
    this.seed = options.seed ?? 0;
    checkSeed(this.seed);
  }

  propose(request: ProposalRequest): TrialParams {
    validateSearchSpace(request.space);
    return sampleSearchSpace(request.space, proposalRng(this.seed, request));
  }
}
