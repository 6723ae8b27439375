import type { RunningApp } from '../../src/bootstrap/start-app';
import { buildWebApps } from '../support/browser';
import { STAFF_PASSWORD, createStaff, signIn } from '../support/console-session';
import { adminAuth, startTestApp } from '../support/test-app';
import { connectChat, createSession } from '../support/web-chat-client';

const profile = (externalId: string) => ({
  externalId,
  country: 'TH',
  names: { th: 'บริษัท ตัวอย่าง จำกัด', en: 'Example Co., Ltd.' },
  summary: { en: 'Makes things.' },
});

describe('console administration, review marks, overview and pages', () => {
  let app: RunningApp;

  beforeAll(async () => {
    buildWebApps();
    app = await startTestApp();
    await createStaff(app, 'admin@kakehashi.test', 'admin');
  });
  afterAll(async () => app.close());

  it('admins create staff (password never echoed, hashed with argon2id) and the account can sign in', async () => {
    const admin = await signIn(app, 'admin@kakehashi.test');
    const weak = await admin.call('/api/console/staff', {
      method: 'POST',
      body: JSON.stringify({ email: 'new@kakehashi.test', role: 'curator', password: 'short' }),
    });
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as { errors: Array<{ path: string }> }).errors[0].path).toBe('password');
    // Long enough, but a common password with digits added.
    const common = await admin.call('/api/console/staff', {
      method: 'POST',
      body: JSON.stringify({ email: 'new@kakehashi.test', role: 'curator', password: 'Password2024!' }),
    });
    expect(common.status).toBe(400);
    const refused = (await common.json()) as { errors: Array<Record<string, unknown>> };
    expect(JSON.stringify(refused)).toContain('common password');
    // Named by kind, so the console says it in its reader's language.
    expect(refused.errors[0]).toMatchObject({
      path: 'password',
      code: 'weak_password',
      params: { reason: 'common' },
    });
    const res = await admin.call('/api/console/staff', {
      method: 'POST',
      body: JSON.stringify({
        email: 'New@Kakehashi.test',
        displayName: 'New',
        role: 'curator',
        password: STAFF_PASSWORD,
      }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown>;
    expect(created).toMatchObject({ email: 'new@kakehashi.test', role: 'curator', disabled: false });
    expect(JSON.stringify(created)).not.toMatch(/password|argon/i);
    const { rows } = await app.database.pool.query<{ password_hash: string }>(
      'SELECT password_hash FROM staff_accounts WHERE email = $1',
      ['new@kakehashi.test'],
    );
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const dup = await admin.call('/api/console/staff', {
      method: 'POST',
      body: JSON.stringify({ email: 'new@kakehashi.test', role: 'viewer', password: STAFF_PASSWORD }),
    });
    expect(dup.status).toBe(409);
    await signIn(app, 'NEW@kakehashi.test');
    const list = (await (await admin.call('/api/console/staff')).json()) as {
      items: Array<{ email: string }>;
    };
    expect(list.items.map((s) => s.email)).toEqual(['admin@kakehashi.test', 'new@kakehashi.test']);
  });

  it('a password change ends the sessions of that account, and the old password stops working', async () => {
    const id = await createStaff(app, 'rotate@kakehashi.test', 'viewer');
    const user = await signIn(app, 'rotate@kakehashi.test');
    const admin = await signIn(app, 'admin@kakehashi.test');
    const res = await admin.call(`/api/console/staff/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ password: 'a brand new passphrase' }),
    });
    expect(res.status).toBe(200);
    expect((await user.call('/api/console/session')).status).toBe(401);
    await expect(signIn(app, 'rotate@kakehashi.test')).rejects.toThrow(/401/);
    await signIn(app, 'rotate@kakehashi.test', 'a brand new passphrase');
  });

  it('the last active admin cannot be demoted or disabled', async () => {
    const admin = await signIn(app, 'admin@kakehashi.test');
    const me = (await (await admin.call('/api/console/session')).json()) as { staff: { id: string } };
    for (const body of [{ role: 'viewer' }, { disabled: true }]) {
      const res = await admin.call(`/api/console/staff/${me.staff.id}`, {
        method: 'PATCH',
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(409);
    }
    expect(
      (await admin.call('/api/console/staff/not-a-uuid', { method: 'PATCH', body: '{"role":"viewer"}' }))
        .status,
    ).toBe(400);
  });

  it('admins create API tokens (shown once), which work until revoked; both are audited', async () => {
    const admin = await signIn(app, 'admin@kakehashi.test');
    const created = (await (
      await admin.call('/api/console/tokens', {
        method: 'POST',
        body: JSON.stringify({ name: 'bank widget', role: 'viewer' }),
      })
    ).json()) as { id: string; token: string };
    expect(created.token).toMatch(/^kkh_/);
    const listed = await (await admin.call('/api/console/tokens')).text();
    expect(listed).toContain('bank widget');
    expect(listed).not.toContain(created.token);
    const withToken = () =>
      fetch(`${app.url}/api/companies`, { headers: { Authorization: `Bearer ${created.token}` } });
    expect((await withToken()).status).toBe(200);
    expect((await admin.call(`/api/console/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await withToken()).status).toBe(401);
    expect((await admin.call(`/api/console/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(404);
    const audit = (await (
      await admin.call(`/api/console/audit?entityType=api_token&entityId=${created.id}`)
    ).json()) as {
      items: Array<{ action: string; actor: string }>;
    };
    expect(audit.items.map((a) => a.action)).toEqual(['revoke', 'create']);
    expect(audit.items[0].actor).toBe('session:admin@kakehashi.test');
    expect(JSON.stringify(audit)).not.toContain(created.token);
  });

  it('review marks: approve and mark with If-Match, audited, and a stale version is refused', async () => {
    const admin = await signIn(app, 'admin@kakehashi.test');
    await fetch(`${app.url}/api/companies`, {
      method: 'POST',
      headers: { ...adminAuth, 'Content-Type': 'application/json' },
      body: JSON.stringify(profile('TH-REVIEW-1')),
    });
    const mark = await admin.call('/api/console/profiles/TH-REVIEW-1/review', {
      method: 'POST',
      headers: { 'If-Match': '"1"' },
      body: JSON.stringify({ markMachineTranslated: ['summary.en', 'names.en'] }),
    });
    expect(mark.status).toBe(200);
    expect(mark.headers.get('etag')).toBe('"2"');
    expect(await mark.json()).toEqual({ version: 2, machineTranslated: ['names.en', 'summary.en'] });
    const pending = (await (await admin.call('/api/companies?pendingReview=true')).json()) as {
      total: number;
    };
    expect(pending.total).toBe(1);
    const stale = await admin.call('/api/console/profiles/TH-REVIEW-1/review', {
      method: 'POST',
      headers: { 'If-Match': '"1"' },
      body: JSON.stringify({ approve: ['names.en'] }),
    });
    expect(stale.status).toBe(412);
    const bad = await admin.call('/api/console/profiles/TH-REVIEW-1/review', {
      method: 'POST',
      body: JSON.stringify({ approve: ['contact.email'] }),
    });
    expect(bad.status).toBe(400);
    const approve = await admin.call('/api/console/profiles/TH-REVIEW-1/review', {
      method: 'POST',
      headers: { 'If-Match': '"2"' },
      body: JSON.stringify({ approve: ['names.en', 'summary.en'] }),
    });
    expect(await approve.json()).toEqual({ version: 3, machineTranslated: [] });
    const history = (await (await admin.call('/api/companies/TH-REVIEW-1/history')).json()) as {
      items: Array<{ action: string }>;
    };
    expect(history.items.map((h) => h.action)).toEqual(['review', 'review', 'create']);
    expect(
      (await admin.call('/api/console/profiles/NOPE/review', { method: 'POST', body: '{}' })).status,
    ).toBe(404);
  });

  it('overview counts profiles by country and status, missing names and pending review', async () => {
    const admin = await signIn(app, 'admin@kakehashi.test');
    const overview = (await (await admin.call('/api/console/overview')).json()) as {
      profiles: { byCountryStatus: unknown[]; missingNames: unknown[]; pendingReview: number };
      activity: Array<{ entityType: string; count: number }>;
    };
    expect(overview.profiles.byCountryStatus).toEqual([{ country: 'TH', status: 'draft', count: 1 }]);
    expect(overview.profiles.missingNames).toEqual([{ country: 'TH', lang: 'ja', count: 1 }]);
    expect(overview.profiles.pendingReview).toBe(0);
    expect(overview.activity.some((a) => a.entityType === 'company')).toBe(true);
    expect(overview.activity.some((a) => a.entityType === 'staff')).toBe(false);
  });

  it('overview counts the chat: conversations, requests, companies shown, introductions, relay messages', async () => {
    const admin = await signIn(app, 'admin@kakehashi.test');
    const chat = async () =>
      ((await (await admin.call('/api/console/overview')).json()) as { chat: Record<string, unknown> }).chat;
    const before = await chat();
    const { token } = await createSession(app.url, { lang: 'ja' });
    const visitor = await connectChat(app.url, { token });
    await visitor.request('user_message', { text: 'こんにちは', clientMessageId: 'o1' });
    await visitor.request('user_message', { text: 'タイの自動車部品メーカー', clientMessageId: 'o2' });
    visitor.close();
    const after = await chat();
    expect(after).toMatchObject({
      conversations: (before.conversations as number) + 1,
      requests: (before.requests as number) + 2,
      relayMessages: 0,
      introductions: [],
    });
  });

  it('capabilities say whether translation can work', async () => {
    const admin = await signIn(app, 'admin@kakehashi.test');
    expect(await (await admin.call('/api/console/capabilities')).json()).toEqual({
      llm: { configured: false, models: [] },
    });
  });

  it('remembers the UI language on the account', async () => {
    const admin = await signIn(app, 'admin@kakehashi.test');
    expect(
      (await admin.call('/api/console/session/preferences', { method: 'PUT', body: '{"uiLang":"th"}' }))
        .status,
    ).toBe(200);
    expect(
      (await admin.call('/api/console/session/preferences', { method: 'PUT', body: '{"uiLang":"xx"}' }))
        .status,
    ).toBe(400);
    const again = await signIn(app, 'admin@kakehashi.test');
    expect(
      ((await (await again.call('/api/console/session')).json()) as { staff: { uiLang: string } }).staff
        .uiLang,
    ).toBe('th');
  });

  it('serves the bundle by manifest name only, cached immutably when the hash matches', async () => {
    const admin = await signIn(app, 'admin@kakehashi.test');
    const html = await (await admin.call('/console/profiles')).text();
    const src = /src="(\/console\/assets\/console\.js\?v=[0-9a-f]+)"/.exec(html)?.[1];
    expect(src).toBeDefined();
    const js = await fetch(`${app.url}${src}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${app.url}/console/assets/console.js`)).headers.get('cache-control')).toBe(
      'no-cache',
    );
    for (const path of [
      '/console/assets/manifest.json',
      '/console/assets/..%2Fmanifest.json',
      '/console/assets/x.js',
    ])
      expect((await fetch(`${app.url}${path}`)).status).toBe(404);
    expect((await fetch(`${app.url}/console`, { redirect: 'manual' })).headers.get('location')).toBe(
      '/console/profiles',
    );
  });
});
