import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IdMap } from '@recsys/data';
import { ModelError, ModelErrorCode } from '../contract/errors';
import {
  ARTIFACT_FORMAT,
  ARTIFACT_FORMAT_VERSION,
  type ArrayDType,
  type ArtifactManifest,
  type ModelArray,
} from './manifest';

const MANIFEST = 'manifest.json';

function dtypeOf(a: ModelArray): ArrayDType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  return 'uint8';
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function bytesOf(a: ModelArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export interface ArtifactContents {
  manifest: ArtifactManifest;
  users: IdMap;
  items: IdMap;
  arrays: Record<string, ModelArray>;
}

/**
 * Writes an artifact folder atomically: everything goes to a sibling temporary folder that is renamed
 * into place at the end, so a crash never leaves a half-written artifact under the final name.
 * Existing contents of `dir` are replaced.
 */
export async function writeArtifact(
  dir: string,
  manifest: Omit<ArtifactManifest, 'format' | 'formatVersion' | 'arrays' | 'idMaps'>,
  users: IdMap,
  items: IdMap,
  arrays: Record<string, ModelArray>,
): Promise<ArtifactManifest> {
  const target = path.resolve(dir);
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  try {
    const entries: ArtifactManifest['arrays'] = {};
    for (const [name, array] of Object.entries(arrays)) {
      if (!/^[a-zA-Z0-9_]+$/.test(name))
        throw new Error(`artifact array name "${name}" must be alphanumeric`);
      const file = `${name}.bin`;
      const bytes = bytesOf(array);
      await writeFile(path.join(tmp, file), bytes);
      entries[name] = { file, dtype: dtypeOf(array), length: array.length, sha256: sha256(bytes) };
    }
    await writeFile(path.join(tmp, 'users.json'), JSON.stringify(users.toJSON()));
    await writeFile(path.join(tmp, 'items.json'), JSON.stringify(items.toJSON()));
    const full: ArtifactManifest = {
      format: ARTIFACT_FORMAT,
      formatVersion: ARTIFACT_FORMAT_VERSION,
      ...manifest,
      idMaps: { users: 'users.json', items: 'items.json' },
      arrays: entries,
    };
    await writeFile(path.join(tmp, MANIFEST), JSON.stringify(full, null, 2));
    await rm(target, { recursive: true, force: true });
    await rename(tmp, target);
    return full;
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

function bad(dir: string, message: string): ModelError {
  return new ModelError(ModelErrorCode.BAD_ARTIFACT, `artifact ${dir}: ${message}`);
}

/** Reads and checks only the manifest (format, version), e.g. to find which model class loads it. */
export async function readManifest(dir: string): Promise<ArtifactManifest> {
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST), 'utf8');
  } catch {
    throw bad(dir, `no ${MANIFEST} (not a model artifact folder)`);
  }
  let manifest: ArtifactManifest;
  try {
    manifest = JSON.parse(text) as ArtifactManifest;
  } catch (error) {
    throw bad(dir, `${MANIFEST} is not valid JSON: ${(error as Error).message}`);
  }
  if (manifest.format !== ARTIFACT_FORMAT)
    throw bad(dir, `format is "${String(manifest.format)}", expected "${ARTIFACT_FORMAT}"`);
  if (manifest.formatVersion !== ARTIFACT_FORMAT_VERSION) {
    throw bad(
      dir,
      `format version ${manifest.formatVersion} is not supported (this build reads ${ARTIFACT_FORMAT_VERSION})`,
    );
  }
  return manifest;
}

/**
 * Reads a whole artifact, checking it is of `modelType` at `modelVersion` and that every array file
 * has its recorded length and SHA-256.
 */
export async function readArtifact(
  dir: string,
  modelType: string,
  modelVersion: number,
): Promise<ArtifactContents> {
  const manifest = await readManifest(dir);
  if (manifest.modelType !== modelType) {
    throw bad(dir, `holds a "${manifest.modelType}" model, not "${modelType}"`);
  }
  if (manifest.modelVersion !== modelVersion) {
    throw bad(
      dir,
      `"${modelType}" state version ${manifest.modelVersion} is not supported (this build reads ${modelVersion})`,
    );
  }
  const arrays: Record<string, ModelArray> = {};
  for (const [name, entry] of Object.entries(manifest.arrays)) {
    const buf = await readFile(path.join(dir, entry.file));
    if (sha256(buf) !== entry.sha256) throw bad(dir, `${entry.file} does not match its checksum`);
    const copy = new Uint8Array(buf.byteLength);
    copy.set(buf);
    const ab = copy.buffer;
    const array: ModelArray =
      entry.dtype === 'float32'
        ? new Float32Array(ab)
        : entry.dtype === 'float64'
          ? new Float64Array(ab)
          : entry.dtype === 'int32'
            ? new Int32Array(ab)
            : new Uint8Array(ab);
    if (array.length !== entry.length)
      throw bad(dir, `${entry.file} has ${array.length} values, expected ${entry.length}`);
    arrays[name] = array;
  }
  const users = IdMap.fromJSON(
    JSON.parse(await readFile(path.join(dir, manifest.idMaps.users), 'utf8')) as string[],
  );
  const items = IdMap.fromJSON(
    JSON.parse(await readFile(path.join(dir, manifest.idMaps.items), 'utf8')) as string[],
  );
  return { manifest, users, items, arrays };
}
