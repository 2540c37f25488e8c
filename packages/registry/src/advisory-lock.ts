import type { Prisma } from '@recsys/db';

/** Lock scopes: registers of one model type; stage changes of one placement. */
export type LockScope = 'recsys:model-version' | 'recsys:placement';

/**
 * Takes a PostgreSQL transaction-level advisory lock on (scope, key), held until the transaction ends,
 * so transactions on the same model type or placement run one after another. Raw SQL because Prisma
 * has no API for advisory locks. A hash collision between two keys only serialises more than needed.
 */
export async function lockForTransaction(
  tx: Prisma.TransactionClient,
  scope: LockScope,
  key: string,
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${scope}), hashtext(${key}))`;
}
