import { randomBytes } from 'node:crypto';
import { RegistryError, RegistryErrorCode } from '../errors';

const SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Checks a store key (`als/v3-1f9c2a7b`): '/'-separated segments of [A-Za-z0-9._-], none empty, `.` or
 * `..`, so a key can never climb out of the store's root or prefix. Returns the segments.
 */
export function artifactKeySegments(key: string): string[] {
  const segments = key.split('/');
  for (const segment of segments) {
    if (!SEGMENT.test(segment) || segment === '.' || segment === '..') {
      throw new RegistryError(
        RegistryErrorCode.INVALID_ARTIFACT_KEY,
        `artifact key "${key}": segments must be non-empty [A-Za-z0-9._-], not "." or ".."`,
      );
    }
  }
  return segments;
}

/** The key a registered version's artifact gets: `${modelType}/v${version}-${8 hex chars}`. */
export function versionArtifactKey(modelType: string, version: number): string {
  return `${modelType}/v${version}-${randomBytes(4).toString('hex')}`;
}
