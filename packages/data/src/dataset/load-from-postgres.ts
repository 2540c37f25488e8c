import {
  readProviderIds,
  streamInteractions,
  streamServices,
  streamUsers,
  type InteractionTypeName,
} from '@recsys/db';
import { IdMap } from '../ids/id-map';
import { InteractionLogBuilder, interactionTypeCode } from '../interactions/interaction-log';
import type { InteractionDataset } from './dataset';
import { ItemSideBuilder, UserSideBuilder } from './side-data-builders';

/** pg's Pool, as @recsys/db takes it (this package reaches PostgreSQL only through @recsys/db). */
type Pool = Parameters<typeof streamInteractions>[0];

export interface LoadDatasetOptions {
  /** Only events strictly before this time (epoch ms): a training cut-off. */
  beforeMs?: number;
  /** Only these interaction types (all when omitted or empty). */
  types?: readonly InteractionTypeName[];
  /** Called with the number of interactions read so far, every `progressEvery` rows and at the end. */
  onProgress?: (rows: number) => void;
  /** Default 100 000. */
  progressEvery?: number;
  /** The dataset's name; default its id. */
  name?: string;
}

/**
 * Reads a dataset out of PostgreSQL into the in-memory form models train on. Users and services
 * stream first (ordered by id: their dense indexes), then interactions in insertion order; the
 * interactions arrive as raw COPY fields and go straight into typed arrays, never held as objects.
 * Items and users that only interactions mention (not possible under the schema's foreign keys, but
 * harmless) are appended after. Throws when the dataset does not exist.
 */
export async function loadDatasetFromPostgres(
  pool: Pool,
  datasetId: string,
  options: LoadDatasetOptions = {},
): Promise<InteractionDataset> {
  const exists = await pool.query(`SELECT 1 FROM "Dataset" WHERE "id" = $1`, [datasetId]);
  if (exists.rowCount === 0) throw new Error(`loadDatasetFromPostgres: no dataset "${datasetId}"`);
  const every = options.progressEvery ?? 100_000;
  const users = new IdMap();
  const items = new IdMap();
  const userSide = new UserSideBuilder();
  for await (const u of streamUsers(pool, datasetId)) userSide.add(users, u);
  // Every provider of the dataset is in the vocabulary, also those without services, as when the
  // dataset is built from importer rows (whose providers stream seeds it).
  const providerVocab = new IdMap();
  for (const id of await readProviderIds(pool, datasetId)) providerVocab.add(id);
  const itemSide = new ItemSideBuilder(providerVocab);
  for await (const s of streamServices(pool, datasetId)) itemSide.add(items, s);

  const log = new InteractionLogBuilder(64 * 1024);
  let n = 0;
  for await (const batch of streamInteractions(pool, {
    datasetId,
    beforeMs: options.beforeMs,
    types: options.types,
  })) {
    for (const [userId, serviceId, type, value, occurredAtMs] of batch) {
      log.push(
        users.add(userId),
        items.add(serviceId),
        value === '\\N' ? Number.NaN : Number(value),
        Number(occurredAtMs) / 1000,
        interactionTypeCode(type),
      );
      if (++n % every === 0) options.onProgress?.(n);
    }
  }
  options.onProgress?.(n);
  return {
    name: options.name ?? datasetId,
    users,
    items,
    log: log.build(),
    itemSide: itemSide.finish(items),
    userSide: userSide.finish(users),
  };
}
