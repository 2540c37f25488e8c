import type { Pool } from 'pg';
import { ImportIssues, importDatasetRows, type DatasetImportResult, type ImportProgress } from '@recsys/db';
import type { DatasetSource } from '../sources/dataset-source';

export interface ImportSourceOptions {
  /** The dataset (namespace) to write into; the source's own id by default. */
  datasetId?: string;
  onProgress?: (progress: ImportProgress) => void;
  /** How many bad rows to name in the error (all are counted). */
  maxReportedIssues?: number;
}

/**
 * Imports one source (MovieLens, a generic CSV, the synthetic marketplace) into PostgreSQL in a single
 * transaction: parse problems and reference problems both reject the whole import with file and line.
 */
export async function importSource(
  pool: Pool,
  source: DatasetSource,
  options: ImportSourceOptions = {},
): Promise<DatasetImportResult> {
  const issues = new ImportIssues(options.maxReportedIssues ?? 50);
  const fingerprint = await source.fingerprint();
  return importDatasetRows(pool, source.rows(issues), {
    datasetId: options.datasetId ?? source.datasetId,
    source: source.kind,
    description: source.description,
    fingerprint,
    issues,
    onProgress: options.onProgress,
  });
}
