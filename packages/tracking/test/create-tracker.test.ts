import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPrismaClient, createTestDatabase, type PrismaClient, type TestDatabase } from '@recsys/db';
import { LocalArtifactStore } from '@recsys/registry';
import { EmbeddedTracker, MlflowTracker, TrackingErrorCode, createTracker, trackerConfig } from '../src';

describe('createTracker', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let work: string;
  let deps: { prisma: PrismaClient; store: LocalArtifactStore };

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    work = await mkdtemp(path.join(os.tmpdir(), 'recsys-create-tracker-'));
    deps = { prisma, store: new LocalArtifactStore(path.join(work, 'store')) };
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('is embedded without MLFLOW_TRACKING_URI: runs land in PostgreSQL', async () => {
    for (const env of [{}, { MLFLOW_TRACKING_URI: '  ' }]) {
      const tracker = createTracker(env, deps);
      expect(tracker.backend).toBe('embedded');
      expect(tracker).toBeInstanceOf(EmbeddedTracker);
    }
    const tracker = createTracker({}, deps);
    const run = await tracker.startRun({ experiment: 'create-tracker', runName: 'r1' });
    await run.logParams({ factors: 8 });
    await run.end();
    const stored = await tracker.getRun(run.id);
    expect(stored).toMatchObject({ id: run.id, name: 'r1', params: { factors: '8' }, status: 'FINISHED' });
  });

  it('is MLflow with MLFLOW_TRACKING_URI', () => {
    const tracker = createTracker({ MLFLOW_TRACKING_URI: 'http://mlflow:5000' }, deps);
    expect(tracker.backend).toBe('mlflow');
    expect(tracker).toBeInstanceOf(MlflowTracker);
  });

  it('reads the credentials', () => {
    expect(
      trackerConfig({ MLFLOW_TRACKING_URI: 'https://mlflow.example', MLFLOW_TRACKING_TOKEN: 't' }),
    ).toEqual({
      kind: 'mlflow',
      trackingUri: 'https://mlflow.example',
      token: 't',
    });
    expect(
      trackerConfig({
        MLFLOW_TRACKING_URI: 'http://mlflow:5000',
        MLFLOW_TRACKING_USERNAME: 'alice',
        MLFLOW_TRACKING_PASSWORD: 'pw',
      }),
    ).toEqual({ kind: 'mlflow', trackingUri: 'http://mlflow:5000', username: 'alice', password: 'pw' });
  });

  it('refuses settings that do not describe a server', () => {
    const invalid = { code: TrackingErrorCode.INVALID_CONFIG };
    expect(() => trackerConfig({ MLFLOW_TRACKING_URI: 'file:./mlruns' })).toThrow(
      expect.objectContaining(invalid),
    );
    expect(() => trackerConfig({ MLFLOW_TRACKING_URI: 'databricks' })).toThrow(
      expect.objectContaining(invalid),
    );
    expect(() =>
      trackerConfig({ MLFLOW_TRACKING_URI: 'http://mlflow:5000', MLFLOW_TRACKING_USERNAME: 'alice' }),
    ).toThrow(expect.objectContaining(invalid));
  });
});
