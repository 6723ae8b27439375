import { originAllowed } from './origin-policy';
import { MessageRateLimiter } from './rate-limiter';

describe('originAllowed', () => {
  it('empty list: same origin only (and non-browser clients without Origin)', () => {
    expect(originAllowed('http://localhost:3000', 'localhost:3000', [])).toBe(true);
    expect(originAllowed('https://evil.example', 'localhost:3000', [])).toBe(false);
    expect(originAllowed(undefined, 'localhost:3000', [])).toBe(true);
    expect(
      originAllowed('https://chat.kakehashi.example', 'internal:3000', [], 'https://chat.kakehashi.example/'),
    ).toBe(true);
  });
  it('a list allows exactly those origins; * allows any', () => {
    expect(originAllowed('https://bank.example', 'h', ['https://bank.example'])).toBe(true);
    expect(originAllowed('https://bank.example.evil.com', 'h', ['https://bank.example'])).toBe(false);
    expect(originAllowed('http://bank.example', 'h', ['https://bank.example'])).toBe(false);
    expect(originAllowed('https://any.example', 'h', ['*'])).toBe(true);
    expect(originAllowed('null', 'h', ['https://bank.example'])).toBe(false);
  });
});

describe('MessageRateLimiter', () => {
  it('allows a burst, refills over time, and flags a flooder after repeated refusals', () => {
    let now = 0;
    const limiter = new MessageRateLimiter(2, 60, 3, () => now);
    expect(limiter.take()).toEqual({ allowed: true });
    expect(limiter.take()).toEqual({ allowed: true });
    expect(limiter.take()).toEqual({ allowed: false, retryAfterMs: 1000, disconnect: false });
    now += 1000;
    expect(limiter.take()).toEqual({ allowed: true });
    expect(limiter.take()).toMatchObject({ allowed: false, disconnect: false });
    expect(limiter.take()).toMatchObject({ allowed: false, disconnect: false });
    expect(limiter.take()).toMatchObject({ allowed: false, disconnect: true });
  });
});
