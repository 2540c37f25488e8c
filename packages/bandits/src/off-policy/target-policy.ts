/**
 * The policy being evaluated off-line. `probability` answers π(actions | context): the probability that it
 * serves exactly this ordered list (for single choices, the probability of the one action). A deterministic
 * policy answers 1 for its own choice and 0 otherwise.
 */
export interface TargetPolicy<C = unknown, A = string> {
  probability(context: C, actions: readonly A[]): number;
}

/** A single-choice policy that can list its whole distribution over actions (the doubly robust estimator needs it). */
export interface ActionDistributionPolicy<C = unknown, A = string> extends TargetPolicy<C, A> {
  /** Every action with probability > 0 and that probability (summing to 1). */
  distribution(context: C): Iterable<readonly [action: A, probability: number]>;
}

/** A single-choice target policy from its distribution function. */
export function policyFromDistribution<C, A>(
  distribution: (context: C) => Iterable<readonly [A, number]>,
): ActionDistributionPolicy<C, A> {
  return {
    distribution,
    probability(context, actions) {
      if (actions.length !== 1) return 0;
      let p = 0;
      for (const [action, probability] of distribution(context)) if (action === actions[0]) p += probability;
      return p;
    },
  };
}

/** The deterministic single-choice policy that always serves `choose(context)`. */
export function deterministicPolicy<C, A>(choose: (context: C) => A): ActionDistributionPolicy<C, A> {
  return policyFromDistribution((context: C) => [[choose(context), 1] as const]);
}
