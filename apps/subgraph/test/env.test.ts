import { EnvError, loadEnv, serverOptionsFromEnv } from '../src';

describe('loadEnv', () => {
  it('fills the defaults', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      PORT: 4001,
      RECSYS_DATASET: 'marketplace',
      QUEUE_PREFIX: 'recsys',
      MAX_QUERY_DEPTH: 8,
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
    });
    expect(env.SERVICE_TOKEN).toBeUndefined();
  });

  it('coerces numbers and treats empty variables as unset', () => {
    const env = loadEnv({ PORT: '8080', RATE_LIMIT_POINTS: '10', SERVICE_TOKEN: '' });
    expect(env.PORT).toBe(8080);
    expect(env.RATE_LIMIT_POINTS).toBe(10);
    expect(env.SERVICE_TOKEN).toBeUndefined();
    expect(serverOptionsFromEnv(env).rateLimit).toEqual({ points: 10, windowSeconds: 60 });
    expect(serverOptionsFromEnv(loadEnv({ RECSYS_DATASET: 'ml-100k' })).datasetId).toBe('ml-100k');
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadEnv({ PORT: 'eighty', SERVICE_TOKEN: 'short', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const issues = (error as EnvError).issues.join('\n');
    expect(issues).toContain('PORT');
    expect(issues).toContain('SERVICE_TOKEN');
    expect(issues).toContain('LOG_LEVEL');
  });
});
