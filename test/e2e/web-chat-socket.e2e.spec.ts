import type { RunningApp } from '../../src/bootstrap/start-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { identitySignature, issueVisitorToken } from '../../src/web-chat/visitor-token';
import { type ChatClient, connectChat, createSession } from '../support/web-chat-client';
import { startTestApp } from '../support/test-app';

const SECRET = 'e2e-web-chat-secret-0123456789abcdef';
const IDENTITY_SECRET = 'e2e-host-identity-secret-0123456789';
const ALLOWED = 'https://bank.example';

let running: RunningApp;
const open: ChatClient[] = [];

beforeAll(async () => {
  running = await startTestApp(
    {
      WEB_CHAT_SECRET: SECRET,
      WEB_CHAT_IDENTITY_SECRET: IDENTITY_SECRET,
      WEB_CHAT_ALLOWED_ORIGINS: ALLOWED,
      WEB_CHAT_RATE_BURST: '3',
      WEB_CHAT_RATE_PER_MINUTE: '6',
      WEB_CHAT_FLOOD_STRIKES: '4',
      WEB_CHAT_MAX_MESSAGE_CHARS: '500',
      WEB_CHAT_MAX_PAYLOAD_BYTES: '4096',
    },
    { seed: true },
  );
  await running.app.get(SearchIndexerService).waitUntilIdle();
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});
afterAll(async () => running?.close());

async function chat(
  body: Record<string, unknown> = {},
  auth: Record<string, unknown> = {},
): Promise<ChatClient> {
  const { token } = await createSession(running.url, body);
  const c = await connectChat(running.url, { token, ...auth });
  open.push(c);
  return c;
}

async function rejected(
  auth: Record<string, unknown>,
  origin?: string,
): Promise<{ message: string; code?: string }> {
  try {
    const c = await connectChat(running.url, auth, { origin });
    open.push(c);
  } catch (err) {
    const e = err as Error & { data?: { code?: string } };
    return { message: e.message, code: e.data?.code };
  }
  throw new Error('the connection was accepted');
}

describe('sessions', () => {
  it('issues a signed, expiring token', async () => {
    const res = await fetch(`${running.url}/api/chat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lang: 'ja' }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; expiresAt: string };
    expect(body.token).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now() + 3600_000);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('checks a host-site identity and rejects a forged or expired one', async () => {
    const expires = Math.floor(Date.now() / 1000) + 300;
    const identity = { company: 'seed:th-001', user: 'u-42', expires };
    const good = { ...identity, signature: identitySignature(IDENTITY_SECRET, identity) };
    await expect(createSession(running.url, { identity: good })).resolves.toHaveProperty('token');
    const forged = { ...identity, signature: identitySignature('another-secret-entirely-000000', identity) };
    const r1 = await fetch(`${running.url}/api/chat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity: forged }),
    });
    expect(r1.status).toBe(401);
    const past = { ...identity, expires: Math.floor(Date.now() / 1000) - 5 };
    const r2 = await fetch(`${running.url}/api/chat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity: { ...past, signature: identitySignature(IDENTITY_SECRET, past) } }),
    });
    expect(r2.status).toBe(401);
  });

  it('answers CORS only for allowed origins, and refuses sessions to other sites', async () => {
    const ok = await fetch(`${running.url}/api/chat/sessions`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const evil = await fetch(`${running.url}/api/chat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: '{}',
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('handshake', () => {
  it('refuses a missing, forged or expired token with connect_error', async () => {
    expect(await rejected({})).toMatchObject({ code: 'token-missing' });
    const { token } = issueVisitorToken('not-the-server-secret-000000000', { vid: 'w-x' }, 600);
    expect(await rejected({ token })).toMatchObject({ code: 'token-invalid' });
    const { token: good } = await createSession(running.url);
    const tampered = good.replace(/\.([\w-]+)\./, (_, p: string) => `.${p.slice(0, -2)}AA.`);
    expect(await rejected({ token: tampered })).toMatchObject({ code: 'token-invalid' });
    const expired = issueVisitorToken(SECRET, { vid: 'w-old' }, 60, Date.now() - 3600_000).token;
    expect(await rejected({ token: expired })).toMatchObject({ code: 'token-expired' });
  });

  it('refuses an Origin that is neither the same origin nor allowed; accepts an allowed one', async () => {
    const { token } = await createSession(running.url);
    expect(await rejected({ token }, 'https://evil.example')).toMatchObject({ code: 'origin-not-allowed' });
    const c = await connectChat(running.url, { token }, { origin: ALLOWED });
    open.push(c);
    expect(c.socket.connected).toBe(true);
    const same = await connectChat(running.url, { token }, { origin: running.url });
    open.push(same);
    expect(same.socket.connected).toBe(true);
  });
});

describe('conversation over socket.io', () => {
  it('a Thai visitor finds Japanese partners, narrows them down and pages', async () => {
    const c = await chat({ lang: 'th' });
    const ack = await c.request('user_message', { text: 'หาผู้ผลิตเครื่องจักรญี่ปุ่น', clientMessageId: 'th-1' });
    expect(ack).toMatchObject({ ok: true });
    expect(await c.next('bot_typing')).toEqual({ typing: true });
    const msg = await c.next('bot_message');
    expect(msg.lang).toBe('th');
    expect(msg.id).toMatch(/^\d+$/);
    expect(msg.replyTo).toBe('th-1');
    expect(msg.text).toMatch(/ญี่ปุ่น/);
    expect(msg.text).not.toMatch(/ครับ|ค่ะ/);
    expect(msg.cards.length).toBeGreaterThanOrEqual(3);
    expect(msg.cards.every((card: { country: string }) => card.country === 'JP')).toBe(true);
    expect(msg.cards[0].buttons.map((b: { postback: string }) => b.postback)).toEqual([
      expect.stringMatching(/^action=details&id=/),
      expect.stringMatching(/^action=intro&id=/),
    ]);
    const labels = msg.quickReplies.map((q: { label: string }) => q.label);
    expect(labels).toContain('ดูเพิ่มเติม');

    await c.request('user_message', { text: 'เพิ่มเติม', clientMessageId: 'th-2' });
    const more = await c.next('bot_message');
    const first = new Set(msg.cards.map((x: { externalId: string }) => x.externalId));
    expect(more.cards.length).toBeGreaterThan(0);
    expect(more.cards.some((x: { externalId: string }) => first.has(x.externalId))).toBe(false);

    await c.request('postback', { data: more.cards[0].buttons[0].postback, clientMessageId: 'th-3' });
    const details = await c.next('bot_message');
    expect(details.cards[0].externalId).toBe(more.cards[0].externalId);
    expect(details.text).toMatch(/ที่ตั้ง|อุตสาหกรรม/);
  });

  it('is idempotent on clientMessageId: a resent message gets no second answer', async () => {
    const c = await chat({ lang: 'ja' });
    const a1 = await c.request('user_message', { text: 'ヘルプ', clientMessageId: 'dup-1' });
    await c.next('bot_message');
    const a2 = await c.request('user_message', { text: 'ヘルプ', clientMessageId: 'dup-1' });
    expect(a2).toMatchObject({ ok: true, duplicate: true, messageId: a1.messageId });
    await new Promise((r) => setTimeout(r, 200));
    expect(c.events.filter((e) => e.event === 'bot_message')).toHaveLength(1);
  });

  it('resumes after a reconnect with the messages missed, without duplicates', async () => {
    const { token } = await createSession(running.url, { lang: 'ja' });
    const a = await connectChat(running.url, { token });
    open.push(a);
    await a.request('user_message', { text: 'ヘルプ', clientMessageId: 'r-1' });
    const seen = await a.next('bot_message');
    // A second tab sends while the first one is offline.
    a.close();
    const b = await connectChat(running.url, { token });
    open.push(b);
    await b.request('user_message', { text: 'タイの食品メーカーを探しています', clientMessageId: 'r-2' });
    const missed1 = await b.next('bot_message');
    await b.request('user_message', { text: 'もっと', clientMessageId: 'r-3' });
    const missed2 = await b.next('bot_message');
    const back = await connectChat(running.url, { token, lastSeenId: seen.id });
    open.push(back);
    await new Promise((r) => setTimeout(r, 300));
    const replayed = back.events.filter((e) => e.event === 'bot_message').map((e) => e.payload.id);
    expect(replayed).toEqual([missed1.id, missed2.id]);
    const again = await connectChat(running.url, { token, lastSeenId: missed2.id });
    open.push(again);
    await new Promise((r) => setTimeout(r, 300));
    expect(again.events.filter((e) => e.event === 'bot_message')).toHaveLength(0);
  });

  it('refuses an oversize message, and drops a client sending an oversize packet', async () => {
    const c = await chat({ lang: 'en' });
    const ack = await c.request('user_message', { text: 'x '.repeat(300), clientMessageId: 'big-1' });
    expect(ack).toMatchObject({ ok: false, error: 'message-too-long' });
    expect(ack.message).toMatch(/500/);
    const dropped = new Promise<string>((resolve) =>
      c.socket.on('disconnect', (reason: string) => resolve(reason)),
    );
    c.socket.emit('user_message', { text: 'y'.repeat(10_000), clientMessageId: 'big-2' });
    await expect(dropped).resolves.toMatch(/close|error/);
  });

  it('throttles a fast sender, then disconnects a flooder', async () => {
    const c = await chat({ lang: 'en' });
    const acks: Array<{ ok: boolean; error?: string }> = [];
    const disconnected = new Promise<void>((resolve) => c.socket.on('disconnect', () => resolve()));
    for (let i = 0; i < 3; i++) acks.push(await c.request('postback', { data: 'action=help' }));
    expect(acks.every((a) => a.ok)).toBe(true);
    const refused = await c.request('postback', { data: 'action=help' });
    expect(refused).toMatchObject({ ok: false, error: 'rate-limited' });
    expect(c.events.some((e) => e.event === 'throttled')).toBe(true);
    for (let i = 0; i < 5; i++) c.socket.emit('postback', { data: 'action=help' });
    await disconnected;
    expect(c.socket.connected).toBe(false);
  });

  it('forgets a visitor after confirmation', async () => {
    const c = await chat({ lang: 'en' });
    await c.request('user_message', { text: 'Thai food manufacturers', clientMessageId: 'f-1' });
    const found = await c.next('bot_message');
    await c.request('user_message', { text: 'forget me', clientMessageId: 'f-2' });
    const confirm = await c.next('bot_message');
    expect(confirm.quickReplies.map((q: { postback: string }) => q.postback)).toContain(
      'action=forget-confirm',
    );
    await c.request('postback', { data: 'action=forget-confirm', clientMessageId: 'f-3' });
    const done = await c.next('bot_message');
    expect(done.id).toBeNull();
    expect(done.text).toMatch(/deleted/);
    await c.next('forgotten');
    const { rows } = await running.database.pool.query(
      `SELECT count(*)::int AS n FROM chat_messages m JOIN chat_conversations c ON c.id = m.conversation_id
       WHERE c.channel = 'web' AND m.id >= $1::bigint - 1 AND c.channel_conversation_id NOT LIKE 'h-%'
         AND m.text ILIKE '%Thai food manufacturers%'`,
      [found.id],
    );
    expect(rows[0].n).toBe(0);
    const audit = await running.database.pool.query(
      `SELECT after FROM audit_log WHERE entity_type = 'chat_user' AND action = 'forget' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.rows[0].after).toMatchObject({ messagesDeleted: expect.any(Number) });
    expect(JSON.stringify(audit.rows[0])).not.toMatch(/Thai food/);
  });
});

describe('widget assets', () => {
  it('serves the demo page at / with a CSP and the widget script tag', async () => {
    const res = await fetch(`${running.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await res.text()).toContain('<script src="/widget.js" async></script>');
  });
});
