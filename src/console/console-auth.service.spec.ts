import type { Request } from 'express';
import type { AuditRepository } from '../audit/audit.repository';
import type { AuthService } from '../auth/auth.service';
import { ProblemException } from '../common/problem';
import { loadConfig } from '../config/app-config';
import { ConsoleAuthService } from './console-auth.service';
import type { LiveSession, StaffSessionRepository } from './staff-session.repository';
import type { StaffRepository } from './staff.repository';

/** A mock whose every method throws unless the test stubs it: an unexpected call fails loudly. */
function strictMock<T extends object>(stubs: Partial<Record<keyof T, jest.Mock>> = {}): jest.Mocked<T> {
  return new Proxy(stubs as jest.Mocked<T>, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof T];
      if (prop === 'then') return undefined;
      return () => {
        throw new Error(`unstubbed call: ${String(prop)}`);
      };
    },
  });
}

const live = (over: Partial<LiveSession> = {}): LiveSession => ({
  sessionId: 's1',
  csrfToken: 'csrf-token-1234567890',
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  stale: false,
  staff: { id: 'u1', email: 'c@k.test', displayName: 'C', role: 'curator', uiLang: 'en' },
  ...over,
});

function request(method: string, headers: Record<string, string> = {}): Request {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method,
    headers: lower,
    protocol: 'http',
    secure: false,
    ip: '127.0.0.1',
    header: (name: string) => lower[name.toLowerCase()],
    get: (name: string) => (name.toLowerCase() === 'host' ? 'console.test' : lower[name.toLowerCase()]),
  } as unknown as Request;
}

function service(sessions: Partial<Record<keyof StaffSessionRepository, jest.Mock>>, staff = {}) {
  const config = loadConfig({ NODE_ENV: 'test', CONSOLE_LOCKOUT_THRESHOLD: '3' });
  return new ConsoleAuthService(
    config,
    strictMock(),
    strictMock<AuthService>(),
    strictMock<StaffRepository>(staff),
    strictMock<StaffSessionRepository>(sessions),
    strictMock<AuditRepository>(),
  );
}

describe('ConsoleAuthService.authenticate', () => {
  it('without the cookie there is no session, and the database is not asked', async () => {
    await expect(service({}).authenticate(request('GET'))).resolves.toBeUndefined();
  });

  it('a live session becomes a session principal; a stale last-seen is refreshed', async () => {
    const touch = jest.fn().mockResolvedValue(undefined);
    const auth = service({ findLive: jest.fn().mockResolvedValue(live({ stale: true })), touch });
    const principal = await auth.authenticate(request('GET', { cookie: 'kkh_session=abc' }));
    expect(principal).toEqual({ kind: 'session', id: 'u1', name: 'c@k.test', role: 'curator' });
    expect(touch).toHaveBeenCalledWith('s1');
  });

  it('looks sessions up by hash, never by the raw cookie value', async () => {
    const findLive = jest.fn().mockResolvedValue(undefined);
    await service({ findLive }).authenticate(request('GET', { cookie: 'kkh_session=abc' }));
    expect(findLive.mock.calls[0][0]).toMatch(/^[0-9a-f]{64}$/);
    expect(findLive.mock.calls[0][0]).not.toContain('abc');
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { 'X-CSRF-Token': 'csrf-token-0000000000' }],
    ['a token of another length', { 'X-CSRF-Token': 'short' }],
  ])('an unsafe method with %s is refused with 403', async (_label, headers) => {
    const auth = service({ findLive: jest.fn().mockResolvedValue(live()) });
    const err = await auth
      .authenticate(request('POST', { cookie: 'kkh_session=abc', ...headers }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemException);
    expect((err as ProblemException).problem).toMatchObject({
      status: 403,
      type: expect.stringMatching(/csrf$/),
    });
  });

  it('refuses a cross-site origin even with the right token', async () => {
    const auth = service({ findLive: jest.fn().mockResolvedValue(live()) });
    const headers = { cookie: 'kkh_session=abc', 'X-CSRF-Token': 'csrf-token-1234567890' };
    await expect(
      auth.authenticate(request('PUT', { ...headers, Origin: 'https://evil.test' })),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      auth.authenticate(request('PUT', { ...headers, Origin: 'http://console.test' })),
    ).resolves.toMatchObject({ kind: 'session' });
  });
});

describe('ConsoleAuthService.signIn', () => {
  it('a locked address is refused before any password is checked', async () => {
    const claimSignInAttempt = jest.fn().mockResolvedValue({ refusedFor: 17, lockedFor: 0 });
    const findCredentials = jest.fn();
    const auth = service({}, { claimSignInAttempt, findCredentials });
    const err = (await auth
      .signIn(request('POST'), { email: ' Someone@K.test ', password: 'x' })
      .catch((e: unknown) => e)) as ProblemException;
    expect(err.problem).toMatchObject({ status: 429, retryAfterSeconds: 17 });
    expect(claimSignInAttempt.mock.calls[0][0]).toBe('someone@k.test');
    expect(findCredentials).not.toHaveBeenCalled();
  });
});
