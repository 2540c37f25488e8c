import type { Pool } from 'pg';
import { copyRowBatchesOut, copyRowsOut, quoteLiteral } from '../copy/copy-out';
import { decodeCopyField } from '../copy/copy-text-format';
import type { PricingModelName, ServiceStatusName, UserRoleName } from '../rows/dataset-rows';

/**
 * One interaction as streamed out of PostgreSQL: raw COPY fields, not objects, because a training run
 * reads tens of millions of them. Ids and enum names never need unescaping.
 * [userId, serviceId, type, value ('\N' for none), occurredAt in epoch milliseconds]
 */
export type InteractionFields = [
  userId: string,
  serviceId: string,
  type: string,
  value: string,
  occurredAtMs: string,
];

export interface InteractionQuery {
  datasetId: string;
  /** Only events strictly before this time (epoch ms): a training cut-off. */
  beforeMs?: number;
  /** Only these interaction types. */
  types?: readonly string[];
}

/**
 * Streams a dataset's interactions in insertion order (their primary key), so the dense ids that the
 * dataset core assigns, and every seeded split over them, are the same on every read. Rows come in
 * batches (one per network chunk) so a ten-million-row read costs no promise per row.
 */
export async function* streamInteractions(
  pool: Pool,
  query: InteractionQuery,
): AsyncGenerator<InteractionFields[]> {
  const where = [`"datasetId" = ${quoteLiteral(query.datasetId)}`];
  if (query.beforeMs !== undefined)
    where.push(`"occurredAt" < to_timestamp(${Number(query.beforeMs) / 1000})`);
  if (query.types && query.types.length > 0) {
    where.push(`"type" IN (${query.types.map((t) => quoteLiteral(t) + '::"InteractionType"').join(', ')})`);
  }
  const client = await pool.connect();
  try {
    yield* copyRowBatchesOut(
      client,
      `SELECT "userId", "serviceId", "type", "value", (extract(epoch FROM "occurredAt") * 1000)::bigint
       FROM "Interaction" WHERE ${where.join(' AND ')} ORDER BY "id"`,
    ) as AsyncGenerator<InteractionFields[]>;
  } finally {
    client.release();
  }
}

export interface ServiceRecord {
  id: string;
  providerId: string | null;
  name: string;
  description: string | null;
  categories: string[];
  tags: string[];
  pricingModel: PricingModelName;
  priceTier: number;
  priceUsd: number | null;
  freeTier: boolean;
  status: ServiceStatusName;
  createdAtMs: number;
}

/** Streams a dataset's services (the catalog side data), ordered by id. */
export async function* streamServices(pool: Pool, datasetId: string): AsyncGenerator<ServiceRecord> {
  const client = await pool.connect();
  try {
    for await (const f of copyRowsOut(
      client,
      `SELECT "id", "providerId", "name", "description", array_to_json("categories"), array_to_json("tags"),
              "pricingModel", "priceTier", "priceUsd", "freeTier", "status", (extract(epoch FROM "createdAt") * 1000)::bigint
       FROM "Service" WHERE "datasetId" = ${quoteLiteral(datasetId)} ORDER BY "id"`,
    )) {
      const priceUsd = decodeCopyField(f[8]);
      yield {
        id: decodeCopyField(f[0]) ?? '',
        providerId: decodeCopyField(f[1]),
        name: decodeCopyField(f[2]) ?? '',
        description: decodeCopyField(f[3]),
        categories: JSON.parse(decodeCopyField(f[4]) ?? '[]') as string[],
        tags: JSON.parse(decodeCopyField(f[5]) ?? '[]') as string[],
        pricingModel: f[6] as PricingModelName,
        priceTier: Number(f[7]),
        priceUsd: priceUsd === null ? null : Number(priceUsd),
        freeTier: f[9] === 't',
        status: f[10] as ServiceStatusName,
        createdAtMs: Number(f[11]),
      };
    }
  } finally {
    client.release();
  }
}

/** A dataset's provider ids, ordered by id (providers are few: one query, no stream). */
export async function readProviderIds(pool: Pool, datasetId: string): Promise<string[]> {
  const result = await pool.query<{ id: string }>(
    `SELECT "id" FROM "Provider" WHERE "datasetId" = $1 ORDER BY "id"`,
    [datasetId],
  );
  return result.rows.map((r) => r.id);
}

export interface UserRecord {
  id: string;
  role: UserRoleName;
  createdAtMs: number;
  age: number | null;
  gender: string | null;
  occupation: string | null;
  country: string | null;
}

/** Streams a dataset's users, ordered by id. */
export async function* streamUsers(pool: Pool, datasetId: string): AsyncGenerator<UserRecord> {
  const client = await pool.connect();
  try {
    for await (const f of copyRowsOut(
      client,
      `SELECT "id", "role", (extract(epoch FROM "createdAt") * 1000)::bigint, "age", "gender", "occupation", "country"
       FROM "User" WHERE "datasetId" = ${quoteLiteral(datasetId)} ORDER BY "id"`,
    )) {
      const age = decodeCopyField(f[3]);
      yield {
        id: decodeCopyField(f[0]) ?? '',
        role: f[1] as UserRoleName,
        createdAtMs: Number(f[2]),
        age: age === null ? null : Number(age),
        gender: decodeCopyField(f[4]),
        occupation: decodeCopyField(f[5]),
        country: decodeCopyField(f[6]),
      };
    }
  } finally {
    client.release();
  }
}

export interface DatasetCounts {
  users: number;
  providers: number;
  services: number;
  interactions: number;
  ratings: number;
  tagAssignments: number;
}

export async function countDataset(pool: Pool, datasetId: string): Promise<DatasetCounts> {
  const res = await pool.query<Record<keyof DatasetCounts, string>>(
    `SELECT
       (SELECT count(*) FROM "User" WHERE "datasetId" = $1) AS users,
       (SELECT count(*) FROM "Provider" WHERE "datasetId" = $1) AS providers,
       (SELECT count(*) FROM "Service" WHERE "datasetId" = $1) AS services,
       (SELECT count(*) FROM "Interaction" WHERE "datasetId" = $1) AS interactions,
       (SELECT count(*) FROM "Interaction" WHERE "datasetId" = $1 AND "type" = 'RATING') AS ratings,
       (SELECT count(*) FROM "TagAssignment" WHERE "datasetId" = $1) AS "tagAssignments"`,
    [datasetId],
  );
  const r = res.rows[0];
  return {
    users: Number(r.users),
    providers: Number(r.providers),
    services: Number(r.services),
    interactions: Number(r.interactions),
    ratings: Number(r.ratings),
    tagAssignments: Number(r.tagAssignments),
  };
}

/** Removes a dataset and everything in it (rows cascade). Returns whether it existed. */
export async function deleteDataset(pool: Pool, datasetId: string): Promise<boolean> {
  const res = await pool.query(`DELETE FROM "Dataset" WHERE "id" = $1`, [datasetId]);
  return (res.rowCount ?? 0) > 0;
}
