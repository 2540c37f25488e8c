import type { Rng } from '@recsys/data';
import { BanditError, checkOption } from '../errors';
import {
  checkExploration,
  choiceProbabilities,
  GREEDY,
  sampleSlate,
  type Exploration,
} from '../exploration/exploration';
import type { ArmChoice } from '../multi-armed/policy';
import { LinUcbArm, type LinUcbArmState } from './lin-ucb-arm';

export interface LinUcbOptions {
  /** Length d of every feature vector. */
  readonly dimension: number;
  /** Width of the confidence bound (the paper's α; larger explores more). @defaultValue 1 */
  readonly alpha?: number;
  /** λ of each arm's ridge prior A = λI. @defaultValue 1 */
  readonly ridge?: number;
  /**
   * How UCB scores become a choice. Greedy (the paper's argmax) gives propensity 1 and cannot log data for
   * IPS; epsilon-greedy or softmax keep every candidate's propensity above 0. @defaultValue greedy
   */
  readonly exploration?: Exploration;
  /** The seeded random source of exploration draws (never Math.random). Not part of the saved state. */
  readonly rng: Rng;
}

/** A candidate arm (e.g. a service) with its context features for this request, x_{t,a} of the paper. */
export interface LinUcbCandidate {
  readonly arm: string;
  readonly features: ArrayLike<number>;
}

/** A drawn list: arms in order, per-position propensities and the whole list's probability. */
export interface SlateChoice {
  readonly arms: string[];
  /** Indices into the candidates passed to chooseSlate. */
  readonly indices: number[];
  /** propensities[j] = P(arms[j] | context, arms[0..j)) under the exploration rule. */
  readonly propensities: number[];
  /** P(this ordered list) = Π propensities. */
  readonly propensity: number;
}

/** A saved LinUCB: options and each arm's sufficient statistics (plain JSON). */
export interface LinUcbState {
  readonly kind: 'lin-ucb';
  readonly version: typeof LIN_UCB_STATE_VERSION;
  readonly dimension: number;
  readonly alpha: number;
  readonly ridge: number;
  readonly exploration: Exploration;
  readonly arms: Readonly<Record<string, LinUcbArmState>>;
}

export const LIN_UCB_STATE_VERSION = 1;

/**
 * LinUCB with disjoint linear models (Li, Chu, Langford & Schapire, WWW 2010, Algorithm 1): each arm a
 * has its own ridge regression of reward on the context features, and is scored
 *   p_a = θ_aᵀx + α·sqrt(xᵀA_a⁻¹x),  θ_a = A_a⁻¹b_a,
 * the estimate plus its confidence width, so an arm seen rarely (a new service) gets a wide bound and is
 * explored. Arms are created on first sight (A = λI, b = 0): the candidate set may change every request.
 * Propensities come from the exploration rule over the scores (see Exploration).
 */
export class LinUcb {
  readonly dimension: number;
  readonly alpha: number;
  readonly ridge: number;
  readonly exploration: Exploration;
  private readonly arms = new Map<string, LinUcbArm>();
  private readonly rng: Rng;

  constructor(options: LinUcbOptions) {
    const { dimension, alpha = 1, ridge = 1, exploration = GREEDY, rng } = options;
    checkOption(
      Number.isInteger(dimension) && dimension >= 1,
      'lin-ucb.dimension must be an integer ≥ 1',
      dimension,
    );
    checkOption(alpha >= 0 && Number.isFinite(alpha), 'lin-ucb.alpha must be a finite number ≥ 0', alpha);
    checkOption(ridge > 0 && Number.isFinite(ridge), 'lin-ucb.ridge must be a finite number > 0', ridge);
    checkExploration(exploration);
    this.dimension = dimension;
    this.alpha = alpha;
    this.ridge = ridge;
    this.exploration = exploration;
    this.rng = rng;
  }

  /** Each candidate's upper confidence bound p_a. */
  scores(candidates: readonly LinUcbCandidate[]): Float64Array {
    this.checkCandidates(candidates);
    const scores = new Float64Array(candidates.length);
    for (let c = 0; c < candidates.length; c++) {
      const { arm, features } = candidates[c];
      const model = this.arms.get(arm);
      if (model !== undefined) {
        scores[c] = model.upperBound(features, this.alpha);
        continue;
      }
      // An unseen arm: θ = 0 and A⁻¹ = I/λ, so p = α·|x|/sqrt(λ).
      let squared = 0;
      for (let i = 0; i < this.dimension; i++) squared += features[i] * features[i];
      scores[c] = this.alpha * Math.sqrt(squared / this.ridge);
    }
    return scores;
  }

  /** One arm among the candidates; `armIndex` indexes the candidates. */
  choose(candidates: readonly LinUcbCandidate[]): ArmChoice {
    const slate = this.chooseSlate(candidates, 1);
    return { arm: slate.arms[0], armIndex: slate.indices[0], propensity: slate.propensities[0] };
  }

  /** An ordered list of up to `size` distinct candidates, each position drawn by the exploration rule. */
  chooseSlate(candidates: readonly LinUcbCandidate[], size: number): SlateChoice {
    checkOption(Number.isInteger(size) && size >= 1, 'slate size must be an integer ≥ 1', size);
    const { indices, propensities } = sampleSlate(this.scores(candidates), size, this.exploration, this.rng);
    return {
      arms: indices.map((i) => candidates[i].arm),
      indices,
      propensities,
      propensity: propensities.reduce((p, q) => p * q, 1),
    };
  }

  /** The probability of choosing each candidate first (for evaluating this policy as an off-policy target). */
  armProbabilities(candidates: readonly LinUcbCandidate[]): Float64Array {
    return choiceProbabilities(this.scores(candidates), this.exploration);
  }

  /** Records the reward (any finite number, usually a click 0/1) of `arm` shown with `features`. */
  update(arm: string, features: ArrayLike<number>, reward: number): void {
    if (typeof arm !== 'string' || arm === '')
      throw new BanditError('INVALID_CONTEXT', `arm must be a non-empty string, got ${String(arm)}`);
    this.checkFeatures(arm, features);
    if (typeof reward !== 'number' || !Number.isFinite(reward))
      throw new BanditError(
        'INVALID_REWARD',
        `reward of arm "${arm}" must be a finite number, got ${String(reward)}`,
      );
    let model = this.arms.get(arm);
    if (model === undefined) {
      model = LinUcbArm.fresh(this.dimension, this.ridge);
      this.arms.set(arm, model);
    }
    model.update(features, reward);
  }

  /** An arm's model (A, A⁻¹, b, θ), or undefined before its first update. Read-only by convention. */
  model(arm: string): LinUcbArm | undefined {
    return this.arms.get(arm);
  }

  knownArms(): string[] {
    return [...this.arms.keys()];
  }

  toJSON(): LinUcbState {
    const arms: Record<string, LinUcbArmState> = {};
    for (const [arm, model] of this.arms) arms[arm] = model.toJSON();
    return {
      kind: 'lin-ucb',
      version: LIN_UCB_STATE_VERSION,
      dimension: this.dimension,
      alpha: this.alpha,
      ridge: this.ridge,
      exploration: this.exploration,
      arms,
    };
  }

  static fromJSON(state: unknown, rng: Rng): LinUcb {
    if (state === null || typeof state !== 'object' || Array.isArray(state))
      throw new BanditError('INVALID_STATE', 'a LinUCB state must be an object');
    const s = state as Partial<LinUcbState>;
    if (s.kind !== 'lin-ucb' || s.version !== LIN_UCB_STATE_VERSION)
      throw new BanditError(
        'INVALID_STATE',
        `expected a lin-ucb state of version ${LIN_UCB_STATE_VERSION}, got ${String(s.kind)} version ${String(s.version)}`,
      );
    let bandit: LinUcb;
    try {
      bandit = new LinUcb({
        dimension: s.dimension as number,
        alpha: s.alpha,
        ridge: s.ridge,
        exploration: s.exploration,
        rng,
      });
    } catch (err) {
      throw err instanceof BanditError
        ? new BanditError('INVALID_STATE', `saved LinUCB: ${err.message}`)
        : err;
    }
    if (s.arms === null || typeof s.arms !== 'object' || Array.isArray(s.arms))
      throw new BanditError('INVALID_STATE', 'LinUCB state: arms must be an object keyed by arm id');
    for (const [arm, armState] of Object.entries(s.arms))
      bandit.arms.set(arm, LinUcbArm.fromJSON(arm, bandit.dimension, armState));
    return bandit;
  }

  private checkCandidates(candidates: readonly LinUcbCandidate[]): void {
    if (!Array.isArray(candidates) || candidates.length === 0)
      throw new BanditError('INVALID_CONTEXT', 'LinUCB needs a non-empty array of candidates');
    const seen = new Set<string>();
    for (const candidate of candidates) {
      const arm = candidate?.arm;
      if (typeof arm !== 'string' || arm === '')
        throw new BanditError(
          'INVALID_CONTEXT',
          `candidate arm must be a non-empty string, got ${String(arm)}`,
        );
      if (seen.has(arm)) throw new BanditError('INVALID_CONTEXT', `candidate "${arm}" is listed twice`);
      seen.add(arm);
      this.checkFeatures(arm, candidate.features);
    }
  }

  private checkFeatures(arm: string, features: ArrayLike<number>): void {
    if (features === null || typeof features !== 'object' || features.length !== this.dimension)
      throw new BanditError(
        'INVALID_CONTEXT',
        `features of "${arm}" must have length ${this.dimension}, got ${String(features?.length)}`,
      );
    for (let i = 0; i < this.dimension; i++)
      if (typeof features[i] !== 'number' || !Number.isFinite(features[i]))
        throw new BanditError(
          'INVALID_CONTEXT',
          `features of "${arm}"[${i}] is not a finite number: ${String(features[i])}`,
        );
  }
}
