import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { syntheticMarketplace } from '../synthetic/marketplace-source';
import type { SyntheticMarketplaceOptions } from '../synthetic/params';
import { DatasetSourceError, type DatasetSource } from './dataset-source';
import { datasetsDir } from './datasets-dir';
import { genericCsv } from './generic-csv';
import { movieLens100k, movieLens100kFiles } from './movielens-100k';
import { movieLensLatestSmall, movieLensLatestSmallFiles } from './movielens-latest-small';

export interface ResolveSourceOptions {
  /** The folder holding ml-100k/ and ml-latest-small/; `datasetsDir()` by default. */
  datasetsDir?: string;
  /** Base for a relative `file:` path; the working directory by default. */
  cwd?: string;
  /** Dataset id to import into instead of the source's default. */
  datasetId?: string;
  /** Generator parameters for 'synthetic' (seed 42 and the generator's defaults when left out). */
  synthetic?: Partial<SyntheticMarketplaceOptions>;
}

export const SOURCE_SPECS = ['ml-100k', 'ml-latest-small', 'synthetic', 'file:PATH'] as const;

/**
 * The source a spec names, as the CLI and the worker take it:
 * - 'ml-100k', 'ml-latest-small': the MovieLens data sets under `datasetsDir`;
 * - 'synthetic': the synthetic LLM-API marketplace;
 * - 'file:PATH': a generic CSV import of the interactions file PATH, with the `items.csv` and `users.csv`
 *   beside it when they exist.
 * Throws DatasetSourceError SOURCE_UNKNOWN for another spec and SOURCE_FILE_MISSING (naming every missing
 * file) when the data are not there.
 */
export function resolveSource(spec: string, options: ResolveSourceOptions = {}): DatasetSource {
  const trimmed = spec.trim();
  const datasetId = options.datasetId;
  switch (trimmed) {
    case 'ml-100k': {
      const dir = path.join(options.datasetsDir ?? datasetsDir(), 'ml-100k');
      requireFiles(trimmed, movieLens100kFiles(dir));
      return movieLens100k(dir, { datasetId });
    }
    case 'ml-latest-small': {
      const dir = path.join(options.datasetsDir ?? datasetsDir(), 'ml-latest-small');
      requireFiles(trimmed, movieLensLatestSmallFiles(dir));
      return movieLensLatestSmall(dir, { datasetId });
    }
    case 'synthetic':
      return syntheticMarketplace({
        seed: 42,
        ...options.synthetic,
        datasetId: datasetId ?? options.synthetic?.datasetId,
      });
  }
  if (trimmed.startsWith('file:')) {
    const given = trimmed.slice('file:'.length);
    if (given === '')
      throw new DatasetSourceError(
        'SOURCE_UNKNOWN',
        `source "${spec}": expected file:PATH with the path of an interactions CSV`,
      );
    const interactions = path.resolve(options.cwd ?? process.cwd(), given);
    requireFiles(trimmed, [interactions]);
    const beside = (name: string): string | undefined => {
      const candidate = path.join(path.dirname(interactions), name);
      return candidate !== interactions && isFile(candidate) ? candidate : undefined;
    };
    return genericCsv(
      { interactions, items: beside('items.csv'), users: beside('users.csv') },
      { datasetId },
    );
  }
  throw new DatasetSourceError(
    'SOURCE_UNKNOWN',
    `unknown dataset source "${spec}": expected one of ${SOURCE_SPECS.join(', ')}`,
  );
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}

function requireFiles(spec: string, files: readonly string[]): void {
  const missing = files.filter((f) => !isFile(f));
  if (missing.length > 0) {
    throw new DatasetSourceError(
      'SOURCE_FILE_MISSING',
      `source "${spec}": missing file${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    );
  }
}
