import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';

const PACKAGE_NAME = '@recsys/subgraph';
const SCHEMA_PATH = path.join('schema', 'recommendations.graphql');

/**
 * The SDL lives in `apps/subgraph/schema/recommendations.graphql`, outside `src/`, and is read at start-up
 * from the package folder (found by walking up to this package's package.json), so the same code works
 * from `src/` (tests), `dist/` (the build) and `dist-bench/`: nothing copies it, and `files` ships it.
 */
export function schemaFile(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME
    ) {
      return path.join(dir, SCHEMA_PATH);
    }
    if (path.dirname(dir) === dir)
      throw new Error(`${SCHEMA_PATH} of ${PACKAGE_NAME} not found above ${from}`);
  }
}

export function loadTypeDefs(file: string = schemaFile()): DocumentNode {
  return parse(readFileSync(file, 'utf8'));
}
