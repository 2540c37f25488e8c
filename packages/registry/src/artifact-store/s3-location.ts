import { RegistryError, RegistryErrorCode } from '../errors';

/** A bucket and a '/'-separated path inside it, without leading or trailing slashes. */
export interface S3Location {
  bucket: string;
  path: string;
}

export function trimSlashes(value: string): string {
  return value.replace(/^\/+|\/+$/g, '');
}

/** Parses `s3://bucket/some/prefix` (the path may be empty). */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)(\/.*)?$/.exec(uri);
  if (!match) {
    throw new RegistryError(
      RegistryErrorCode.INVALID_ARTIFACT_URI,
      `"${uri}" is not an s3://bucket/path URI`,
    );
  }
  return { bucket: match[1], path: trimSlashes(match[2] ?? '') };
}

export function joinS3Path(...parts: string[]): string {
  return parts
    .map(trimSlashes)
    .filter((part) => part.length > 0)
    .join('/');
}
