import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WeightArrays } from '../nn/parameter-store';

/** What `checkpoint.json` records beside `weights.bin`. */
export interface CheckpointMeta {
  epoch: number;
  metric?: { name: string; value: number };
  loss: number;
  /** Each weight's place in weights.bin (float32 values, in this order). */
  weights: { name: string; offset: number; length: number }[];
}

/**
 * Writes weights to `dir` (weights.bin + checkpoint.json) atomically: a sibling temporary folder is
 * renamed over `dir`, so a crash mid-write leaves the previous checkpoint intact.
 */
export async function writeCheckpoint(
  dir: string,
  weights: WeightArrays,
  meta: Omit<CheckpointMeta, 'weights'>,
): Promise<void> {
  const target = path.resolve(dir);
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  const entries: CheckpointMeta['weights'] = [];
  let total = 0;
  for (const [name, a] of Object.entries(weights)) {
    entries.push({ name, offset: total, length: a.length });
    total += a.length;
  }
  const all = new Float32Array(total);
  for (const e of entries) all.set(weights[e.name], e.offset);
  try {
    await writeFile(path.join(tmp, 'weights.bin'), new Uint8Array(all.buffer));
    await writeFile(
      path.join(tmp, 'checkpoint.json'),
      JSON.stringify({ ...meta, weights: entries }, null, 2),
    );
    await rm(target, { recursive: true, force: true });
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** Reads a checkpoint folder written by `writeCheckpoint`. */
export async function readCheckpoint(dir: string): Promise<{ meta: CheckpointMeta; weights: WeightArrays }> {
  const meta = JSON.parse(await readFile(path.join(dir, 'checkpoint.json'), 'utf8')) as CheckpointMeta;
  const buf = await readFile(path.join(dir, 'weights.bin'));
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const weights: WeightArrays = {};
  for (const e of meta.weights) weights[e.name] = all.slice(e.offset, e.offset + e.length);
  return { meta, weights };
}
