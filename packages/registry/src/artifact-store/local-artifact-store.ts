import { randomBytes } from 'node:crypto';
import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ArtifactStore } from '../contract';
import { RegistryError, RegistryErrorCode } from '../errors';
import { artifactKeySegments } from './artifact-key';

/** The errno code of a Node.js system error (duck-typed: such errors may come from another realm). */
function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}

function tempSibling(target: string, purpose: string): string {
  return `${target}.${purpose}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Artifact folders under a local directory: `put` copies to `root/key` (URI `file:///abs/root/key`) by
 * copying into a temporary sibling and renaming it into place, so a folder under its final name is
 * always complete. `fetch` returns the folder itself (no copy).
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly rootDir: string;

  constructor(rootDir: string) {
    this.rootDir = path.resolve(rootDir);
  }

  /** The URI the artifact stored under `key` has. */
  uriOf(key: string): string {
    return pathToFileURL(path.join(this.rootDir, ...artifactKeySegments(key))).href;
  }

  async put(localDir: string, key: string): Promise<string> {
    const target = path.join(this.rootDir, ...artifactKeySegments(key));
    if (!(await isDirectory(localDir))) {
      throw new RegistryError(
        RegistryErrorCode.ARTIFACT_MISSING,
        `artifact folder ${localDir} does not exist`,
      );
    }
    if (await isDirectory(target)) {
      throw new RegistryError(RegistryErrorCode.ARTIFACT_EXISTS, `artifact key "${key}" is already taken`);
    }
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = tempSibling(target, 'tmp');
    try {
      await cp(localDir, tmp, { recursive: true, errorOnExist: true, force: false });
      // rename(2) onto an existing non-empty folder fails (ENOTEMPTY/EEXIST): a key is never overwritten.
      await rename(tmp, target);
    } catch (error) {
      await rm(tmp, { recursive: true, force: true });
      const code = errnoCode(error);
      if (code === 'ENOTEMPTY' || code === 'EEXIST') {
        throw new RegistryError(RegistryErrorCode.ARTIFACT_EXISTS, `artifact key "${key}" is already taken`, {
          cause: error,
        });
      }
      throw error;
    }
    return pathToFileURL(target).href;
  }

  async fetch(uri: string, _cacheDir?: string): Promise<string> {
    const dir = this.pathOf(uri);
    if (!(await isDirectory(dir))) {
      throw new RegistryError(RegistryErrorCode.ARTIFACT_MISSING, `artifact ${uri} does not exist`);
    }
    return dir;
  }

  /** Removes the folder: renamed aside first, so a half-deleted folder never sits under its name. */
  async delete(uri: string): Promise<void> {
    const dir = this.pathOf(uri);
    const trash = tempSibling(dir, 'deleting');
    try {
      await rename(dir, trash);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return;
      throw error;
    }
    await rm(trash, { recursive: true, force: true });
  }

  private pathOf(uri: string): string {
    if (!uri.startsWith('file://')) {
      throw new RegistryError(
        RegistryErrorCode.INVALID_ARTIFACT_URI,
        `the local artifact store reads file:// URIs, not ${uri}`,
      );
    }
    return fileURLToPath(uri);
  }
}
