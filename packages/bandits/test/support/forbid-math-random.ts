beforeEach(() => {
  jest.spyOn(Math, 'random').mockImplementation(() => {
    throw new Error('Math.random was called: bandits must draw from the seeded Rng');
  });
});

afterEach(() => {
  jest.restoreAllMocks();
});
