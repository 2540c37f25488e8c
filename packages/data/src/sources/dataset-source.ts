import type { DatasetRows, ImportIssues } from '@recsys/db';

/** The producers this package ships; `DatasetSource.kind` is one of these for the built-in sources. */
export const DATASET_SOURCE_KINDS = [
  'movielens-100k',
  'movielens-latest-small',
  'generic-csv',
  'synthetic',
] as const;
export type DatasetSourceKind = (typeof DATASET_SOURCE_KINDS)[number];

/**
 * Something that can be imported as one dataset: a public benchmark on disk, a user's CSV files or the
 * synthetic marketplace. A source is a recipe, not a cursor: `rows` may be called again and streams the
 * data afresh each time.
 */
export interface DatasetSource {
  /** Default dataset id (namespace) to import into, e.g. 'ml-100k'. */
  readonly datasetId: string;
  /** What produced it: 'movielens-100k' | 'movielens-latest-small' | 'generic-csv' | 'synthetic'. */
  readonly kind: string;
  readonly description: string;
  /** SHA-256 hex over the input files' bytes (or the generator's parameters). */
  fingerprint(): Promise<string>;
  /** Fresh streams of rows; every parse problem goes into `issues` with file and 1-based line, and the bad row is skipped. */
  rows(issues: ImportIssues): DatasetRows;
}

export type DatasetSourceErrorCode = 'SOURCE_UNKNOWN' | 'SOURCE_FILE_MISSING' | 'SOURCE_INVALID_OPTIONS';

/** A source could not be set up (unknown spec, missing file, bad option); problems in rows go to ImportIssues instead. */
export class DatasetSourceError extends Error {
  constructor(
    readonly code: DatasetSourceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DatasetSourceError';
  }
}
