import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPrismaClient, createTestDatabase, type PrismaClient, type TestDatabase } from '@recsys/db';
import type { RegisterModelInput } from '../../src';

export async function tempDir(label: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `recsys-registry-${label}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** A small artifact-like folder: a manifest, a binary array and a nested file. */
export async function writeArtifactFolder(dir: string, tag: string): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {
    'manifest.json': Buffer.from(JSON.stringify({ tag, format: 'test' })),
    'scores.bin': Buffer.from(new Float32Array([1.5, 2.5, tag.length]).buffer),
    'extra/notes.txt': Buffer.from(`artifact ${tag}\n`),
  };
  for (const [name, bytes] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), bytes);
  }
  return files;
}

export async function readFolder(dir: string, names: string[]): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const name of names) out[name] = await readFile(path.join(dir, name));
  return out;
}

export function registerInput(
  artifactDir: string,
  overrides: Partial<RegisterModelInput> = {},
): RegisterModelInput {
  return {
    modelType: 'item-knn',
    datasetId: 'ml-100k',
    dataFingerprint: 'f'.repeat(64),
    params: { k: 50, shrink: 10 },
    metrics: { 'ndcg@10': 0.31, 'recall@10': 0.22 },
    protocol: 'holdout',
    artifactDir,
    createdBy: 'trainer',
    ...overrides,
  };
}

export interface RegistryDatabase {
  db: TestDatabase;
  prisma: PrismaClient;
  close(): Promise<void>;
}

export async function registryDatabase(): Promise<RegistryDatabase> {
  const db = await createTestDatabase();
  const prisma = createPrismaClient(db.url);
  return {
    db,
    prisma,
    async close() {
      await prisma.$disconnect();
      await db.drop();
    },
  };
}

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
