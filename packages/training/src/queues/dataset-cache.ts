import type { Pool } from 'pg';
import type { InteractionDataset } from '@recsys/data';
import { loadDataset } from '../datasets/load-dataset';

export interface DatasetCacheOptions {
  /** The database the `db:` datasets are read from. */
  pool: () => Pool;
  /**
   * How long a loaded dataset is reused before it is read again (events keep arriving in the live
   * dataset; trials of one search run within minutes of each other).
   * @defaultValue 300000 (5 minutes)
   */
  ttlMs?: number;
  /**
   * Datasets kept at once (the least recently used goes first).
   * @defaultValue 2
   */
  maxEntries?: number;
  /** @defaultValue Date.now */
  now?: () => number;
}

interface Entry {
  loadedAt: number;
  dataset: Promise<InteractionDataset>;
}

/**
 * The datasets a worker trains on, read from PostgreSQL through the dataset core (`db:<id>`) and kept
 * for a while, so the trials of a search do not each read the same rows again. Concurrent loads of one
 * dataset share one read; a failed read is not kept.
 */
export class DatasetCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pool: () => Pool;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: DatasetCacheOptions) {
    this.pool = options.pool;
    this.ttlMs = options.ttlMs ?? 300_000;
    this.maxEntries = options.maxEntries ?? 2;
    this.now = options.now ?? Date.now;
  }

  /** The dataset `datasetId` of the database, from the cache while it is fresh. */
  load(datasetId: string): Promise<InteractionDataset> {
    const now = this.now();
    const cached = this.entries.get(datasetId);
    if (cached && now - cached.loadedAt < this.ttlMs) {
      this.entries.delete(datasetId);
      this.entries.set(datasetId, cached);
      return cached.dataset;
    }
    const dataset = loadDataset(`db:${datasetId}`, { pool: this.pool });
    const entry: Entry = { loadedAt: now, dataset };
    this.entries.set(datasetId, entry);
    dataset.catch(() => {
      if (this.entries.get(datasetId) === entry) this.entries.delete(datasetId);
    });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return dataset;
  }

  clear(): void {
    this.entries.clear();
  }
}
