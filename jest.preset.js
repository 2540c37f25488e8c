// Shared jest configuration: every workspace's jest.config.js spreads this.
// Tests run TypeScript through SWC (type checking is the `typecheck` task's job) and import
// sibling workspaces from their sources, so `test` never waits on a stale `dist/`.
const path = require('node:path');

/** @param {string} dir the workspace folder */
module.exports = (dir) => ({
  rootDir: dir,
  // Node, with the main realm's typed-array constructors (onnxruntime-node checks them): see jest.environment.js.
  testEnvironment: path.join(__dirname, 'jest.environment.js'),
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleNameMapper: {
    // Generated and ESM-style sources import './x.js' meaning './x.ts'.
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^@recsys/([a-z-]+)$': path.join(__dirname, 'packages/$1/src/index.ts'),
  },
  testTimeout: 120000,
});
