import type { InteractionDataset, InteractionLog } from '@recsys/data';

/**
 * The evaluation protocols. Numbers are only comparable within one protocol: each is documented in the
 * README exactly, with the published results it reproduces.
 */
export const PROTOCOL_NAMES = [
  'cv5',
  'holdout',
  'loo-sampled',
  'loo-full',
  'temporal',
  'predefined',
  'ctr',
] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

export function isProtocolName(name: string): name is ProtocolName {
  return (PROTOCOL_NAMES as readonly string[]).includes(name);
}

/** Options of every protocol, with the defaults of `DEFAULT_PROTOCOL_OPTIONS`. */
export interface ProtocolOptions {
  /** Cutoff of the ranking metrics. */
  k: number;
  seed: number;
  /** holdout: share of each user's events held out. */
  holdoutTestFraction: number;
  /** temporal: share of all events (the latest) held out. */
  temporalTestFraction: number;
  /** loo-sampled: sampled unseen items ranked against the held-out one. */
  sampledNegatives: number;
  /** cv5: number of folds where the dataset has no canonical ones. */
  folds: number;
}

export const DEFAULT_PROTOCOL_OPTIONS: ProtocolOptions = {
  k: 10,
  seed: 42,
  holdoutTestFraction: 0.25,
  temporalTestFraction: 0.2,
  sampledNegatives: 99,
  folds: 5,
};

/** What a fold asks of a model: rating prediction (RMSE, MAE) or ranking. */
export type FoldTask =
  | { kind: 'rating' }
  /** Rank every item not in the user's training data. */
  | { kind: 'ranking-full' }
  /** Rank the held-out item against `negatives` sampled unseen items per user. */
  | { kind: 'ranking-sampled'; negatives: number };

/** One train/test pair of a protocol. `train.log` holds only the training events. */
export interface EvaluationFold {
  label: string;
  train: InteractionDataset;
  test: InteractionLog;
  task: FoldTask;
}
