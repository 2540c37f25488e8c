import type { InteractionInput, RecommendationContext } from '../contract';
import type { Pool } from '../options';

/** The context as stored in Interaction.context (JSON): the time as an ISO string. */
function contextJson(context: RecommendationContext | undefined): string | null {
  if (context === undefined) return null;
  const { time, ...rest } = context;
  return JSON.stringify(time ? { ...rest, time: time.toISOString() } : rest);
}

/**
 * Appends one interaction in one statement: a bare User row first when the user is new (the users
 * subgraph owns users; the foreign key needs the row), then the event with ON CONFLICT on
 * (datasetId, idempotencyKey) DO NOTHING. A replay returns the stored event's id with stored = false.
 */
export async function insertInteraction(
  pool: Pool,
  datasetId: string,
  input: InteractionInput,
): Promise<{ stored: boolean; interactionId: string }> {
  const inserted = await pool.query<{ id: string }>(
    `WITH new_user AS (
       INSERT INTO "User" ("datasetId", "id") VALUES ($1, $2) ON CONFLICT DO NOTHING
     )
     INSERT INTO "Interaction"
       ("datasetId", "userId", "serviceId", "type", "value", "dwellMs", "sessionId", "requestId",
        "context", "occurredAt", "idempotencyKey")
     VALUES ($1, $2, $3, $4::"InteractionType", $5, $6, $7, $8, $9::jsonb, $10, $11)
     ON CONFLICT ("datasetId", "idempotencyKey") DO NOTHING
     RETURNING "id"::text AS id`,
    [
      datasetId,
      input.userId,
      input.serviceId,
      input.type,
      input.value ?? null,
      input.dwellMs ?? null,
      input.sessionId ?? input.context?.sessionId ?? null,
      input.requestId ?? null,
      contextJson(input.context),
      input.occurredAt ?? new Date(),
      input.idempotencyKey,
    ],
  );
  if (inserted.rows.length === 1) return { stored: true, interactionId: inserted.rows[0].id };
  const existing = await pool.query<{ id: string }>(
    `SELECT "id"::text AS id FROM "Interaction" WHERE "datasetId" = $1 AND "idempotencyKey" = $2`,
    [datasetId, input.idempotencyKey],
  );
  return { stored: false, interactionId: existing.rows[0]?.id ?? '' };
}

/** Whether the dataset has the service (for services added since the last catalog refresh). */
export async function serviceExists(pool: Pool, datasetId: string, serviceId: string): Promise<boolean> {
  const res = await pool.query(`SELECT 1 FROM "Service" WHERE "datasetId" = $1 AND "id" = $2`, [
    datasetId,
    serviceId,
  ]);
  return (res.rowCount ?? 0) > 0;
}
