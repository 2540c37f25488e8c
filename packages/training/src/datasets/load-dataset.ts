import path from 'node:path';
import type { Pool } from 'pg';
import {
  buildDatasetFromRows,
  datasetsDir,
  genericCsv,
  loadDatasetFromPostgres,
  predefinedSplit,
  readMovieLens100kFold,
  resolveSource,
  type DatasetSource,
  type InteractionDataset,
  type ResolveSourceOptions,
  type Split,
} from '@recsys/data';
import { ImportIssues, ImportValidationError, type DatasetRows, type InteractionRow } from '@recsys/db';
import type { PredefinedFolds } from '../evaluation/protocols/build-folds';

/**
 * A dataset spec as `recsys evaluate` and the worker take it: `ml-100k`, `ml-latest-small`, `synthetic`,
 * `file:PATH` (generic CSV), or `db:DATASET_ID` (read from PostgreSQL).
 */
export type DatasetSpec = string;

export interface LoadDatasetOptions {
  source?: ResolveSourceOptions;
  /** Needed for `db:` specs. */
  pool?: () => Pool;
}

async function fromSource(name: string, source: DatasetSource): Promise<InteractionDataset> {
  const issues = new ImportIssues();
  const dataset = await buildDatasetFromRows(name, source.rows(issues));
  if (issues.count > 0) throw new ImportValidationError(issues.issues, issues.count);
  return dataset;
}

/** Loads a dataset into memory (typed arrays), from files or PostgreSQL. */
export async function loadDataset(
  spec: DatasetSpec,
  options: LoadDatasetOptions = {},
): Promise<InteractionDataset> {
  if (spec.startsWith('db:')) {
    if (!options.pool)
      throw new Error(`dataset "${spec}": reading from PostgreSQL needs a database connection`);
    const id = spec.slice(3);
    const dataset = await loadDatasetFromPostgres(options.pool(), id);
    if (dataset.log.length === 0)
      throw new Error(`dataset "${id}" has no interactions in the database (import it first)`);
    return dataset;
  }
  const name = spec.startsWith('file:') ? path.basename(spec.slice(5)) : spec;
  return fromSource(name, resolveSource(spec, options.source));
}

/** MovieLens 100K's canonical five folds (u1..u5), as splits of the full u.data dataset. */
export async function movieLens100kFolds(
  dataset: InteractionDataset,
  dir = path.join(datasetsDir(), 'ml-100k'),
): Promise<PredefinedFolds> {
  const splits: Split[] = [];
  const labels: string[] = [];
  for (const fold of [1, 2, 3, 4, 5] as const) {
    const pairs: [string, string][] = [];
    for await (const r of readMovieLens100kFold(dir, fold, 'test')) pairs.push([r.userId, r.itemId]);
    splits.push(predefinedSplit(dataset, pairs));
    labels.push(`u${fold}`);
  }
  return { splits, labels };
}

/**
 * A user-supplied train/test pair in the generic CSV format, as one dataset (shared id maps) whose
 * first events are the training file's and the rest the test file's. Items and users files beside the
 * training file are used when present.
 */
export async function loadPredefinedPair(
  trainPath: string,
  testPath: string,
  options: ResolveSourceOptions = {},
): Promise<{ dataset: InteractionDataset; folds: PredefinedFolds }> {
  const train = resolveSource(`file:${trainPath}`, options);
  const test = genericCsv({ interactions: path.resolve(options.cwd ?? process.cwd(), testPath) });
  const issues = new ImportIssues();
  const trainRows = train.rows(issues);
  const testRows = test.rows(issues);
  let trainEvents = 0;
  async function* interactions(): AsyncGenerator<InteractionRow> {
    if (trainRows.interactions) {
      for await (const row of trainRows.interactions) {
        trainEvents++;
        yield row;
      }
    }
    if (testRows.interactions) yield* testRows.interactions;
  }
  const rows: DatasetRows = { ...trainRows, interactions: interactions(), tagAssignments: undefined };
  const dataset = await buildDatasetFromRows(path.basename(trainPath), rows);
  if (issues.count > 0) throw new ImportValidationError(issues.issues, issues.count);
  const n = dataset.log.length;
  const split: Split = {
    train: Int32Array.from({ length: trainEvents }, (_, i) => i),
    test: Int32Array.from({ length: n - trainEvents }, (_, i) => trainEvents + i),
  };
  return { dataset, folds: { splits: [split], labels: ['predefined'] } };
}
