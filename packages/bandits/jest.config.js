module.exports = {
  ...require('../../jest.preset.js')(__dirname),
  // Every draw must come from the seeded Rng: a call to Math.random fails the test that made it.
  setupFilesAfterEnv: ['<rootDir>/test/support/forbid-math-random.ts'],
};
