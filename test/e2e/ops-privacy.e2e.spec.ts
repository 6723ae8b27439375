import type { Pool } from 'pg';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { ConversationService } from '../../src/conversation/conversation.service';
import { RetentionService } from '../../src/privacy/retention.service';
import { thaiProfile } from '../fixtures/profiles';
import { adminAuth, startTestApp } from '../support/test-app';
import { connectChat, createSession } from '../support/web-chat-client';

/** Every row of every table of the schema as text, for "is this value held anywhere" checks. */
async function everything(pool: Pool): Promise<Map<string, string>> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const out = new Map<string, string>();
  for (const { name } of tables) {
    const { rows } = await pool.query<{ r: string }>(`SELECT t::text AS r FROM "${name}" t`);
    out.set(name, rows.map((r) => r.r).join('\n'));
  }
  return out;
}

/** Tables holding any of the canaries (their names). */
async function tablesHolding(pool: Pool, canaries: string[]): Promise<string[]> {
  const all = await everything(pool);
  return [...all].filter(([, text]) => canaries.some((c) => text.includes(c))).map(([name]) => name);
}

const waitFor = async (what: string, check: () => Promise<boolean>, ms = 15_000) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('privacy: erasure, forget me, exports, retention', () => {
  let running: RunningApp;
  let pool: Pool;
  const api = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(running.url + path, {
      ...init,
      headers: { 'content-type': 'application/json', ...adminAuth, ...init.headers },
    });

  beforeAll(async () => {
    running = await startTestApp({
      WEB_CHAT_SECRET: 'ops-privacy-web-chat-secret-0123456789',
      RETENTION_INTERVAL_MINUTES: '0',
      RETENTION_CONVERSATION_DAYS: '30',
      RETENTION_LLM_CALL_DAYS: '7',
      RETENTION_BATCH_SIZE: '2',
    });
    pool = running.database.pool;
  });
  afterAll(() => running.close());

  it('erases a company from every table; the audit log keeps that it happened, not what it held', async () => {
    const canaries = ['Erasable Canary Brake', 'erase-canary@siam-brake.example', '+66 38 999 1234'];
    const profile = thaiProfile('erase:1', {
      names: { en: 'Erasable Canary Brake Co.', th: 'บริษัท สยามเบรก จำกัด' },
      contact: {
        person: 'Canary Person',
        email: 'erase-canary@siam-brake.example',
        phone: '+66 38 999 1234',
      },
    });
    expect((await api('/api/companies', { method: 'POST', body: JSON.stringify(profile) })).status).toBe(201);
    const put = await api('/api/companies/erase:1', {
      method: 'PUT',
      headers: { 'If-Match': '"1"' },
      body: JSON.stringify({ ...profile, employees: 999 }),
    });
    expect(put.status).toBe(200);
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM companies WHERE external_id = 'erase:1'`,
    );
    const companyId = rows[0].id;
    await waitFor('search index and embedding', async () => {
      const r = await pool.query(
        `SELECT 1 FROM company_search s JOIN company_embeddings e USING (company_id) WHERE company_id = $1`,
        [companyId],
      );
      return r.rowCount === 1;
    });
    // Chat rows that name the company: a linked user, an introduction request, a card shown in a chat.
    const chat = running.app.get(ConversationService);
    await chat.handle({
      channel: 'web',
      userId: 'v-erase',
      conversationId: 'v-erase',
      text: 'Thai brake makers',
      lang: 'en',
      receivedAt: new Date(),
      meta: { linkedCompanyExternalId: 'erase:1' },
    });
    const { rows: users } = await pool.query<{ id: string }>(
      `SELECT id FROM chat_users WHERE channel_user_id = 'v-erase'`,
    );
    await pool.query(`UPDATE chat_users SET linked_company_external_id = 'erase:1' WHERE id = $1`, [
      users[0].id,
    ]);
    await pool.query(
      `INSERT INTO chat_introduction_requests (chat_user_id, target_external_id, need) VALUES ($1, 'erase:1', 'x')`,
      [users[0].id],
    );
    const { rows: conv } = await pool.query<{ id: string }>(
      `SELECT id FROM chat_conversations WHERE channel_conversation_id = 'v-erase'`,
    );
    await pool.query(
      `INSERT INTO chat_messages (conversation_id, direction, kind, text, payload)
       VALUES ($1, 'out', 'bot', 'Here are matches', $2)`,
      [
        conv[0].id,
        JSON.stringify({ cards: [{ externalId: 'erase:1', title: 'Erasable Canary Brake Co.' }] }),
      ],
    );
    expect(await tablesHolding(pool, canaries)).toEqual(
      expect.arrayContaining(['companies', 'company_contacts', 'audit_log', 'chat_messages']),
    );

    // The export holds everything, contacts included.
    const exported = await api('/api/privacy/companies/erase:1/export');
    expect(exported.status).toBe(200);
    const data = ((await exported.json()) as { data: Record<string, unknown[]> }).data;
    expect(Object.keys(data)).toEqual(
      expect.arrayContaining([
        'companies',
        'company_contacts',
        'company_search',
        'company_embeddings',
        'chat_users',
        'chat_introduction_requests',
        'audit_log',
      ]),
    );
    expect(JSON.stringify(data)).toContain('erase-canary@siam-brake.example');
    expect(data.company_embeddings).toHaveLength(1);

    expect((await api('/api/companies/erase:1?hard=true', { method: 'DELETE' })).status).toBe(204);
    expect(await tablesHolding(pool, canaries)).toEqual([]);
    for (const table of [
      'company_search',
      'company_concepts',
      'company_businesses',
      'company_terms',
      'company_enrichments',
      'company_embeddings',
      'company_contacts',
      'profile_translation_jobs',
    ]) {
      const r = await pool.query(`SELECT 1 FROM ${table} WHERE company_id = $1`, [companyId]);
      expect(r.rowCount).toBe(0);
    }
    const intro = await pool.query(
      `SELECT 1 FROM chat_introduction_requests WHERE target_external_id = 'erase:1'`,
    );
    expect(intro.rowCount).toBe(0);
    const { rows: audit } = await pool.query<{ action: string; before: unknown; after: unknown }>(
      `SELECT action, before, after FROM audit_log WHERE entity_type = 'company' AND entity_id = 'erase:1' ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['create', 'update', 'export', 'erase']),
    );
    expect(audit.every((a) => a.before === null && a.after === null)).toBe(true);
    expect((await api('/api/privacy/companies/erase:1/export')).status).toBe(404);
  });

  it('forgets a LINE user everywhere: messages, LINE payloads, translations, audit without content', async () => {
    const chat = running.app.get(ConversationService);
    const user = 'Uforgetcanary000000000000000000001';
    const canary = 'FORGET-CANARY-7731 auto parts';
    const say = (text?: string, postback?: string) =>
      chat.handle({
        channel: 'line',
        userId: user,
        conversationId: user,
        text,
        postback,
        lang: 'en',
        receivedAt: new Date(),
      });
    await say(canary);
    // What the LINE channel keeps about the same exchange.
    await pool.query(
      `INSERT INTO line_inbox (event_key, conversation_key, event_type, payload, status)
       VALUES ('forget-1', $1, 'message', $2, 'done')`,
      [`user:${user}`, JSON.stringify({ message: { text: canary } })],
    );
    await pool.query(
      `INSERT INTO line_outbox (conversation_key, to_id, messages, status) VALUES ($1, $2, $3, 'sent')`,
      [`user:${user}`, user, JSON.stringify([{ type: 'text', text: `echo ${canary}` }])],
    );
    await pool.query(`INSERT INTO line_users (user_id, profile_language) VALUES ($1, 'en')`, [user]);
    await pool.query(
      `INSERT INTO translation_cache (cache_key, source_lang, target_lang, translation, model, prompt_version, glossary_version)
       VALUES ('forget-tr-1', 'en', 'th', $1, 'm', 'p', 1)`,
      [`TH ${canary}`],
    );
    expect(await tablesHolding(pool, ['FORGET-CANARY-7731'])).toEqual(
      expect.arrayContaining(['chat_messages', 'line_inbox', 'line_outbox', 'translation_cache']),
    );
    const exported = await api(`/api/privacy/chat-users/line/${user}/export`);
    expect(exported.status).toBe(200);
    const data = ((await exported.json()) as { data: Record<string, unknown[]> }).data;
    expect(Object.keys(data)).toEqual(
      expect.arrayContaining(['chat_users', 'chat_messages', 'line_users', 'line_inbox', 'line_outbox']),
    );
    expect(JSON.stringify(data.chat_messages)).toContain('FORGET-CANARY-7731');

    await say('forget me');
    const done = await say(undefined, 'action=forget-confirm');
    expect(done.texts.join(' ')).toMatch(/delete/i);
    expect(await tablesHolding(pool, ['FORGET-CANARY-7731', user])).toEqual(
      // The event row of the confirmation itself is finished by the LINE worker, not part of this test.
      [],
    );
    const { rows: audit } = await pool.query(
      `SELECT * FROM audit_log WHERE entity_type = 'chat_user' AND action = 'forget' ORDER BY id DESC LIMIT 1`,
    );
    expect(JSON.stringify(audit[0])).not.toContain('FORGET-CANARY');
    expect((await api(`/api/privacy/chat-users/line/${user}/export`)).status).toBe(404);
  });

  it('forgets a web chat visitor over socket.io, and exports are for admins only', async () => {
    const session = await createSession(running.url, { lang: 'en' });
    const c = await connectChat(running.url, { token: session.token });
    try {
      await c.request('user_message', { text: 'WEB-CANARY-5521 Thai food makers', clientMessageId: 'w-1' });
      await c.next('bot_message');
      const { rows } = await pool.query<{ channel_user_id: string }>(
        `SELECT u.channel_user_id FROM chat_users u JOIN chat_messages m ON m.chat_user_id = u.id
         WHERE m.text LIKE 'WEB-CANARY-5521%'`,
      );
      const visitor = rows[0].channel_user_id;
      expect((await fetch(`${running.url}/api/privacy/chat-users/web/${visitor}/export`)).status).toBe(401);
      expect((await api(`/api/privacy/chat-users/web/${visitor}/export`)).status).toBe(200);
      expect((await api(`/api/privacy/chat-users/mail/${visitor}/export`)).status).toBe(400);
      await c.request('user_message', { text: 'forget me', clientMessageId: 'w-2' });
      await c.next('bot_message');
      await c.request('postback', { data: 'action=forget-confirm', clientMessageId: 'w-3' });
      await c.next('forgotten');
      expect(await tablesHolding(pool, ['WEB-CANARY-5521'])).toEqual([]);
    } finally {
      c.close();
    }
  });

  it('lets an admin forget a chat user on their behalf', async () => {
    const chat = running.app.get(ConversationService);
    await chat.handle({
      channel: 'web',
      userId: 'v-staff-forget',
      conversationId: 'v-staff-forget',
      text: 'STAFFFORGET-CANARY Thai food makers',
      lang: 'en',
      receivedAt: new Date(),
    });
    expect(await tablesHolding(pool, ['STAFFFORGET-CANARY'])).toEqual(
      expect.arrayContaining(['chat_messages']),
    );
    const res = await api('/api/privacy/chat-users/web/v-staff-forget', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ forgotten: true, conversations: 1 });
    expect(await tablesHolding(pool, ['STAFFFORGET-CANARY'])).toEqual([]);
    expect((await api('/api/privacy/chat-users/web/v-staff-forget', { method: 'DELETE' })).status).toBe(404);
    const { rows } = await pool.query(
      `SELECT actor FROM audit_log WHERE action = 'forget-requested' AND entity_id = 'web/v-staff-forget'`,
    );
    expect(rows).toEqual([{ actor: expect.stringMatching(/^admin-env:/) }]);
  });

  it('purges by retention in batches: old conversations, quiet users, LLM calls', async () => {
    const { rows: u } = await pool.query<{ id: string }>(
      `INSERT INTO chat_users (channel, channel_user_id, last_seen_at) VALUES ('web', 'old-visitor', now() - interval '40 days')
       RETURNING id`,
    );
    for (let i = 0; i < 5; i++) {
      const { rows: c } = await pool.query<{ id: string }>(
        `INSERT INTO chat_conversations (channel, channel_conversation_id, chat_user_id, last_message_at)
         VALUES ('web', $1, $2, now() - interval '31 days') RETURNING id`,
        [`old-${i}`, u[0].id],
      );
      await pool.query(
        `INSERT INTO chat_messages (conversation_id, chat_user_id, direction, kind, text) VALUES ($1, $2, 'in', 'text', 'old')`,
        [c[0].id, u[0].id],
      );
    }
    await pool.query(
      `INSERT INTO chat_conversations (channel, channel_conversation_id, last_message_at) VALUES ('web', 'recent', now())`,
    );
    await pool.query(
      `INSERT INTO llm_calls (at, task, endpoint, model, prompt_version, outcome, latency_ms)
       SELECT now() - interval '8 days', 'reply', 'e', 'm', 'p', 'ok', 1 FROM generate_series(1, 3)`,
    );
    const purged = await running.app.get(RetentionService).runOnce();
    expect(purged).toMatchObject({ chat_conversations: 5, chat_users: 1, llm_calls: 3 });
    expect(
      (await pool.query(`SELECT 1 FROM chat_conversations WHERE channel_conversation_id = 'recent'`))
        .rowCount,
    ).toBe(1);
    // Idempotent: a second run finds nothing more.
    const again = await running.app.get(RetentionService).runOnce();
    expect(Object.values(again).reduce((a, b) => a + b, 0)).toBe(0);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toMatch(/kakehashi_retention_purged_rows_total\{table="chat_conversations"\} 5/);
  });
});
