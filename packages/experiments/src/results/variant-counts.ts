import type { PrismaClient } from '@recsys/db';

/** What the exposures of one variant and their outcomes add up to. */
export interface VariantCounts {
  /** Lists logged. */
  exposures: number;
  users: number;
  /** Items in those lists. */
  items: number;
  /** Lists followed by at least one CLICK carrying their requestId. */
  clicked: number;
  /** ... by a SUBSCRIBE or PURCHASE. */
  converted: number;
  /** ... by an API_CALL. */
  engaged: number;
  /** API_CALL events carrying their requestIds. */
  apiCalls: number;
}

export const NO_COUNTS: VariantCounts = {
  exposures: 0,
  users: 0,
  items: 0,
  clicked: 0,
  converted: 0,
  engaged: 0,
  apiCalls: 0,
};

interface CountsRow {
  variantId: string;
  exposures: number;
  users: number;
  items: number;
  clicked: number;
  converted: number;
  engaged: number;
  apiCalls: number;
}

/**
 * Per variant: its exposures joined with the interactions of the same dataset, user and requestId (one
 * pass; the partial index on Interaction(datasetId, requestId) serves the join). Counts come back as
 * float8, exact far beyond any real count, so that no BigInt reaches the caller.
 */
export async function readVariantCounts(
  prisma: PrismaClient,
  experimentId: string,
): Promise<Map<string, VariantCounts>> {
  const rows = await prisma.$queryRaw<CountsRow[]>`
    WITH outcomes AS (
      SELECT e."variantId",
             e."userId",
             jsonb_array_length(e."items") AS n_items,
             coalesce(bool_or(i."type" = 'CLICK'), false) AS clicked,
             coalesce(bool_or(i."type" IN ('SUBSCRIBE', 'PURCHASE')), false) AS converted,
             coalesce(bool_or(i."type" = 'API_CALL'), false) AS engaged,
             count(i."id") FILTER (WHERE i."type" = 'API_CALL') AS api_calls
        FROM "ExperimentExposure" e
        LEFT JOIN "Interaction" i
          ON i."datasetId" = e."datasetId" AND i."requestId" = e."requestId" AND i."userId" = e."userId"
       WHERE e."experimentId" = ${experimentId}
       GROUP BY e."id"
    )
    SELECT "variantId",
           count(*)::float8 AS "exposures",
           count(DISTINCT "userId")::float8 AS "users",
           sum(n_items)::float8 AS "items",
           count(*) FILTER (WHERE clicked)::float8 AS "clicked",
           count(*) FILTER (WHERE converted)::float8 AS "converted",
           count(*) FILTER (WHERE engaged)::float8 AS "engaged",
           sum(api_calls)::float8 AS "apiCalls"
      FROM outcomes
     GROUP BY "variantId"`;
  return new Map(rows.map(({ variantId, ...counts }) => [variantId, counts]));
}
