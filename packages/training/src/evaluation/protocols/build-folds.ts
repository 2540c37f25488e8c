import {
  applySplit,
  kFold,
  leaveLastOut,
  stratifiedHoldout,
  temporalSplit,
  type InteractionDataset,
  type Split,
} from '@recsys/data';
import type { EvaluationFold, FoldTask, ProtocolName, ProtocolOptions } from '../protocol';

/** Where the dataset brings its own folds (ML-100K's u1..u5, a --train/--test pair). */
export interface PredefinedFolds {
  /** One split per fold, as event indices of the dataset's log. */
  splits: Split[];
  labels: string[];
}

function fold(dataset: InteractionDataset, split: Split, label: string, task: FoldTask): EvaluationFold {
  const { train, test } = applySplit(dataset.log, split);
  return { label, train: { ...dataset, log: train }, test, task };
}

/** Only events with a rating value (cv5 predicts ratings). */
function ratedOnly(dataset: InteractionDataset): InteractionDataset {
  const values = dataset.log.values;
  const keep: number[] = [];
  for (let e = 0; e < values.length; e++) if (!Number.isNaN(values[e])) keep.push(e);
  if (keep.length === dataset.log.length) return dataset;
  const split = applySplit(dataset.log, { train: Int32Array.from(keep), test: new Int32Array(0) });
  return { ...dataset, log: split.train };
}

/**
 * The folds of a protocol on a dataset:
 * - cv5: the dataset's canonical folds when it has them (ML-100K u1..u5), else `folds`-fold CV over the
 *   rated events; rating prediction.
 * - holdout: one per-user stratified random split (testFraction of each user's events); full ranking.
 * - loo-sampled / loo-full: each user's latest event held out; ranked against sampled / all unseen items.
 * - temporal: a global time cut, the latest temporalTestFraction of events as test; full ranking.
 * - predefined: the given train/test pair; full ranking.
 * - ctr has no folds of this kind (a three-way split of labelled events): evaluateModel runs it (ctr.ts).
 */
export function buildFolds(
  dataset: InteractionDataset,
  protocol: ProtocolName,
  options: ProtocolOptions,
  predefined?: PredefinedFolds,
): EvaluationFold[] {
  switch (protocol) {
    case 'cv5': {
      if (predefined)
        return predefined.splits.map((s, i) => fold(dataset, s, predefined.labels[i], { kind: 'rating' }));
      const rated = ratedOnly(dataset);
      if (rated.log.length === 0)
        throw new Error(`cv5 needs rated events; dataset "${dataset.name}" has none`);
      return kFold(rated.log, { k: options.folds, seed: options.seed }).map((s, i) =>
        fold(rated, s, `fold${i + 1}`, { kind: 'rating' }),
      );
    }
    case 'holdout':
      return [
        fold(
          dataset,
          stratifiedHoldout(dataset.log, {
            testFraction: options.holdoutTestFraction,
            seed: options.seed,
            nUsers: dataset.users.size,
          }),
          'holdout',
          { kind: 'ranking-full' },
        ),
      ];
    case 'loo-sampled':
      return [
        fold(dataset, leaveLastOut(dataset.log, { nUsers: dataset.users.size }), 'loo', {
          kind: 'ranking-sampled',
          negatives: options.sampledNegatives,
        }),
      ];
    case 'loo-full':
      return [
        fold(dataset, leaveLastOut(dataset.log, { nUsers: dataset.users.size }), 'loo', {
          kind: 'ranking-full',
        }),
      ];
    case 'temporal':
      return [
        fold(
          dataset,
          temporalSplit(dataset.log, { testFraction: options.temporalTestFraction }),
          'temporal',
          {
            kind: 'ranking-full',
          },
        ),
      ];
    case 'predefined': {
      if (!predefined) throw new Error('the predefined protocol needs --train and --test files');
      return predefined.splits.map((s, i) =>
        fold(dataset, s, predefined.labels[i], { kind: 'ranking-full' }),
      );
    }
    case 'ctr':
      throw new Error('the ctr protocol has no ranking folds: evaluateModel runs it through evaluateCtr');
  }
}
