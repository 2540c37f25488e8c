const preset = require('../../jest.preset.js')(__dirname);

// One database with MovieLens 100K for every suite (importing it takes seconds), and one suite at a
// time: the suites run worker processes whose lock timings must not starve each other of CPU.
module.exports = {
  ...preset,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 1,
};
