import type { RunningApp } from '../../src/bootstrap/start-app';
import { startTestApp } from '../support/test-app';
import { STAFF_PASSWORD, createStaff, signIn } from '../support/console-session';

const CANARY_EMAIL = 'canary-7f3a@private.example';
const CANARY_PHONE = '+66-CANARY-0420';

const profile = (externalId: string, extra: Record<string, unknown> = {}) => ({
  externalId,
  country: 'TH',
  names: { th: 'บริษัท ทดสอบ จำกัด', en: 'Test Co., Ltd.' },
  status: 'draft',
  ...extra,
});

describe('console security', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startTestApp({ CONSOLE_LOCKOUT_THRESHOLD: '3', CONSOLE_LOCKOUT_BASE_SECONDS: '2' });
    await createStaff(app, 'admin@kakehashi.test', 'admin');
    await createStaff(app, 'curator@kakehashi.test', 'curator');
    await createStaff(app, 'viewer@kakehashi.test', 'viewer');
  });
  afterAll(async () => app.close());

  describe('without a session', () => {
    it.each([
      '/console/profiles',
      '/console/profiles/TH-1',
      '/console/import',
      '/console/staff',
      '/console/audit',
    ])('page %s redirects to sign-in', async (path) => {
      const res = await fetch(`${app.url}${path}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(`/console/sign-in?next=${encodeURIComponent(path)}`);
      expect(await res.text()).not.toContain('id="app"');
    });

    it.each([
      ['GET', '/api/console/session'],
      ['GET', '/api/console/overview'],
      ['GET', '/api/console/audit'],
      ['GET', '/api/console/capabilities'],
      ['GET', '/api/console/staff'],
      ['GET', '/api/console/tokens'],
      ['GET', '/api/companies'],
      ['GET', '/api/companies/export'],
      ['POST', '/api/companies'],
      ['POST', '/api/companies/import?dryRun=true'],
      ['POST', '/api/console/profiles/X/review'],
      ['POST', '/api/console/staff'],
      ['DELETE', '/api/console/session'],
      ['GET', '/api/glossary'],
      ['POST', '/api/match'],
      ['POST', '/api/translate'],
      ['GET', '/api/llm/usage'],
    ])('%s %s answers 401', async (method, path) => {
      const res = await fetch(`${app.url}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });

    it('a made-up or signed-out session cookie is no session', async () => {
      const res = await fetch(`${app.url}/api/companies`, { headers: { Cookie: 'kkh_session=forged' } });
      expect(res.status).toBe(401);
      const c = await signIn(app, 'viewer@kakehashi.test');
      expect((await c.call('/api/console/session', { method: 'DELETE' })).status).toBe(200);
      expect((await c.call('/api/companies')).status).toBe(401);
      expect((await c.call('/console/profiles')).status).toBe(302);
    });

    it('the sign-in page itself loads, with a strict content security policy', async () => {
      const res = await fetch(`${app.url}/console/sign-in`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-store');
    });
  });

  describe('session cookie', () => {
    it('is HttpOnly, SameSite=Strict, whole-site, and not Secure over plain http', async () => {
      const c = await signIn(app, 'viewer@kakehashi.test');
      expect(c.setCookie).toMatch(/^kkh_session=[\w-]{40,}; /);
      expect(c.setCookie).toContain('HttpOnly');
      expect(c.setCookie).toContain('SameSite=Strict');
      expect(c.setCookie).toContain('Path=/');
      expect(c.setCookie).toMatch(/Max-Age=\d+/);
      expect(c.setCookie).not.toContain('Secure');
    });

    it('is Secure behind a TLS-terminating proxy, and when forced', async () => {
      const behindTls = await startTestApp({ TRUST_PROXY: 'true' });
      const forced = await startTestApp({ CONSOLE_COOKIE_SECURE: 'true' });
      try {
        for (const [running, headers] of [
          [behindTls, { 'X-Forwarded-Proto': 'https' }],
          [forced, {}],
        ] as const) {
          await createStaff(running, 'tls@kakehashi.test', 'viewer');
          const res = await fetch(`${running.url}/api/console/session`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', ...headers },
            body: JSON.stringify({ email: 'tls@kakehashi.test', password: STAFF_PASSWORD }),
          });
          expect(res.status).toBe(200);
          expect(res.headers.get('set-cookie')).toMatch(/; Secure$/);
        }
      } finally {
        await behindTls.close();
        await forced.close();
      }
    });
  });

  describe('CSRF', () => {
    it('a state-changing request with the cookie but without the CSRF token is refused', async () => {
      const c = await signIn(app, 'curator@kakehashi.test');
      const body = JSON.stringify(profile('TH-CSRF-1'));
      const missing = await c.call('/api/companies', { method: 'POST', body, csrf: false });
      expect(missing.status).toBe(403);
      expect(((await missing.json()) as { type: string }).type).toMatch(/\/csrf$/);
      const wrong = await c.call('/api/companies', {
        method: 'POST',
        body,
        csrf: false,
        headers: { 'X-CSRF-Token': 'x'.repeat(32) },
      });
      expect(wrong.status).toBe(403);
      // Another session's token does not work either.
      const other = await signIn(app, 'curator@kakehashi.test');
      const crossed = await c.call('/api/companies', {
        method: 'POST',
        body,
        csrf: false,
        headers: { 'X-CSRF-Token': other.csrf },
      });
      expect(crossed.status).toBe(403);
      expect((await c.call('/api/companies/TH-CSRF-1')).status).toBe(404);
      expect((await c.call('/api/companies', { method: 'POST', body })).status).toBe(201);
    });

    it('refuses requests from another origin even with the token', async () => {
      const c = await signIn(app, 'curator@kakehashi.test');
      const res = await c.call('/api/companies', {
        method: 'POST',
        body: JSON.stringify(profile('TH-CSRF-2')),
        headers: { Origin: 'https://evil.example' },
      });
      expect(res.status).toBe(403);
      const fetchSite = await c.call('/api/companies', {
        method: 'POST',
        body: JSON.stringify(profile('TH-CSRF-2')),
        headers: { 'Sec-Fetch-Site': 'cross-site' },
      });
      expect(fetchSite.status).toBe(403);
      const signInFromElsewhere = await fetch(`${app.url}/api/console/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
        body: JSON.stringify({ email: 'curator@kakehashi.test', password: STAFF_PASSWORD }),
      });
      expect(signInFromElsewhere.status).toBe(403);
    });

    it('a form post (the classic CSRF vector) cannot even reach the API', async () => {
      const c = await signIn(app, 'curator@kakehashi.test');
      const res = await c.call('/api/companies', {
        method: 'POST',
        csrf: false,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'externalId=x',
      });
      expect(res.status).toBe(415);
    });

    it('reading needs no token', async () => {
      const c = await signIn(app, 'viewer@kakehashi.test');
      expect((await c.call('/api/companies', { csrf: false })).status).toBe(200);
    });
  });

  describe('roles', () => {
    it('a viewer can read but not save, import, review or administer', async () => {
      const curator = await signIn(app, 'curator@kakehashi.test');
      await curator.call('/api/companies', { method: 'POST', body: JSON.stringify(profile('TH-ROLE-1')) });
      const viewer = await signIn(app, 'viewer@kakehashi.test');
      expect((await viewer.call('/api/companies/TH-ROLE-1')).status).toBe(200);
      const attempts: Array<[string, string, unknown]> = [
        ['PUT', '/api/companies/TH-ROLE-1', profile('TH-ROLE-1')],
        ['PATCH', '/api/companies/TH-ROLE-1', { status: 'published' }],
        ['DELETE', '/api/companies/TH-ROLE-1', undefined],
        ['POST', '/api/companies', profile('TH-ROLE-2')],
        ['POST', '/api/companies/import?dryRun=true', [profile('TH-ROLE-3')]],
        ['POST', '/api/console/profiles/TH-ROLE-1/review', { approve: ['names.ja'] }],
        ['POST', '/api/console/staff', { email: 'x@y.test', role: 'admin', password: 'p'.repeat(12) }],
        ['POST', '/api/console/tokens', { name: 'x', role: 'admin' }],
      ];
      for (const [method, path, body] of attempts) {
        const res = await viewer.call(path, { method, body: body ? JSON.stringify(body) : undefined });
        expect([method, path, res.status]).toEqual([method, path, 403]);
      }
      const after = (await (await viewer.call('/api/companies/TH-ROLE-1')).json()) as { version: number };
      expect(after.version).toBe(1);
      expect((await viewer.call('/api/console/staff')).status).toBe(403);
    });

    it('a curator edits profiles but cannot administer staff or tokens', async () => {
      const curator = await signIn(app, 'curator@kakehashi.test');
      expect((await curator.call('/api/console/staff')).status).toBe(403);
      expect((await curator.call('/api/console/tokens')).status).toBe(403);
      expect((await curator.call('/api/console/audit?entityType=staff')).status).toBe(403);
    });
  });

  describe('lockout', () => {
    const attempt = (email: string, password: string) =>
      fetch(`${app.url}/api/console/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });

    it('locks an address after repeated wrong passwords, even for the right one, then backs off', async () => {
      await createStaff(app, 'locked@kakehashi.test', 'curator');
      expect((await attempt('locked@kakehashi.test', 'wrong-1')).status).toBe(401);
      expect((await attempt('locked@kakehashi.test', 'wrong-2')).status).toBe(401);
      const third = await attempt('LOCKED@kakehashi.test', 'wrong-3');
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBe(2);
      const rightButLocked = await attempt('locked@kakehashi.test', STAFF_PASSWORD);
      expect(rightButLocked.status).toBe(429);
      await new Promise((r) => setTimeout(r, 2100));
      // Another wrong password after the pause doubles the wait.
      const fourth = await attempt('locked@kakehashi.test', 'wrong-4');
      expect(fourth.status).toBe(429);
      expect(Number(fourth.headers.get('retry-after'))).toBe(4);
      await new Promise((r) => setTimeout(r, 4100));
      expect((await attempt('locked@kakehashi.test', STAFF_PASSWORD)).status).toBe(200);
      // Success clears the count.
      expect((await attempt('locked@kakehashi.test', 'wrong-5')).status).toBe(401);
    }, 30000);

    it('checks only `threshold` of many guesses sent at once, and then refuses even the right password', async () => {
      await createStaff(app, 'race@kakehashi.test', 'curator');
      const statuses = (
        await Promise.all(Array.from({ length: 30 }, (_, i) => attempt('race@kakehashi.test', `wrong-${i}`)))
      ).map((r) => r.status);
      // Three counted and checked (two 401s, the third sets the lock), twenty-seven refused unchecked.
      expect(statuses.filter((s) => s === 401)).toHaveLength(2);
      expect(statuses.filter((s) => s === 429)).toHaveLength(28);
      const { rows } = await app.database.pool.query<{ failures: number }>(
        `SELECT failures FROM staff_sign_in_failures WHERE email = 'race@kakehashi.test'`,
      );
      expect(rows[0].failures).toBe(3);
      const right = await attempt('race@kakehashi.test', STAFF_PASSWORD);
      expect(right.status).toBe(429);
      expect(Number(right.headers.get('retry-after'))).toBeLessThanOrEqual(2);
    }, 30000);

    it('unknown addresses answer exactly like wrong passwords and lock the same way', async () => {
      const unknown = await attempt('nobody@kakehashi.test', 'whatever');
      const wrong = await attempt('admin@kakehashi.test', 'whatever');
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      const a = (await unknown.json()) as Record<string, unknown>;
      const b = (await wrong.json()) as Record<string, unknown>;
      expect({ ...a, instance: undefined }).toEqual({ ...b, instance: undefined });
      await attempt('nobody@kakehashi.test', 'whatever');
      expect((await attempt('nobody@kakehashi.test', 'whatever')).status).toBe(429);
      await new Promise((r) => setTimeout(r, 2100));
      expect((await attempt('admin@kakehashi.test', STAFF_PASSWORD)).status).toBe(200);
    }, 15000);
  });

  describe('sign out everywhere and account changes', () => {
    it('ends every session of the account', async () => {
      await createStaff(app, 'roaming@kakehashi.test', 'curator');
      const laptop = await signIn(app, 'roaming@kakehashi.test');
      const phone = await signIn(app, 'roaming@kakehashi.test');
      const res = await phone.call('/api/console/session/everywhere', { method: 'POST' });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { signedOut: number }).signedOut).toBe(2);
      expect((await laptop.call('/api/console/session')).status).toBe(401);
      expect((await phone.call('/api/console/session')).status).toBe(401);
    });

    it('disabling an account or changing its role ends its sessions at once', async () => {
      const id = await createStaff(app, 'leaver@kakehashi.test', 'curator');
      const leaver = await signIn(app, 'leaver@kakehashi.test');
      const admin = await signIn(app, 'admin@kakehashi.test');
      const res = await admin.call(`/api/console/staff/${id}`, {
        method: 'PATCH',
        body: JSON.stringify({ disabled: true }),
      });
      expect(res.status).toBe(200);
      expect((await leaver.call('/api/companies')).status).toBe(401);
      expect(
        (
          await fetch(`${app.url}/api/console/session`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ email: 'leaver@kakehashi.test', password: STAFF_PASSWORD }),
          })
        ).status,
      ).toBe(401);
    });
  });

  describe('private contact data', () => {
    it('appears in no list view, dashboard or audit record, only in the single-profile editor', async () => {
      const curator = await signIn(app, 'curator@kakehashi.test');
      const created = await curator.call('/api/companies', {
        method: 'POST',
        body: JSON.stringify(
          profile('TH-CANARY-1', { contact: { email: CANARY_EMAIL, phone: CANARY_PHONE, person: 'Canary' } }),
        ),
      });
      expect(created.status).toBe(201);
      await curator.call('/api/companies/TH-CANARY-1', {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/merge-patch+json' },
        body: JSON.stringify({ contact: { email: 'canary-2-' + CANARY_EMAIL }, status: 'published' }),
      });
      const viewer = await signIn(app, 'viewer@kakehashi.test');
      const admin = await signIn(app, 'admin@kakehashi.test');
      const lists = [
        '/api/companies?pageSize=200',
        '/api/companies?q=canary',
        '/api/companies?country=TH&status=published',
        '/api/console/overview',
        '/api/console/audit',
        '/api/console/audit?entityId=TH-CANARY-1',
        '/api/companies/TH-CANARY-1/history',
      ];
      for (const client of [viewer, curator, admin]) {
        for (const path of lists) {
          const res = await client.call(path);
          expect([path, res.status]).toEqual([path, 200]);
          const text = await res.text();
          expect(text).not.toContain('canary-7f3a');
          expect(text).not.toContain('CANARY-0420');
        }
      }
      // A viewer does not see contacts even in the single-profile view; a curator does (to edit them).
      expect(await (await viewer.call('/api/companies/TH-CANARY-1')).text()).not.toContain('canary-7f3a');
      expect(await (await curator.call('/api/companies/TH-CANARY-1')).text()).toContain('canary-7f3a');
    });
  });
});
