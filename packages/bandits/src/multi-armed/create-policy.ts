import { BanditError } from '../errors';
import { EpsilonGreedy } from './epsilon-greedy';
import { KlUcb } from './kl-ucb';
import type { ArmSelectionPolicy, MultiArmedPolicyConfig } from './policy';
import { ThompsonSampling } from './thompson-sampling';
import { Ucb1 } from './ucb1';

/** The policy a configuration names; INVALID_OPTIONS for an unknown kind or a bad value. */
export function createPolicy(config: MultiArmedPolicyConfig): ArmSelectionPolicy {
  if (config === null || typeof config !== 'object')
    throw new BanditError('INVALID_OPTIONS', `policy must be an object with a kind, got ${String(config)}`);
  switch (config.kind) {
    case 'thompson':
      return new ThompsonSampling(config);
    case 'ucb1':
      return new Ucb1();
    case 'kl-ucb':
      return new KlUcb(config);
    case 'epsilon-greedy':
      return new EpsilonGreedy(config);
    default:
      return unknownPolicy(config);
  }
}

function unknownPolicy(config: never): never {
  throw new BanditError(
    'INVALID_OPTIONS',
    `policy.kind must be thompson, ucb1, kl-ucb or epsilon-greedy, got ${String((config as { kind: unknown }).kind)}`,
  );
}
