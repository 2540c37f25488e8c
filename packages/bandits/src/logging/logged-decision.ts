import { BanditError } from '../errors';

/**
 * One served decision as the logging policy made it: what was shown, with which probabilities, and the
 * reward it earned (a click 0/1, or any finite reward). Serving writes the decision with its propensities
 * when it answers (a ServedDecision) and joins the reward when the feedback arrives (0 when none came).
 */
export interface LoggedDecision<C = unknown, A = string> {
  readonly context: C;
  /** The served list in order; one element for a single choice. */
  readonly actions: readonly A[];
  /** Per position j: P(actions[j] | context, actions[0..j)) under the logging policy, each in (0, 1]. */
  readonly propensities: readonly number[];
  /** P(the whole ordered list | context) under the logging policy = Π propensities. */
  readonly propensity: number;
  readonly reward: number;
  /** The logging policy's name and version, for audit. */
  readonly policy?: string;
}

/** A decision before its reward is known. */
export type ServedDecision<C = unknown, A = string> = Omit<LoggedDecision<C, A>, 'reward'>;

/** What `choose` / `chooseSlate` answered: one arm with its propensity, or a list with per-position ones. */
export type PolicyChoice =
  | { readonly arm: string; readonly propensity: number }
  | { readonly arms: readonly string[]; readonly propensities: readonly number[] };

/** The served decision of a choice, ready to log. */
export function servedDecision<C>(context: C, choice: PolicyChoice, policy?: string): ServedDecision<C> {
  const actions = 'arm' in choice ? [choice.arm] : [...choice.arms];
  const propensities = 'arm' in choice ? [choice.propensity] : [...choice.propensities];
  const decision = {
    context,
    actions,
    propensities,
    propensity: propensities.reduce((p, q) => p * q, 1),
    ...(policy === undefined ? {} : { policy }),
  };
  checkServedDecision(decision);
  return decision;
}

/** The served decision with its reward joined. */
export function withReward<C, A>(decision: ServedDecision<C, A>, reward: number): LoggedDecision<C, A> {
  const logged = { ...decision, reward };
  checkLoggedDecision(logged);
  return logged;
}

/** INVALID_LOG naming the entry (`at`) and the problem, unless the decision is usable for off-policy evaluation. */
export function checkLoggedDecision(decision: LoggedDecision<unknown, unknown>, at?: number): void {
  checkServedDecision(decision, at);
  if (typeof decision.reward !== 'number' || !Number.isFinite(decision.reward))
    invalid(at, `reward must be a finite number, got ${String(decision.reward)}`);
}

function checkServedDecision(decision: ServedDecision<unknown, unknown>, at?: number): void {
  if (decision === null || typeof decision !== 'object') invalid(at, 'not an object');
  const { actions, propensities, propensity } = decision;
  if (!Array.isArray(actions) || actions.length === 0) invalid(at, 'actions must be a non-empty array');
  if (!Array.isArray(propensities) || propensities.length !== actions.length)
    invalid(at, `propensities must hold one number per action (${actions.length})`);
  for (const p of propensities)
    if (!(p > 0 && p <= 1)) invalid(at, `every propensity must lie in (0, 1], got ${String(p)}`);
  if (!(propensity > 0 && propensity <= 1))
    invalid(at, `propensity must lie in (0, 1], got ${String(propensity)}`);
}

function invalid(at: number | undefined, problem: string): never {
  throw new BanditError('INVALID_LOG', `logged decision${at === undefined ? '' : ` #${at}`}: ${problem}`);
}
