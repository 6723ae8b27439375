import type { RunningApp } from '../../src/bootstrap/start-app';
import { type ConsoleClient, createStaff, signIn } from '../support/console-session';
import { type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';
import { type FakeOpenAiServer, fakeTranslation, startFakeOpenAiServer } from '../support/fake-openai-server';
import { eventually, lineEnv, postWebhook, textEvent, webhookBody } from '../support/line-test-app';
import { startTestApp } from '../support/test-app';
import { type ChatClient, connectChat, createSession } from '../support/web-chat-client';

/**
 * The console's Conversations: the list and needs-staff queue, reading a thread, take over (the bot goes quiet
 * and the user is told in their language), staff replies delivered on the thread's channel (web chat socket,
 * LINE push through the outbox), hand back, the audit trail by id, and roles. Without an LLM staff replies go
 * as written with a note; with one (a local fake OpenAI server) they are translated into the user's language.
 */
const json = async (res: Response) => await res.json();

async function conversationIdOf(app: RunningApp, channel: string, channelConversationId: string) {
  const { rows } = await app.database.pool.query<{ id: string }>(
    `SELECT id FROM chat_conversations WHERE channel = $1 AND channel_conversation_id = $2`,
    [channel, channelConversationId],
  );
  return rows[0].id;
}

async function webVisitor(app: RunningApp, lang: 'ja' | 'th' | 'en') {
  const { token } = await createSession(app.url, { lang });
  return { client: await connectChat(app.url, { token }) };
}

let counter = 0;
const say = (client: ChatClient, text: string) =>
  client.request('user_message', { text, clientMessageId: `m${++counter}` });
const botMessages = (client: ChatClient) =>
  client.events.filter((e) => e.event === 'bot_message').map((e) => e.payload);

describe('console conversations without an LLM', () => {
  let fakeLine: FakeLineApi;
  let app: RunningApp;
  let curator: ConsoleClient;
  let viewer: ConsoleClient;

  beforeAll(async () => {
    fakeLine = await startFakeLineApi();
    app = await startTestApp(lineEnv(fakeLine.url), { seed: false });
    await createStaff(app, 'cura@k.test', 'curator');
    await createStaff(app, 'view@k.test', 'viewer');
    curator = await signIn(app, 'cura@k.test');
    viewer = await signIn(app, 'view@k.test');
  });
  afterAll(async () => {
    await app?.close();
    await fakeLine?.close();
  });

  it('lists a web user who asked for a human in the needs-staff queue, takes over, replies, hands back', async () => {
    const { client } = await webVisitor(app, 'th');
    await say(client, 'สวัสดีครับ');
    const handoff = await client.request('postback', { data: 'action=human', clientMessageId: 'h1' });
    expect(handoff.ok).toBe(true);
    const rows = await app.database.pool.query<{ id: string; channel_conversation_id: string }>(
      `SELECT id, channel_conversation_id FROM chat_conversations WHERE channel = 'web' AND needs_staff_since IS NOT NULL`,
    );
    expect(rows.rows).toHaveLength(1);
    const id = rows.rows[0].id;
    const visitorId = rows.rows[0].channel_conversation_id;

    // The queue: filtered by channel, language and needs-staff; no channel ids, no message text.
    const queue = await json(
      await viewer.call('/api/console/conversations?queue=needs-staff&channel=web&lang=th'),
    );
    expect(queue.items.map((c: any) => c.id)).toEqual([id]);
    expect(queue.waiting).toBe(1);
    expect(queue.translationAvailable).toBe(false);
    expect(queue.items[0]).toMatchObject({ channel: 'web', lang: 'th', mode: 'bot' });
    const listText = JSON.stringify(queue);
    expect(listText).not.toContain(visitorId);
    expect(listText).not.toContain('สวัสดี');
    expect((await json(await viewer.call('/api/console/conversations?lang=ja'))).items).toHaveLength(0);
    expect((await json(await viewer.call('/api/console/conversations?channel=line'))).items).toHaveLength(0);
    expect(
      (await json(await viewer.call('/api/console/conversations?active=1h&channel=web'))).items,
    ).toHaveLength(1);
    expect((await viewer.call('/api/console/conversations?channel=fax')).status).toBe(400);

    // The thread: the user's messages and the bot's answers, without the visitor id.
    const view = await json(await viewer.call(`/api/console/conversations/${id}`));
    expect(view.messages.map((m: any) => m.from)).toEqual(['user', 'bot', 'user', 'bot']);
    expect(view.messages[0]).toMatchObject({ text: 'สวัสดีครับ' });
    expect(view.messages[2]).toMatchObject({ postback: 'action=human' });
    expect(JSON.stringify(view)).not.toContain(visitorId);

    // Viewers read, but cannot take over or write.
    expect((await viewer.call(`/api/console/conversations/${id}/take-over`, { method: 'POST' })).status).toBe(
      403,
    );
    expect(
      (
        await viewer.call(`/api/console/conversations/${id}/messages`, {
          method: 'POST',
          body: JSON.stringify({ text: 'hi', lang: 'en' }),
        })
      ).status,
    ).toBe(403);
    // Writing before taking over is refused; CSRF is required.
    expect(
      (
        await curator.call(`/api/console/conversations/${id}/messages`, {
          method: 'POST',
          body: JSON.stringify({ text: 'hi', lang: 'en' }),
        })
      ).status,
    ).toBe(409);
    expect(
      (await curator.call(`/api/console/conversations/${id}/take-over`, { method: 'POST', csrf: false }))
        .status,
    ).toBe(403);

    // Take over: the user is told in Thai, the queue empties, a second take-over is refused.
    const before = botMessages(client).length;
    const taken = await curator.call(`/api/console/conversations/${id}/take-over`, { method: 'POST' });
    expect(taken.status).toBe(200);
    expect(await json(taken)).toMatchObject({
      mode: 'staff',
      needsStaffSince: null,
      staffTakenBy: 'cura@k.test',
    });
    await eventually(() => botMessages(client).length > before, 'join notice');
    const joined = botMessages(client)[before];
    expect(joined).toMatchObject({ lang: 'th', from: 'bot' });
    expect(joined.text).toContain('เจ้าหน้าที่เข้าร่วม');
    expect(
      (await curator.call(`/api/console/conversations/${id}/take-over`, { method: 'POST' })).status,
    ).toBe(409);
    expect(
      (await json(await viewer.call('/api/console/conversations?queue=needs-staff'))).items,
    ).toHaveLength(0);
    expect((await json(await viewer.call('/api/console/conversations?queue=staff'))).items).toHaveLength(1);

    // The bot is quiet: the user's message is stored, nothing answers.
    const quiet = botMessages(client).length;
    expect((await say(client, 'ต้องการคุยกับคน')).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(botMessages(client)).toHaveLength(quiet);

    // Staff reply in English with no model: sent as written, with a note to staff.
    const sent = await curator.call(`/api/console/conversations/${id}/messages`, {
      method: 'POST',
      body: JSON.stringify({ text: 'Hello, I am your coordinator.', lang: 'en' }),
    });
    expect(sent.status).toBe(201);
    const sentBody = await json(sent);
    expect(sentBody).toMatchObject({
      translated: false,
      untranslated: true,
      note: 'no-translation-model',
      to: 'th',
    });
    await eventually(() => botMessages(client).length > quiet, 'staff message');
    expect(botMessages(client)[quiet]).toMatchObject({
      id: sentBody.messageId,
      text: 'Hello, I am your coordinator.',
      from: 'staff',
    });
    // Translation on demand says clearly that no model is configured.
    const tr = await viewer.call(
      `/api/console/conversations/${id}/messages/${view.messages[0].id}/translation`,
      {
        method: 'POST',
        body: JSON.stringify({ to: 'en' }),
      },
    );
    expect(tr.status).toBe(503);
    expect((await json(tr)).type).toContain('translation-not-configured');

    // Hand back: told in Thai; the bot answers again.
    const back = await curator.call(`/api/console/conversations/${id}/hand-back`, { method: 'POST' });
    expect(back.status).toBe(200);
    expect(await json(back)).toMatchObject({ mode: 'bot', staffTakenBy: null });
    await eventually(() => botMessages(client).some((m) => m.text.includes('บอตจะช่วย')), 'hand-back notice');
    const afterBack = botMessages(client).length;
    await say(client, 'ช่วยด้วย');
    await eventually(() => botMessages(client).length > afterBack, 'the bot answers again');
    expect(
      (await curator.call(`/api/console/conversations/${id}/hand-back`, { method: 'POST' })).status,
    ).toBe(409);

    // The thread as staff see it now.
    const full = await json(await viewer.call(`/api/console/conversations/${id}`));
    const staffMsg = full.messages.find((m: any) => m.from === 'staff');
    expect(staffMsg).toMatchObject({ untranslated: true, staff: 'cura@k.test', lang: 'en' });
    expect(full.messages.filter((m: any) => m.notice).map((m: any) => m.notice)).toEqual([
      'joined',
      'handed-back',
    ]);
    const after = await json(await viewer.call(`/api/console/conversations/${id}?after=${staffMsg.id}`));
    expect(after.messages[0].id).not.toBe(staffMsg.id);
    expect(after.messages.every((m: any) => BigInt(m.id) > BigInt(staffMsg.id))).toBe(true);

    // A reconnecting widget replays the staff message too.
    const replay = await app.database.pool.query(
      `SELECT count(*)::int AS n FROM chat_messages m JOIN chat_conversations c ON c.id = m.conversation_id
       WHERE c.id = $1 AND m.kind = 'staff'`,
      [id],
    );
    expect(replay.rows[0].n).toBe(1);

    // The audit log: ids and flags, never text.
    const audit = await app.database.pool.query(
      `SELECT action, entity_id, actor, before, after FROM audit_log WHERE entity_type = 'conversation' ORDER BY id`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['staff_take_over', 'staff_message', 'staff_hand_back']);
    expect(audit.rows.every((r) => r.entity_id === id)).toBe(true);
    expect(audit.rows[1].after).toMatchObject({ messageId: sentBody.messageId, untranslated: true });
    const auditText = JSON.stringify(audit.rows);
    expect(auditText).not.toContain('coordinator');
    expect(auditText).not.toContain(visitorId);
    client.close();
  });

  it('delivers to a LINE user through the outbox push, and tells them in Japanese', async () => {
    fakeLine.setProfile('Uconsole1', { displayName: '佐藤', language: 'ja' });
    expect(
      (await postWebhook(app.url, webhookBody([textEvent('Uconsole1', '担当者と話したい')]))).status,
    ).toBe(200);
    await eventually(
      () => fakeLine.delivered().some((d) => d.to === 'Uconsole1' || d.via === 'reply'),
      'reply',
    );
    const id = await conversationIdOf(app, 'line', 'Uconsole1');
    const queue = await json(await viewer.call('/api/console/conversations?queue=needs-staff&channel=line'));
    expect(queue.items.map((c: any) => c.id)).toEqual([id]);
    expect(JSON.stringify(queue)).not.toContain('Uconsole1');

    fakeLine.reset();
    expect(
      (await curator.call(`/api/console/conversations/${id}/take-over`, { method: 'POST' })).status,
    ).toBe(200);
    await eventually(() => fakeLine.delivered().length >= 1, 'join notice push');
    const notice = fakeLine.delivered()[0];
    expect(notice).toMatchObject({ via: 'push', to: 'Uconsole1' });
    expect(notice.retryKey).toBeTruthy();
    expect(notice.messages[0].text).toContain('担当者が会話に参加しました');

    const sent = await curator.call(`/api/console/conversations/${id}/messages`, {
      method: 'POST',
      body: JSON.stringify({ text: 'お待たせしました。', lang: 'ja' }),
    });
    expect(await json(sent)).toMatchObject({ translated: false, untranslated: false, to: 'ja' });
    await eventually(() => fakeLine.delivered().length >= 2, 'staff push');
    expect(fakeLine.delivered()[1]).toMatchObject({ via: 'push', to: 'Uconsole1' });
    expect(fakeLine.delivered()[1].messages[0].text).toBe('お待たせしました。');

    // While taken over the bot does not answer on LINE.
    expect((await postWebhook(app.url, webhookBody([textEvent('Uconsole1', 'ありがとう')]))).status).toBe(
      200,
    );
    await new Promise((r) => setTimeout(r, 600));
    expect(fakeLine.delivered()).toHaveLength(2);

    expect(
      (await curator.call(`/api/console/conversations/${id}/hand-back`, { method: 'POST' })).status,
    ).toBe(200);
    await eventually(() => fakeLine.delivered().length >= 3, 'hand-back push');
    expect(fakeLine.delivered()[2].messages[0].text).toContain('ボット');
  });

  it('refuses unknown conversations and needs a session', async () => {
    expect(
      (await viewer.call('/api/console/conversations/00000000-0000-0000-0000-000000000000')).status,
    ).toBe(404);
    expect((await viewer.call('/api/console/conversations/nope')).status).toBe(404);
    expect((await fetch(`${app.url}/api/console/conversations`)).status).toBe(401);
  });
});

describe('console conversations with an LLM', () => {
  let fakeLlm: FakeOpenAiServer;
  let app: RunningApp;
  let curator: ConsoleClient;

  beforeAll(async () => {
    fakeLlm = await startFakeOpenAiServer();
    fakeLlm.onChat((req) => fakeTranslation(req));
    app = await startTestApp({
      LLM_BASE_URL: fakeLlm.url + '/v1',
      LLM_MODEL: 'fake-model',
      LLM_AUTO_TRANSLATE_PROFILES: 'false',
    });
    await createStaff(app, 'cura2@k.test', 'curator');
    curator = await signIn(app, 'cura2@k.test');
  });
  afterAll(async () => {
    await app?.close();
    await fakeLlm?.close();
  });

  it('translates a staff reply into the user’s language and a user message for the staff reader', async () => {
    const { client } = await webVisitor(app, 'th');
    await client.request('postback', { data: 'action=human', clientMessageId: 'h2' });
    const { rows } = await app.database.pool.query<{ id: string }>(
      `SELECT id FROM chat_conversations WHERE channel = 'web'`,
    );
    const id = rows[0].id;
    await curator.call(`/api/console/conversations/${id}/take-over`, { method: 'POST' });
    await say(client, 'ต้องการผู้ผลิต 20 ราย');

    const sent = await curator.call(`/api/console/conversations/${id}/messages`, {
      method: 'POST',
      body: JSON.stringify({ text: 'We have 3 candidates for you.', lang: 'en' }),
    });
    expect(sent.status).toBe(201);
    expect(await json(sent)).toMatchObject({ translated: true, untranslated: false, to: 'th' });
    await eventually(() => botMessages(client).some((m) => m.from === 'staff'), 'translated staff message');
    const delivered = botMessages(client).find((m) => m.from === 'staff');
    expect(delivered.text).toContain('ข้อความแปลภาษาไทย');
    expect(delivered.lang).toBe('th');

    const view = await json(await curator.call(`/api/console/conversations/${id}`));
    expect(view.translationAvailable).toBe(true);
    const staffMsg = view.messages.find((m: any) => m.from === 'staff');
    expect(staffMsg.original).toEqual({ text: 'We have 3 candidates for you.', lang: 'en' });
    const userMsg = view.messages.filter((m: any) => m.from === 'user').pop();
    const tr = await curator.call(`/api/console/conversations/${id}/messages/${userMsg.id}/translation`, {
      method: 'POST',
      body: JSON.stringify({ to: 'en' }),
    });
    expect(tr.status).toBe(200);
    expect(await json(tr)).toMatchObject({ translation: 'translated text 20', to: 'en' });
    client.close();
  });
});
