// Prisma CLI configuration. The JS engine with the pg driver adapter needs no native binary
// download (see README: "Prisma offline"); `migrate deploy` uses this adapter.
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// schema.prisma reads env("DATABASE_URL"); without it `prisma generate` cannot read the schema and falls
// back to downloading a native engine. Default it to the local development database.
process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/recsys';
const connectionString = process.env.DATABASE_URL;

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => new PrismaPg({ connectionString }),
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
