const preset = require('../../jest.preset.js')(__dirname);

// ml-kmeans and the parts of its dependency tree that ship only as ES modules. Under jest, SWC turns the
// lazy `import('ml-kmeans')` of src/segments/ml-kmeans.ts into a require, which jest's CommonJS runtime can
// only follow into CommonJS: compile these to CommonJS like our own sources. (Plain node loads them through
// the import() itself.) Packages that import @recsys/personalization without fitting segments never load them.
const ESM_ONLY = [
  'ml-kmeans',
  'ml-distance-euclidean',
  'ml-nearest-vector',
  'ml-spectra-processing',
  'is-any-array',
  'ml-array-max',
  'ml-array-min',
  'ml-array-rescale',
];

module.exports = {
  ...preset,
  transform: {
    ...preset.transform,
    [`node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
};
