import type { Rng } from '@recsys/data';
import { BanditError, checkOption } from '../errors';

/**
 * How a policy turns scores into a random choice, so that every choice has a known probability (its
 * propensity) for off-policy evaluation:
 * - `greedy`: the highest score, lowest index among ties; propensity 1. Not usable to LOG data for IPS:
 *   every other action has probability 0, so no other policy can be evaluated from such a log.
 * - `epsilon-greedy`: a uniform candidate with probability `epsilon`, else the greedy one:
 *   P(a) = (1 − ε)·[a = argmax] + ε/m over the m candidates still available.
 * - `softmax`: Boltzmann exploration, P(a) ∝ exp(score_a / temperature).
 * A slate of k actions is drawn position by position without replacement (Plackett–Luce for softmax), each
 * position from the same rule over the candidates not yet placed.
 */
export type Exploration =
  | { readonly kind: 'greedy' }
  | { readonly kind: 'epsilon-greedy'; readonly epsilon: number }
  | { readonly kind: 'softmax'; readonly temperature: number };

export const GREEDY: Exploration = { kind: 'greedy' };

/** Throws INVALID_OPTIONS on an unknown kind, epsilon outside [0, 1] or a temperature ≤ 0. */
export function checkExploration(exploration: Exploration): void {
  switch (exploration.kind) {
    case 'greedy':
      return;
    case 'epsilon-greedy':
      checkOption(
        exploration.epsilon >= 0 && exploration.epsilon <= 1,
        'exploration.epsilon must lie in [0, 1]',
        exploration.epsilon,
      );
      return;
    case 'softmax':
      checkOption(
        exploration.temperature > 0 && Number.isFinite(exploration.temperature),
        'exploration.temperature must be a finite number > 0',
        exploration.temperature,
      );
      return;
    default:
      return unknownExploration(exploration);
  }
}

function unknownExploration(exploration: never): never {
  throw new BanditError(
    'INVALID_OPTIONS',
    `exploration.kind must be greedy, epsilon-greedy or softmax, got ${String((exploration as { kind: unknown }).kind)}`,
  );
}

/** Index of the highest score among the available ones (lowest index among ties); -1 when none is available. */
export function argmax(scores: ArrayLike<number>, available?: ArrayLike<boolean>): number {
  let best = -1;
  for (let i = 0; i < scores.length; i++) {
    if (available !== undefined && !available[i]) continue;
    if (best < 0 || scores[i] > scores[best]) best = i;
  }
  return best;
}

/**
 * The probability of choosing each candidate under `exploration` (0 for unavailable ones), written into `out`.
 * Scores may be ±Infinity for greedy and epsilon-greedy (an unplayed arm's index); softmax needs finite scores.
 */
export function choiceProbabilities(
  scores: ArrayLike<number>,
  exploration: Exploration,
  available?: ArrayLike<boolean>,
  out: Float64Array = new Float64Array(scores.length),
): Float64Array {
  out.fill(0);
  let m = 0;
  for (let i = 0; i < scores.length; i++) if (available === undefined || available[i]) m++;
  if (m === 0) return out;
  switch (exploration.kind) {
    case 'greedy':
      out[argmax(scores, available)] = 1;
      return out;
    case 'epsilon-greedy': {
      const share = exploration.epsilon / m;
      for (let i = 0; i < scores.length; i++) if (available === undefined || available[i]) out[i] = share;
      out[argmax(scores, available)] += 1 - exploration.epsilon;
      return out;
    }
    case 'softmax': {
      const top = scores[argmax(scores, available)];
      if (!Number.isFinite(top))
        throw new BanditError('INVALID_CONTEXT', `softmax exploration needs finite scores, got ${top}`);
      let total = 0;
      for (let i = 0; i < scores.length; i++) {
        if (available !== undefined && !available[i]) continue;
        // Shifted by the maximum so that exp never overflows.
        out[i] = Math.exp((scores[i] - top) / exploration.temperature);
        total += out[i];
      }
      for (let i = 0; i < scores.length; i++) out[i] /= total;
      return out;
    }
    default:
      return unknownExploration(exploration);
  }
}

/** A drawn slate: candidate indices in list order, and each position's probability given the positions above it. */
export interface SlateSelection {
  readonly indices: number[];
  /** propensities[j] = P(indices[j] | context, indices[0..j)); the whole list's probability is their product. */
  readonly propensities: number[];
}

/**
 * Draws `size` distinct candidates (fewer when there are fewer candidates) position by position. Greedy
 * consumes no random numbers; the other rules one `rng.next()` per position (inverse CDF).
 */
export function sampleSlate(
  scores: ArrayLike<number>,
  size: number,
  exploration: Exploration,
  rng: Rng,
): SlateSelection {
  const n = scores.length;
  const available = new Array<boolean>(n).fill(true);
  const probabilities = new Float64Array(n);
  const indices: number[] = [];
  const propensities: number[] = [];
  for (let position = 0; position < Math.min(size, n); position++) {
    choiceProbabilities(scores, exploration, available, probabilities);
    const chosen = exploration.kind === 'greedy' ? argmax(scores, available) : drawIndex(probabilities, rng);
    indices.push(chosen);
    propensities.push(probabilities[chosen]);
    available[chosen] = false;
  }
  return { indices, propensities };
}

/** An index drawn with the given probabilities (summing to 1); never one of probability 0. */
function drawIndex(probabilities: Float64Array, rng: Rng): number {
  let u = rng.next();
  let last = -1;
  for (let i = 0; i < probabilities.length; i++) {
    if (probabilities[i] <= 0) continue;
    last = i;
    u -= probabilities[i];
    if (u < 0) return i;
  }
  return last; // rounding left u a hair above 0: the last possible index
}
