import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { TrackingError, TrackingErrorCode } from './errors';
import type { ParamValue } from './tracker';

/** MLflow 2.x's longest parameter value (MAX_PARAM_VAL_LENGTH). */
export const MAX_PARAM_VALUE_LENGTH = 6000;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;

/** Parameters as both back ends store them: strings of at most MAX_PARAM_VALUE_LENGTH characters. */
export function normalizeParams(params: Record<string, ParamValue>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    checkKey('parameter', key);
    const text = String(value);
    if (text.length > MAX_PARAM_VALUE_LENGTH) {
      throw new TrackingError(
        TrackingErrorCode.INVALID_INPUT,
        `parameter "${key}": ${text.length} characters, more than the ${MAX_PARAM_VALUE_LENGTH} MLflow keeps`,
      );
    }
    out[key] = text;
  }
  return out;
}

/** Finite values only; the step an int32 (the embedded store's column, and MLflow's usual range). */
export function checkMetrics(metrics: Record<string, number>, step: number): void {
  if (!Number.isInteger(step) || step < INT32_MIN || step > INT32_MAX) {
    throw new TrackingError(
      TrackingErrorCode.INVALID_INPUT,
      `metric step must be an int32 integer, not ${step}`,
    );
  }
  for (const [key, value] of Object.entries(metrics)) {
    checkKey('metric', key);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new TrackingError(
        TrackingErrorCode.INVALID_INPUT,
        `metric "${key}" must be a finite number, not ${value}`,
      );
    }
  }
}

export function checkTags(tags: Record<string, string>): void {
  for (const [key, value] of Object.entries(tags)) {
    checkKey('tag', key);
    if (typeof value !== 'string') {
      throw new TrackingError(TrackingErrorCode.INVALID_INPUT, `tag "${key}" must be a string`);
    }
  }
}

function checkKey(kind: string, key: string): void {
  if (key.length === 0 || key.length > 250) {
    throw new TrackingError(TrackingErrorCode.INVALID_INPUT, `${kind} keys must be 1..250 characters long`);
  }
}

/**
 * The artifact path a `logArtifacts` call uses: the one given, else the folder's own name. Checked to be
 * '/'-separated segments of [A-Za-z0-9._-], none `.` or `..`.
 */
export function resolveArtifactPath(localDir: string, artifactPath: string | undefined): string {
  const chosen = artifactPath ?? path.basename(path.resolve(localDir));
  for (const segment of chosen.split('/')) {
    if (!PATH_SEGMENT.test(segment) || segment === '.' || segment === '..') {
      throw new TrackingError(
        TrackingErrorCode.INVALID_INPUT,
        `artifact path "${chosen}": segments must be non-empty [A-Za-z0-9._-], not "." or ".."`,
      );
    }
  }
  return chosen;
}

/** Whether two artifact paths collide: equal, or one a folder of the other. */
export function artifactPathsOverlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

export interface LocalFile {
  /** '/'-separated, relative to the folder. */
  relativePath: string;
  absolutePath: string;
  sizeBytes: number;
}

/** Every regular file under `dir`, sorted by relative path; ARTIFACT_MISSING when none or no folder. */
export async function listLocalFiles(dir: string): Promise<LocalFile[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    throw new TrackingError(TrackingErrorCode.ARTIFACT_MISSING, `artifact folder ${dir} cannot be read`, {
      cause: error,
    });
  }
  const files: LocalFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const absolutePath = path.join(entry.parentPath, entry.name);
    const relativePath = path.relative(dir, absolutePath).split(path.sep).join('/');
    files.push({ relativePath, absolutePath, sizeBytes: (await stat(absolutePath)).size });
  }
  if (files.length === 0) {
    throw new TrackingError(TrackingErrorCode.ARTIFACT_MISSING, `artifact folder ${dir} holds no file`);
  }
  return files.sort((a, b) =>
    a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0,
  );
}

/** Sorts metric points by step, then timestamp; stable, so equal points keep their logging order. */
export function sortMetricPoints<T extends { step: number; timestamp: Date }>(points: T[]): T[] {
  return [...points].sort((a, b) => a.step - b.step || a.timestamp.getTime() - b.timestamp.getTime());
}

/** The latest value per key: highest step, then latest timestamp, then last logged (MLflow's rule). */
export function latestMetrics(
  points: { key: string; value: number; step: number; timestamp: Date }[],
): Record<string, number> {
  const latest = new Map<string, { value: number; step: number; time: number }>();
  for (const p of points) {
    const time = p.timestamp.getTime();
    const current = latest.get(p.key);
    if (!current || p.step > current.step || (p.step === current.step && time >= current.time)) {
      latest.set(p.key, { value: p.value, step: p.step, time });
    }
  }
  const out: Record<string, number> = {};
  for (const [key, v] of latest) out[key] = v.value;
  return out;
}
