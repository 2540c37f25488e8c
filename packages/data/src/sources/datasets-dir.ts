import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the benchmark data sets (MovieLens 100K, ml-latest-small) are read from: RECSYS_DATASETS_DIR,
 * else the first `shared/datasets` found beside or above the working directory or this file (the
 * repository lives at <workspace>/main with the data at <workspace>/shared/datasets). The data stay
 * outside the repository: their terms forbid redistribution.
 */
export function datasetsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RECSYS_DATASETS_DIR) return path.resolve(env.RECSYS_DATASETS_DIR);
  for (const start of [process.cwd(), __dirname]) {
    let dir = start;
    for (;;) {
      const candidate = path.join(dir, 'shared', 'datasets');
      if (existsSync(candidate)) return candidate;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(
    'data sets not found: set RECSYS_DATASETS_DIR to the folder holding ml-100k/ and ml-latest-small/',
  );
}
