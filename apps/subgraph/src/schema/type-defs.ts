import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { concatAST, parse, type DocumentNode } from 'graphql';

const PACKAGE_NAME = '@recsys/subgraph';
const SCHEMA_DIR = 'schema';
/** The SDL files, each read at start-up: the recommendations and, extending it, the experiments. */
export const SCHEMA_FILES = {
  recommendations: 'recommendations.graphql',
  experiments: 'experiments.graphql',
} as const;

/**
 * The SDL lives in `apps/subgraph/schema/recommendations.graphql`, outside `src/`, and is read at start-up
 * from the package folder (found by walking up to this package's package.json), so the same code works
 * from `src/` (tests), `dist/` (the build) and `dist-bench/`: nothing copies it, and `files` ships it.
 */
export function schemaFile(from: string = __dirname, name: string = SCHEMA_FILES.recommendations): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME
    ) {
      return path.join(dir, SCHEMA_DIR, name);
    }
    if (path.dirname(dir) === dir)
      throw new Error(`${path.join(SCHEMA_DIR, name)} of ${PACKAGE_NAME} not found above ${from}`);
  }
}

export function loadTypeDefs(file: string = schemaFile()): DocumentNode {
  return parse(readFileSync(file, 'utf8'));
}

/** The whole SDL of the subgraph: recommendations.graphql and experiments.graphql, which extends it. */
export function loadSubgraphTypeDefs(): DocumentNode {
  return concatAST(Object.values(SCHEMA_FILES).map((name) => loadTypeDefs(schemaFile(__dirname, name))));
}
