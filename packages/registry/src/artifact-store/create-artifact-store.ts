import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import type { ArtifactStore } from '../contract';
import { RegistryError, RegistryErrorCode } from '../errors';
import { LocalArtifactStore } from './local-artifact-store';
import { S3ArtifactStore } from './s3-artifact-store';
import { parseS3Uri } from './s3-location';

/**
 * Where artifacts go when RECSYS_ARTIFACTS is not set: `~/.recsys/artifacts`. A folder under the home
 * directory rather than under the repository, so the worker, the CLI and serving find the same folder
 * whatever their working directory.
 */
export function defaultArtifactsDir(): string {
  return path.join(os.homedir(), '.recsys', 'artifacts');
}

/** An artifact store's settings, read from the environment by `artifactStoreConfig`. */
export type ArtifactStoreConfig =
  | { kind: 'local'; rootDir: string }
  | {
      kind: 's3';
      bucket: string;
      prefix: string;
      /** S3_ENDPOINT: for MinIO and other S3-compatible servers; AWS's own endpoint when absent. */
      endpoint?: string;
      /** S3_REGION, else AWS_REGION, else us-east-1. */
      region: string;
      /** S3_FORCE_PATH_STYLE=true|1: `endpoint/bucket/key` URLs (MinIO) instead of `bucket.endpoint`. */
      forcePathStyle: boolean;
    };

function flag(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  const v = value.toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new RegistryError(
    RegistryErrorCode.INVALID_CONFIG,
    `${name} must be true, false, 1 or 0, not "${value}"`,
  );
}

/**
 * Reads the store's settings:
 * - RECSYS_ARTIFACTS: `s3://bucket/prefix`, a `file://` URL or a path (relative paths against the working
 *   directory); default `defaultArtifactsDir()`.
 * - S3_ENDPOINT, S3_REGION, S3_FORCE_PATH_STYLE: for `s3://` only. Credentials come from the AWS SDK's
 *   default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, instance roles...).
 */
export function artifactStoreConfig(env: NodeJS.ProcessEnv = process.env): ArtifactStoreConfig {
  const location = env.RECSYS_ARTIFACTS?.trim() ?? '';
  if (location.startsWith('s3://')) {
    const { bucket, path: prefix } = parseS3Uri(location);
    const endpoint = env.S3_ENDPOINT?.trim();
    return {
      kind: 's3',
      bucket,
      prefix,
      ...(endpoint ? { endpoint } : {}),
      region: env.S3_REGION?.trim() || env.AWS_REGION?.trim() || 'us-east-1',
      forcePathStyle: flag('S3_FORCE_PATH_STYLE', env.S3_FORCE_PATH_STYLE),
    };
  }
  if (location.startsWith('file://')) return { kind: 'local', rootDir: fileURLToPath(location) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new RegistryError(
      RegistryErrorCode.INVALID_CONFIG,
      `RECSYS_ARTIFACTS="${location}": use a path, a file:// URL or s3://bucket/prefix`,
    );
  }
  return { kind: 'local', rootDir: location.length > 0 ? path.resolve(location) : defaultArtifactsDir() };
}

/** The artifact store the environment describes (see `artifactStoreConfig`). */
export function createArtifactStore(env: NodeJS.ProcessEnv = process.env): ArtifactStore {
  const config = artifactStoreConfig(env);
  switch (config.kind) {
    case 'local':
      return new LocalArtifactStore(config.rootDir);
    case 's3': {
      const client = new S3Client({
        region: config.region,
        forcePathStyle: config.forcePathStyle,
        ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      });
      return new S3ArtifactStore({ bucket: config.bucket, prefix: config.prefix, client });
    }
  }
}
