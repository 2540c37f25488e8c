// Lets a plain `node` child process require this monorepo's TypeScript sources, as jest does: `.ts`
// files are compiled by SWC on load, `@recsys/x` resolves to packages/x/src/index.ts, and './x.js'
// imports of generated sources find './x.ts'. Used by tests that must run code in a second process.
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const PACKAGES = path.resolve(__dirname, '../../..');
const resolveFilename = Module._resolveFilename;

Module._resolveFilename = function (request, parent, ...rest) {
  const workspace = /^@recsys\/([a-z-]+)$/.exec(request);
  if (workspace) return path.join(PACKAGES, workspace[1], 'src', 'index.ts');
  if (parent && parent.filename && parent.filename.endsWith('.ts') && /^\.\.?\//.test(request)) {
    const base = path.resolve(path.dirname(parent.filename), request.replace(/\.js$/, ''));
    for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  return resolveFilename.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
