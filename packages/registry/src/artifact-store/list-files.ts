import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Every regular file under `dir`, as '/'-separated paths relative to it, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const relative = path.relative(dir, path.join(entry.parentPath, entry.name));
    files.push(relative.split(path.sep).join('/'));
  }
  return files.sort();
}
