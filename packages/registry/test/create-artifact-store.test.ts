import os from 'node:os';
import path from 'node:path';
import {
  artifactStoreConfig,
  createArtifactStore,
  LocalArtifactStore,
  RegistryErrorCode,
  S3ArtifactStore,
} from '../src';

describe('artifactStoreConfig / createArtifactStore', () => {
  it('defaults to ~/.recsys/artifacts', () => {
    expect(artifactStoreConfig({})).toEqual({
      kind: 'local',
      rootDir: path.join(os.homedir(), '.recsys', 'artifacts'),
    });
    expect(createArtifactStore({})).toBeInstanceOf(LocalArtifactStore);
  });

  it('reads paths and file:// URLs', () => {
    expect(artifactStoreConfig({ RECSYS_ARTIFACTS: 'rel/dir' })).toEqual({
      kind: 'local',
      rootDir: path.resolve('rel/dir'),
    });
    expect(artifactStoreConfig({ RECSYS_ARTIFACTS: 'file:///srv/artifacts' })).toEqual({
      kind: 'local',
      rootDir: '/srv/artifacts',
    });
  });

  it('reads s3://bucket/prefix with the S3_* variables', () => {
    const env = {
      RECSYS_ARTIFACTS: 's3://models/recsys/prod/',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_REGION: 'eu-west-1',
      S3_FORCE_PATH_STYLE: 'true',
    };
    expect(artifactStoreConfig(env)).toEqual({
      kind: 's3',
      bucket: 'models',
      prefix: 'recsys/prod',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      forcePathStyle: true,
    });
    const store = createArtifactStore(env);
    expect(store).toBeInstanceOf(S3ArtifactStore);
    expect((store as S3ArtifactStore).uriOf('als/v1-x')).toBe('s3://models/recsys/prod/als/v1-x');
    expect(artifactStoreConfig({ RECSYS_ARTIFACTS: 's3://bucket', AWS_REGION: 'us-west-2' })).toEqual({
      kind: 's3',
      bucket: 'bucket',
      prefix: '',
      region: 'us-west-2',
      forcePathStyle: false,
    });
  });

  it('rejects other schemes and bad flags', () => {
    expect(() => artifactStoreConfig({ RECSYS_ARTIFACTS: 'gs://bucket/x' })).toThrow(
      expect.objectContaining({ code: RegistryErrorCode.INVALID_CONFIG }),
    );
    expect(() => artifactStoreConfig({ RECSYS_ARTIFACTS: 's3://b/p', S3_FORCE_PATH_STYLE: 'yes' })).toThrow(
      expect.objectContaining({ code: RegistryErrorCode.INVALID_CONFIG }),
    );
  });
});
