import { ProblemException } from '../common/problem';
import { loadConfig } from '../config/app-config';
import { MetricsAccess } from './metrics-access';

describe('metrics access', () => {
  it('is open without METRICS_TOKEN', () => {
    expect(() => new MetricsAccess(loadConfig({})).check(undefined)).not.toThrow();
  });

  it('wants the exact bearer token when METRICS_TOKEN is set', () => {
    const access = new MetricsAccess(loadConfig({ METRICS_TOKEN: 'metrics-token-0123456789' }));
    expect(() => access.check('Bearer metrics-token-0123456789')).not.toThrow();
    for (const wrong of [
      undefined,
      '',
      'Bearer',
      'Bearer metrics-token-012345678',
      'metrics-token-0123456789',
    ])
      expect(() => access.check(wrong)).toThrow(ProblemException);
  });

  it('tells whether a caller holds the token, also for a header of the same length in other characters', () => {
    const access = new MetricsAccess(loadConfig({ METRICS_TOKEN: 'metrics-token-0123456789' }));
    expect(access.holdsToken('Bearer metrics-token-0123456789')).toBe(true);
    expect(access.holdsToken('Bearer metrics-token-012345678é')).toBe(false);
    expect(new MetricsAccess(loadConfig({})).holdsToken('Bearer anything')).toBe(false);
  });
});
