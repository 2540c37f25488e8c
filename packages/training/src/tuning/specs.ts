import { TuningError, TuningErrorCode } from './errors';
import { MedianPruner, type MedianPrunerOptions } from './pruning/median-pruner';
import type { Pruner } from './pruning/pruner';
import { SuccessiveHalvingPruner, type SuccessiveHalvingOptions } from './pruning/successive-halving';
import { RandomSampler, type RandomSamplerOptions } from './samplers/random-sampler';
import type { Sampler } from './samplers/sampler';
import { TpeSampler, type TpeSamplerOptions } from './samplers/tpe-sampler';

/** A sampler as JSON (a job payload): rebuild it with `createSampler`. */
export type SamplerSpec = ({ type: 'random' } & RandomSamplerOptions) | ({ type: 'tpe' } & TpeSamplerOptions);

/** A pruner as JSON: rebuild it with `createPruner` (undefined for `none`). */
export type PrunerSpec =
  | { type: 'none' }
  | ({ type: 'median' } & MedianPrunerOptions)
  | ({ type: 'successive-halving' } & SuccessiveHalvingOptions);

export function createSampler(spec: SamplerSpec): Sampler {
  switch (spec.type) {
    case 'random': {
      const { type: _type, ...options } = spec;
      return new RandomSampler(options);
    }
    case 'tpe': {
      const { type: _type, ...options } = spec;
      return new TpeSampler(options);
    }
    default: {
      const unknown: { type?: unknown } = spec;
      throw new TuningError(
        TuningErrorCode.INVALID_OPTIONS,
        `unknown sampler type ${JSON.stringify(unknown.type)}`,
      );
    }
  }
}

export function createPruner(spec: PrunerSpec): Pruner | undefined {
  switch (spec.type) {
    case 'none':
      return undefined;
    case 'median': {
      const { type: _type, ...options } = spec;
      return new MedianPruner(options);
    }
    case 'successive-halving': {
      const { type: _type, ...options } = spec;
      return new SuccessiveHalvingPruner(options);
    }
    default: {
      const unknown: { type?: unknown } = spec;
      throw new TuningError(
        TuningErrorCode.INVALID_OPTIONS,
        `unknown pruner type ${JSON.stringify(unknown.type)}`,
      );
    }
  }
}
