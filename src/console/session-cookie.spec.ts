import { SESSION_COOKIE, clearedSessionCookie, readCookie, sessionCookie } from './session-cookie';

describe('session cookie', () => {
  it('reads one cookie among several, decoded, and ignores look-alikes', () => {
    const req = { headers: { cookie: `x${SESSION_COOKIE}=evil; ${SESSION_COOKIE}=a%2Bb; other=1` } };
    expect(readCookie(req, SESSION_COOKIE)).toBe('a+b');
    expect(readCookie({ headers: {} }, SESSION_COOKIE)).toBeUndefined();
    expect(readCookie({ headers: { cookie: `${SESSION_COOKIE}=%E0%A4%A` } }, SESSION_COOKIE)).toBeUndefined();
  });

  it('is HttpOnly, SameSite=Strict and whole-site; Secure only when asked', () => {
    const plain = sessionCookie('tok', { maxAgeSeconds: 3600, secure: false });
    expect(plain).toBe(`${SESSION_COOKIE}=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600`);
    expect(sessionCookie('tok', { maxAgeSeconds: 1, secure: true })).toMatch(/; Secure$/);
    expect(clearedSessionCookie(false)).toContain('Max-Age=0');
  });
});
