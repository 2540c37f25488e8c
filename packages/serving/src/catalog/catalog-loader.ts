import { IdMap, ItemSideBuilder } from '@recsys/data';
import { streamServices } from '@recsys/db';
import type { Pool } from '../options';
import { postings, rowSets, type CatalogSnapshot } from './catalog-snapshot';

/**
 * Reads the dataset's services (streamed, ordered by id) and their distinct-user counts from PostgreSQL
 * into a new snapshot. Two queries, whatever the catalog size.
 */
export async function loadCatalog(pool: Pool, datasetId: string): Promise<CatalogSnapshot> {
  const ids = new IdMap();
  const builder = new ItemSideBuilder();
  for await (const service of streamServices(pool, datasetId)) builder.add(ids, service);
  const side = builder.finish(ids);
  const n = ids.size;

  const popularity = new Float32Array(n);
  const counts = await pool.query<{ serviceId: string; users: string }>(
    `SELECT "serviceId", count(DISTINCT "userId") AS users
       FROM "Interaction" WHERE "datasetId" = $1 GROUP BY "serviceId"`,
    [datasetId],
  );
  for (const row of counts.rows) {
    const index = ids.indexOf(row.serviceId);
    if (index !== undefined) popularity[index] = Number(row.users);
  }

  const active: number[] = [];
  for (let i = 0; i < n; i++) if (side.retired[i] === 0) active.push(i);
  // Newest first; services of the same instant by catalog index, so the order is stable.
  active.sort((a, b) => side.createdAt[b] - side.createdAt[a] || a - b);

  const categorySets = rowSets(side.categories.offsets, side.categories.values);
  const tagSets = rowSets(side.tags.offsets, side.tags.values);
  return {
    datasetId,
    loadedAtMs: Date.now(),
    ids,
    side,
    categorySets,
    tagSets,
    categoryPostings: postings(categorySets, side.categories.vocab.size),
    tagPostings: postings(tagSets, side.tags.vocab.size),
    popularity,
    newestFirst: Int32Array.from(active),
  };
}
