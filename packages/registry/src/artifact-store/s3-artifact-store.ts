import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ArtifactStore } from '../contract';
import { RegistryError, RegistryErrorCode } from '../errors';
import { artifactKeySegments } from './artifact-key';
import { listFiles } from './list-files';
import { joinS3Path, parseS3Uri, trimSlashes } from './s3-location';

/**
 * Written last into a downloaded folder: a cached folder without it is incomplete and never used.
 * Never uploaded (a fetched folder can be `put` again).
 */
export const DOWNLOAD_COMPLETE_MARKER = '.recsys-download-complete';

export interface S3ArtifactStoreOptions {
  bucket: string;
  /** Path inside the bucket under which every key lives ('' for the bucket's root). */
  prefix: string;
  client: S3Client;
  /**
   * Files uploaded or downloaded at once. Default 4.
   * @defaultValue 4
   */
  concurrency?: number;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}

/**
 * Artifact folders in S3-compatible storage: `put` uploads every file of the folder under
 * `prefix/key/` (URI `s3://bucket/prefix/key`); `fetch` downloads them into `cacheDir/<key>` unless that
 * folder is already complete; `delete` removes every object under `prefix/key/`.
 *
 * Files are uploaded as whole buffers with their length, one PutObject each (5 GiB at most per file):
 * a streamed body makes the SDK send aws-chunked payloads, which some S3-compatible servers store
 * verbatim. The model loader checks every array's SHA-256, so a damaged download is caught there.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly concurrency: number;

  constructor(options: S3ArtifactStoreOptions) {
    if (options.bucket.length === 0) {
      throw new RegistryError(
        RegistryErrorCode.INVALID_CONFIG,
        'S3 artifact store: the bucket name is empty',
      );
    }
    this.bucket = options.bucket;
    this.prefix = trimSlashes(options.prefix);
    this.client = options.client;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
  }

  /** The URI the artifact stored under `key` has. */
  uriOf(key: string): string {
    return `s3://${this.bucket}/${joinS3Path(this.prefix, ...artifactKeySegments(key))}`;
  }

  async put(localDir: string, key: string): Promise<string> {
    const objectPath = joinS3Path(this.prefix, ...artifactKeySegments(key));
    let files: string[];
    try {
      files = (await listFiles(localDir)).filter((file) => file !== DOWNLOAD_COMPLETE_MARKER);
    } catch (error) {
      throw new RegistryError(
        RegistryErrorCode.ARTIFACT_MISSING,
        `artifact folder ${localDir} cannot be read`,
        {
          cause: error,
        },
      );
    }
    if (files.length === 0) {
      throw new RegistryError(RegistryErrorCode.ARTIFACT_MISSING, `artifact folder ${localDir} is empty`);
    }
    const taken = await this.client.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${objectPath}/` }),
    );
    if ((taken.Contents ?? []).length > 0) {
      throw new RegistryError(RegistryErrorCode.ARTIFACT_EXISTS, `artifact key "${key}" is already taken`);
    }
    try {
      await forEachLimited(files, this.concurrency, async (file) => {
        const body = await readFile(path.join(localDir, ...file.split('/')));
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: `${objectPath}/${file}`,
            Body: body,
            ContentLength: body.byteLength,
          }),
        );
      });
    } catch (error) {
      // No half-uploaded artifact is left behind: nothing references it yet.
      await this.deleteObjectsUnder(objectPath).catch(() => undefined);
      throw error;
    }
    return `s3://${this.bucket}/${objectPath}`;
  }

  async fetch(uri: string, cacheDir: string): Promise<string> {
    const { objectPath, keySegments } = this.locate(uri);
    const target = path.join(path.resolve(cacheDir), ...keySegments);
    if (await exists(path.join(target, DOWNLOAD_COMPLETE_MARKER))) return target;
    const keys = await this.listKeys(objectPath);
    if (keys.length === 0) {
      throw new RegistryError(RegistryErrorCode.ARTIFACT_MISSING, `artifact ${uri} has no objects`);
    }
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await forEachLimited(keys, this.concurrency, (objectKey) => this.download(objectKey, objectPath, tmp));
      await writeFile(path.join(tmp, DOWNLOAD_COMPLETE_MARKER), `${uri}\n`);
      // An incomplete folder left under the final name (by another tool) is replaced.
      if ((await exists(target)) && !(await exists(path.join(target, DOWNLOAD_COMPLETE_MARKER)))) {
        await rm(target, { recursive: true, force: true });
      }
      try {
        await rename(tmp, target);
      } catch (error) {
        // A concurrent fetch of the same artifact finished first: use its folder.
        if (await exists(path.join(target, DOWNLOAD_COMPLETE_MARKER))) return target;
        throw error;
      }
      return target;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  async delete(uri: string): Promise<void> {
    const { objectPath } = this.locate(uri);
    await this.deleteObjectsUnder(objectPath);
  }

  /** The object path of `uri` and its key's segments (the path below this store's prefix). */
  private locate(uri: string): { objectPath: string; keySegments: string[] } {
    const { bucket, path: objectPath } = parseS3Uri(uri);
    const within = this.prefix.length === 0 || objectPath.startsWith(`${this.prefix}/`);
    if (bucket !== this.bucket || !within || objectPath === this.prefix) {
      throw new RegistryError(
        RegistryErrorCode.INVALID_ARTIFACT_URI,
        `${uri} is not under this store's s3://${joinS3Path(this.bucket, this.prefix)}/`,
      );
    }
    const key = this.prefix.length === 0 ? objectPath : objectPath.slice(this.prefix.length + 1);
    return { objectPath, keySegments: artifactKeySegments(key) };
  }

  private async download(objectKey: string, objectPath: string, intoDir: string): Promise<void> {
    const relative = objectKey.slice(objectPath.length + 1);
    const file = path.join(intoDir, ...artifactKeySegments(relative));
    await mkdir(path.dirname(file), { recursive: true });
    const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    const body = response.Body;
    if (!(body instanceof Readable)) {
      throw new RegistryError(
        RegistryErrorCode.ARTIFACT_MISSING,
        `s3://${this.bucket}/${objectKey} has no body`,
      );
    }
    await pipeline(body, createWriteStream(file));
  }

  /** Every object key under `objectPath/` (all pages). */
  private async listKeys(objectPath: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${objectPath}/`, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key && !object.Key.endsWith('/')) keys.push(object.Key);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  private async deleteObjectsUnder(objectPath: string): Promise<void> {
    const keys = await this.listKeys(objectPath);
    await forEachLimited(keys, this.concurrency, async (objectKey) => {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    });
  }
}
