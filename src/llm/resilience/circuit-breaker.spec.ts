import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  let now = 0;
  const breaker = () => new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: () => now });
  beforeEach(() => {
    now = 0;
  });

  it('opens after the threshold of consecutive failures and fails fast during the cooldown', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) {
      expect(b.tryAcquire()).toBe(true);
      b.onFailure();
    }
    expect(b.currentState).toBe('open');
    expect(b.tryAcquire()).toBe(false);
    now = 400;
    expect(b.retryInMs()).toBe(600);
  });

  it('a success in between resets the count', () => {
    const b = breaker();
    b.onFailure();
    b.onFailure();
    b.onSuccess();
    b.onFailure();
    b.onFailure();
    expect(b.currentState).toBe('closed');
  });

  it('after the cooldown lets exactly one probe through; success closes it', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.onFailure();
    now = 1000;
    expect(b.currentState).toBe('half-open');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.onSuccess();
    expect(b.currentState).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
  });

  it('a failed probe opens it for another cooldown', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.onFailure();
    now = 1500;
    expect(b.tryAcquire()).toBe(true);
    b.onFailure();
    expect(b.currentState).toBe('open');
    now = 2400;
    expect(b.tryAcquire()).toBe(false);
    now = 2500;
    expect(b.tryAcquire()).toBe(true);
  });

  it('a neutral outcome (429, cancel) frees the probe slot without closing', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.onFailure();
    now = 1000;
    expect(b.tryAcquire()).toBe(true);
    b.onNeutral();
    expect(b.tryAcquire()).toBe(true);
  });
});
