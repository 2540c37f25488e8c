import type { Pool, PoolClient } from 'pg';
import { copyRowsIn } from '../copy/copy-in';
import type { CopyValue } from '../copy/copy-text-format';
import type {
  DatasetRows,
  InteractionRow,
  ProviderRow,
  RowSource,
  ServiceRow,
  TagAssignmentRow,
  UserRow,
} from '../rows/dataset-rows';
import { ImportIssues, ImportValidationError } from '../rows/import-issues';

export type ImportStage = 'providers' | 'users' | 'services' | 'interactions' | 'tagAssignments';
export const IMPORT_STAGES: readonly ImportStage[] = [
  'providers',
  'users',
  'services',
  'interactions',
  'tagAssignments',
];

export interface ImportProgress {
  stage: ImportStage | 'merge';
  /** Rows of `stage` streamed so far. */
  rows: number;
}

export interface DatasetImportOptions {
  datasetId: string;
  /** What produced the rows: movielens-100k, generic-csv, synthetic... */
  source: string;
  description?: string;
  /** A digest of the input, recorded on the dataset. */
  fingerprint?: string;
  /** Problems the parsers found while streaming; any of them rolls the import back. */
  issues?: ImportIssues;
  onProgress?: (progress: ImportProgress) => void;
}

export interface StageCounts {
  /** Rows read from the source. */
  read: number;
  /** New rows stored. */
  inserted: number;
  /** Existing rows whose content changed. */
  updated: number;
}

export type DatasetImportResult = {
  datasetId: string;
  seconds: number;
} & Record<ImportStage, StageCounts>;

const PROGRESS_EVERY = 50_000;

/** Keeps source file names out of the staged rows: a row carries a small index into this list. */
class SourceFiles {
  private readonly index = new Map<string, number>();
  readonly names: string[] = [];
  id(source: RowSource | undefined): number | null {
    if (!source) return null;
    let i = this.index.get(source.file);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(source.file);
      this.index.set(source.file, i);
    }
    return i;
  }
}

type StageRow = readonly CopyValue[];

async function* mapRows<T>(
  rows: Iterable<T> | AsyncIterable<T>,
  toValues: (row: T) => StageRow,
  onCount: (n: number) => void,
): AsyncGenerator<StageRow> {
  let n = 0;
  for await (const row of rows) {
    yield toValues(row);
    if (++n % PROGRESS_EVERY === 0) onCount(n);
  }
  onCount(n);
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/*
 * A row without a creation time keeps the one already stored (or gets now() when new), so that
 * re-importing a source that has no such times changes nothing.
 */

/**
 * Bulk-loads one dataset's rows in a single transaction: every stream is COPYed into a temporary
 * staging table, checked there (duplicates, references to unknown users or services), then merged
 * into the real tables with ON CONFLICT, so importing the same data twice changes nothing. Any problem,
 * found by the parsers (`options.issues`) or here, rolls everything back and throws
 * `ImportValidationError` naming the file and line of each bad row.
 */
export async function importDatasetRows(
  pool: Pool,
  rows: DatasetRows,
  options: DatasetImportOptions,
): Promise<DatasetImportResult> {
  const started = performance.now();
  const issues = options.issues ?? new ImportIssues();
  const files = new SourceFiles();
  const progress = options.onProgress ?? (() => undefined);
  const zero = (): StageCounts => ({ read: 0, inserted: 0, updated: 0 });
  const result: DatasetImportResult = {
    datasetId: options.datasetId,
    seconds: 0,
    providers: zero(),
    users: zero(),
    services: zero(),
    interactions: zero(),
    tagAssignments: zero(),
  };
  const ds = options.datasetId;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO "Dataset" ("id", "source", "description") VALUES ($1, $2, $3) ON CONFLICT ("id") DO NOTHING`,
      [ds, options.source, options.description ?? null],
    );

    if (rows.providers) {
      await stageTable(client, 'providers', 'id text, name text, website text, created_at_ms float8');
      result.providers.read = await copyRowsIn(
        client,
        'stage_providers',
        ['id', 'name', 'website', 'created_at_ms', 'src_file', 'src_line'],
        mapRows(
          rows.providers,
          (p: ProviderRow) => [
            p.id,
            p.name,
            p.website ?? null,
            p.createdAtMs ?? null,
            files.id(p.source),
            p.source?.line ?? null,
          ],
          (n) => progress({ stage: 'providers', rows: n }),
        ),
      );
      await reportDuplicates(client, 'stage_providers', 'id', 'provider id', files, issues);
      if (issues.count === 0) {
        Object.assign(
          result.providers,
          await merge(
            client,
            `INSERT INTO "Provider" ("datasetId", "id", "name", "website", "createdAt")
             SELECT $1, s.id, s.name, s.website, COALESCE(to_timestamp(s.created_at_ms / 1000.0), e."createdAt", now())
             FROM stage_providers s LEFT JOIN "Provider" e ON e."datasetId" = $1 AND e."id" = s.id
             ON CONFLICT ("datasetId", "id") DO UPDATE SET "name" = EXCLUDED."name", "website" = EXCLUDED."website",
               "createdAt" = EXCLUDED."createdAt"
             WHERE ("Provider"."name", "Provider"."website", "Provider"."createdAt")
               IS DISTINCT FROM (EXCLUDED."name", EXCLUDED."website", EXCLUDED."createdAt")
             RETURNING (xmax = 0) AS inserted`,
            [ds],
          ),
        );
      }
    }

    if (rows.users) {
      await stageTable(
        client,
        'users',
        `id text, role text, created_at_ms float8, age int, gender text, occupation text, zip_code text,
         country text, attributes jsonb`,
      );
      result.users.read = await copyRowsIn(
        client,
        'stage_users',
        [
          'id',
          'role',
          'created_at_ms',
          'age',
          'gender',
          'occupation',
          'zip_code',
          'country',
          'attributes',
          'src_file',
          'src_line',
        ],
        mapRows(
          rows.users,
          (u: UserRow) => [
            u.id,
            u.role ?? 'USER',
            u.createdAtMs ?? null,
            u.age ?? null,
            u.gender ?? null,
            u.occupation ?? null,
            u.zipCode ?? null,
            u.country ?? null,
            json(u.attributes),
            files.id(u.source),
            u.source?.line ?? null,
          ],
          (n) => progress({ stage: 'users', rows: n }),
        ),
      );
      await reportDuplicates(client, 'stage_users', 'id', 'user id', files, issues);
      if (issues.count === 0) {
        Object.assign(
          result.users,
          await merge(
            client,
            `INSERT INTO "User" ("datasetId", "id", "role", "createdAt", "age", "gender", "occupation", "zipCode", "country", "attributes")
             SELECT $1, s.id, s.role::"UserRole", COALESCE(to_timestamp(s.created_at_ms / 1000.0), e."createdAt", now()), s.age,
                    s.gender, s.occupation, s.zip_code, s.country, s.attributes
             FROM stage_users s LEFT JOIN "User" e ON e."datasetId" = $1 AND e."id" = s.id
             ON CONFLICT ("datasetId", "id") DO UPDATE SET "role" = EXCLUDED."role", "createdAt" = EXCLUDED."createdAt",
               "age" = EXCLUDED."age", "gender" = EXCLUDED."gender", "occupation" = EXCLUDED."occupation",
               "zipCode" = EXCLUDED."zipCode", "country" = EXCLUDED."country", "attributes" = EXCLUDED."attributes"
             WHERE ("User"."role", "User"."createdAt", "User"."age", "User"."gender", "User"."occupation", "User"."zipCode",
                    "User"."country", "User"."attributes")
               IS DISTINCT FROM (EXCLUDED."role", EXCLUDED."createdAt", EXCLUDED."age", EXCLUDED."gender",
                    EXCLUDED."occupation", EXCLUDED."zipCode", EXCLUDED."country", EXCLUDED."attributes")
             RETURNING (xmax = 0) AS inserted`,
            [ds],
          ),
        );
      }
    }

    if (rows.services) {
      await stageTable(
        client,
        'services',
        `id text, provider_id text, name text, description text, categories text[], tags text[], pricing_model text,
         price_tier int, price_usd float8, price_unit text, free_tier bool, status text, created_at_ms float8, attributes jsonb`,
      );
      result.services.read = await copyRowsIn(
        client,
        'stage_services',
        [
          'id',
          'provider_id',
          'name',
          'description',
          'categories',
          'tags',
          'pricing_model',
          'price_tier',
          'price_usd',
          'price_unit',
          'free_tier',
          'status',
          'created_at_ms',
          'attributes',
          'src_file',
          'src_line',
        ],
        mapRows(
          rows.services,
          (s: ServiceRow) => [
            s.id,
            s.providerId ?? null,
            s.name,
            s.description ?? null,
            s.categories ?? [],
            s.tags ?? [],
            s.pricingModel ?? 'PAY_AS_YOU_GO',
            s.priceTier ?? 0,
            s.priceUsd ?? null,
            s.priceUnit ?? null,
            s.freeTier ?? false,
            s.status ?? 'ACTIVE',
            s.createdAtMs ?? null,
            json(s.attributes),
            files.id(s.source),
            s.source?.line ?? null,
          ],
          (n) => progress({ stage: 'services', rows: n }),
        ),
      );
      await reportDuplicates(client, 'stage_services', 'id', 'service id', files, issues);
      await reportMissing(
        client,
        `SELECT s.src_file, s.src_line, s.provider_id AS missing FROM stage_services s
         WHERE s.provider_id IS NOT NULL AND NOT EXISTS
           (SELECT 1 FROM "Provider" p WHERE p."datasetId" = $1 AND p."id" = s.provider_id)`,
        [ds],
        'unknown provider id',
        files,
        issues,
      );
      if (issues.count === 0) {
        Object.assign(
          result.services,
          await merge(
            client,
            `INSERT INTO "Service" ("datasetId", "id", "providerId", "name", "description", "categories", "tags", "pricingModel",
                                   "priceTier", "priceUsd", "priceUnit", "freeTier", "status", "createdAt", "attributes")
             SELECT $1, s.id, s.provider_id, s.name, s.description, s.categories, s.tags, s.pricing_model::"PricingModel",
                    s.price_tier, s.price_usd, s.price_unit, s.free_tier, s.status::"ServiceStatus",
                    COALESCE(to_timestamp(s.created_at_ms / 1000.0), e."createdAt", now()), s.attributes
             FROM stage_services s LEFT JOIN "Service" e ON e."datasetId" = $1 AND e."id" = s.id
             ON CONFLICT ("datasetId", "id") DO UPDATE SET "providerId" = EXCLUDED."providerId", "name" = EXCLUDED."name",
               "description" = EXCLUDED."description", "categories" = EXCLUDED."categories", "tags" = EXCLUDED."tags",
               "pricingModel" = EXCLUDED."pricingModel", "priceTier" = EXCLUDED."priceTier", "priceUsd" = EXCLUDED."priceUsd",
               "priceUnit" = EXCLUDED."priceUnit", "freeTier" = EXCLUDED."freeTier", "status" = EXCLUDED."status",
               "createdAt" = EXCLUDED."createdAt", "attributes" = EXCLUDED."attributes"
             WHERE ("Service"."providerId", "Service"."name", "Service"."description", "Service"."categories", "Service"."tags",
                    "Service"."pricingModel", "Service"."priceTier", "Service"."priceUsd", "Service"."priceUnit",
                    "Service"."freeTier", "Service"."status", "Service"."createdAt", "Service"."attributes")
               IS DISTINCT FROM (EXCLUDED."providerId", EXCLUDED."name", EXCLUDED."description", EXCLUDED."categories",
                    EXCLUDED."tags", EXCLUDED."pricingModel", EXCLUDED."priceTier", EXCLUDED."priceUsd", EXCLUDED."priceUnit",
                    EXCLUDED."freeTier", EXCLUDED."status", EXCLUDED."createdAt", EXCLUDED."attributes")
             RETURNING (xmax = 0) AS inserted`,
            [ds],
          ),
        );
      }
    }

    if (rows.interactions) {
      await stageTable(
        client,
        'interactions',
        `user_id text, service_id text, type text, value float8, dwell_ms int, session_id text, request_id text,
         context jsonb, occurred_at_ms float8, idempotency_key text`,
      );
      result.interactions.read = await copyRowsIn(
        client,
        'stage_interactions',
        [
          'user_id',
          'service_id',
          'type',
          'value',
          'dwell_ms',
          'session_id',
          'request_id',
          'context',
          'occurred_at_ms',
          'idempotency_key',
          'src_file',
          'src_line',
        ],
        mapRows(
          rows.interactions,
          (e: InteractionRow) => [
            e.userId,
            e.serviceId,
            e.type,
            e.value ?? null,
            e.dwellMs ?? null,
            e.sessionId ?? null,
            e.requestId ?? null,
            json(e.context),
            e.occurredAtMs,
            e.idempotencyKey,
            files.id(e.source),
            e.source?.line ?? null,
          ],
          (n) => progress({ stage: 'interactions', rows: n }),
        ),
      );
      await resolveReferences(client, 'stage_interactions', ds, rows, files, issues);
      if (issues.count === 0) {
        progress({ stage: 'merge', rows: result.interactions.read });
        const inserted = await client.query(
          `INSERT INTO "Interaction" ("datasetId", "userId", "serviceId", "type", "value", "dwellMs", "sessionId", "requestId",
                                     "context", "occurredAt", "idempotencyKey")
           SELECT $1, user_id, service_id, type::"InteractionType", value, dwell_ms, session_id, request_id, context,
                  to_timestamp(occurred_at_ms / 1000.0), idempotency_key FROM stage_interactions
           ON CONFLICT ("datasetId", "idempotencyKey") DO NOTHING`,
          [ds],
        );
        result.interactions.inserted = inserted.rowCount ?? 0;
      }
    }

    if (rows.tagAssignments) {
      await stageTable(
        client,
        'tag_assignments',
        'user_id text, service_id text, tag text, occurred_at_ms float8',
      );
      result.tagAssignments.read = await copyRowsIn(
        client,
        'stage_tag_assignments',
        ['user_id', 'service_id', 'tag', 'occurred_at_ms', 'src_file', 'src_line'],
        mapRows(
          rows.tagAssignments,
          (t: TagAssignmentRow) => [
            t.userId,
            t.serviceId,
            t.tag,
            t.occurredAtMs,
            files.id(t.source),
            t.source?.line ?? null,
          ],
          (n) => progress({ stage: 'tagAssignments', rows: n }),
        ),
      );
      await resolveReferences(client, 'stage_tag_assignments', ds, rows, files, issues);
      if (issues.count === 0) {
        const inserted = await client.query(
          `INSERT INTO "TagAssignment" ("datasetId", "userId", "serviceId", "tag", "occurredAt")
           SELECT $1, user_id, service_id, tag, to_timestamp(occurred_at_ms / 1000.0) FROM stage_tag_assignments
           ON CONFLICT ("datasetId", "userId", "serviceId", "tag") DO NOTHING`,
          [ds],
        );
        result.tagAssignments.inserted = inserted.rowCount ?? 0;
      }
    }

    if (issues.count > 0) throw new ImportValidationError(issues.issues, issues.count);
    await client.query(
      `UPDATE "Dataset" SET "fingerprint" = $2, "importedAt" = now(), "description" = COALESCE($3, "description") WHERE "id" = $1`,
      [ds, options.fingerprint ?? null, options.description ?? null],
    );
    await client.query('COMMIT');
    // Fresh planner statistics: right after a bulk load the tables' estimates are stale, and a read
    // of the whole dataset then gets a bitmap scan plus an on-disk sort (3x slower on 10M events).
    // Best effort: the data is committed, so a failed ANALYZE must not report the import as failed.
    await client.query('ANALYZE "User", "Service", "Interaction", "TagAssignment"').catch(() => undefined);
    result.seconds = (performance.now() - started) / 1000;
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function stageTable(client: PoolClient, name: string, columns: string): Promise<void> {
  await client.query(
    `CREATE TEMP TABLE stage_${name} (${columns}, src_file int2, src_line int) ON COMMIT DROP`,
  );
}

async function merge(client: PoolClient, sql: string, params: unknown[]): Promise<Omit<StageCounts, 'read'>> {
  const res = await client.query<{ inserted: boolean }>(sql, params);
  let inserted = 0;
  for (const row of res.rows) if (row.inserted) inserted++;
  return { inserted, updated: res.rows.length - inserted };
}

function sourceOf(files: SourceFiles, file: number | null, line: number | null): RowSource | undefined {
  return file === null ? undefined : { file: files.names[file] ?? '(input)', line: line ?? 0 };
}

async function reportDuplicates(
  client: PoolClient,
  table: string,
  key: string,
  what: string,
  files: SourceFiles,
  issues: ImportIssues,
): Promise<void> {
  const res = await client.query<{
    key: string;
    src_file: number | null;
    src_line: number | null;
    first_line: number | null;
  }>(
    `SELECT ${key} AS key, src_file, src_line, first_line FROM (
       SELECT ${key}, src_file, src_line, min(src_line) OVER (PARTITION BY ${key}) AS first_line,
              row_number() OVER (PARTITION BY ${key} ORDER BY src_line) AS n FROM ${table}) d
     WHERE n > 1 ORDER BY src_line LIMIT ${issues.limit}`,
  );
  for (const r of res.rows) {
    issues.add(
      sourceOf(files, r.src_file, r.src_line),
      `duplicate ${what} "${r.key}" (first on line ${r.first_line})`,
    );
  }
}

async function reportMissing(
  client: PoolClient,
  sql: string,
  params: unknown[],
  what: string,
  files: SourceFiles,
  issues: ImportIssues,
): Promise<void> {
  const res = await client.query<{ src_file: number | null; src_line: number | null; missing: string }>(
    `${sql} ORDER BY src_line LIMIT ${issues.limit}`,
    params,
  );
  for (const r of res.rows) issues.add(sourceOf(files, r.src_file, r.src_line), `${what} "${r.missing}"`);
}

/**
 * Interactions and tags name users and services. Where the import brought its own user (or service) list,
 * an id outside it and outside the dataset is an error; otherwise such ids become bare rows.
 */
async function resolveReferences(
  client: PoolClient,
  table: string,
  ds: string,
  rows: DatasetRows,
  files: SourceFiles,
  issues: ImportIssues,
): Promise<void> {
  if (rows.users) {
    await reportMissing(
      client,
      `SELECT s.src_file, s.src_line, s.user_id AS missing FROM ${table} s
       WHERE NOT EXISTS (SELECT 1 FROM "User" u WHERE u."datasetId" = $1 AND u."id" = s.user_id)`,
      [ds],
      'unknown user id',
      files,
      issues,
    );
  } else if (issues.count === 0) {
    await client.query(
      `INSERT INTO "User" ("datasetId", "id", "createdAt")
       SELECT $1, user_id, to_timestamp(min(occurred_at_ms) / 1000.0) FROM ${table} GROUP BY user_id
       ON CONFLICT ("datasetId", "id") DO NOTHING`,
      [ds],
    );
  }
  if (rows.services) {
    await reportMissing(
      client,
      `SELECT s.src_file, s.src_line, s.service_id AS missing FROM ${table} s
       WHERE NOT EXISTS (SELECT 1 FROM "Service" v WHERE v."datasetId" = $1 AND v."id" = s.service_id)`,
      [ds],
      'unknown service id',
      files,
      issues,
    );
  } else if (issues.count === 0) {
    await client.query(
      `INSERT INTO "Service" ("datasetId", "id", "name", "createdAt")
       SELECT $1, service_id, service_id, to_timestamp(min(occurred_at_ms) / 1000.0) FROM ${table} GROUP BY service_id
       ON CONFLICT ("datasetId", "id") DO NOTHING`,
      [ds],
    );
  }
}
