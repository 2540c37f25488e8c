export { createPgPool, createPrismaClient, databaseUrl, DEFAULT_DATABASE_URL } from './connection';
export { PrismaClient, Prisma } from './generated/prisma/client';
export * from './rows/dataset-rows';
export * from './rows/import-issues';
export { copyRowsIn } from './copy/copy-in';
export { copyRowBatchesOut, copyRowsOut, quoteLiteral } from './copy/copy-out';
export {
  encodeCopyRow,
  encodeCopyValue,
  decodeCopyField,
  textArrayLiteral,
  type CopyValue,
} from './copy/copy-text-format';
export * from './repositories/dataset-writer';
export * from './repositories/dataset-reader';
export { createTestDatabase, type TestDatabase } from './testing/test-database';
