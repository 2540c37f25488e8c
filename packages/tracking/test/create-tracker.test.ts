import { type PrismaClient } from '@recsys/db';
import { LocalArtifactStore } from '@recsys/registry';
import { TrackingErrorCode, createTracker, trackerConfig } from '../src';

// Neither back end touches these at construction.
const deps = { prisma: {} as PrismaClient, store: new LocalArtifactStore('/tmp/unused-recsys-artifacts') };

describe('createTracker', () => {
  it('is embedded without MLFLOW_TRACKING_URI, MLflow with it', () => {
    expect(createTracker({}, deps).backend).toBe('embedded');
    expect(createTracker({ MLFLOW_TRACKING_URI: '  ' }, deps).backend).toBe('embedded');
    expect(createTracker({ MLFLOW_TRACKING_URI: 'http://mlflow:5000' }, deps).backend).toBe('mlflow');
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
