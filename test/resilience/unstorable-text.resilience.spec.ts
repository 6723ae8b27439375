import type { RunningApp } from '../../src/bootstrap/start-app';
import { thaiProfile } from '../fixtures/profiles';
import { type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';
import {
  eventually,
  lineEnv,
  lineQueuesSettled,
  postWebhook,
  textEvent,
  webhookBody,
} from '../support/line-test-app';
import { adminAuth, startTestApp } from '../support/test-app';
import { connectChat, createSession } from '../support/web-chat-client';

/**
 * Text PostgreSQL cannot store (a NUL character, half a UTF-16 surrogate pair) from broken or hostile clients:
 * the API refuses it with a 400 naming the field (it answered 500), a chat message keeps the rest of its text
 * (it answered { error: 'internal' }), and one such LINE event no longer fails its whole batch with a 503 that
 * LINE redelivers for ever: every event of the batch is stored and answered.
 */
describe('NUL characters and lone surrogates', () => {
  let fakeLine: FakeLineApi;
  let app: RunningApp;
  const counts: Record<string, number> = { '500s': 0, 'events lost': 0, 'chat messages refused': 0 };

  beforeAll(async () => {
    fakeLine = await startFakeLineApi();
    app = await startTestApp(lineEnv(fakeLine.url), { seed: true });
  });
  afterAll(async () => {
    console.log(
      `resilience unstorable text: ${Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    await app?.close();
    await fakeLine?.close();
  });

  it('refuses such a profile with a 400 naming the field', async () => {
    for (const [bad, path] of [
      [{ ...thaiProfile('nul:1'), names: { en: 'Nul\u0000 Co' } }, 'names.en'],
      [{ ...thaiProfile('nul:2'), summary: { th: 'ครึ่ง\uD800' } }, 'summary.th'],
    ] as const) {
      const res = await fetch(`${app.url}/api/companies`, {
        method: 'POST',
        headers: { ...adminAuth, 'content-type': 'application/json' },
        body: JSON.stringify(bad),
      });
      if (res.status >= 500) counts['500s']++;
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { errors: Array<{ path: string }> }).errors[0].path).toBe(path);
    }
  });

  it('keeps the rest of a web chat message', async () => {
    const { token } = await createSession(app.url, { lang: 'ja' });
    const client = await connectChat(app.url, { token });
    const ack = await client.request('user_message', {
      text: 'タイの自動車部品\u0000メーカー\uDC00',
      clientMessageId: 'nul-1',
    });
    if (!ack.ok) counts['chat messages refused']++;
    expect(ack.ok).toBe(true);
    const reply = await client.next('bot_message');
    expect(reply.cards.length).toBeGreaterThan(0);
    client.close();
  });

  it('stores and answers every event of a LINE batch that holds one such event', async () => {
    const events = [
      textEvent('Unul-1', 'こんにちは\u0000'),
      textEvent('Unul-2', 'help'),
      textEvent('Unul-3', 'สวัสดี\uD800'),
    ];
    const res = await postWebhook(app.url, webhookBody(events));
    if (res.status >= 500) counts['500s']++;
    expect(res.status).toBe(200);
    await eventually(() => lineQueuesSettled(app.database), 'the batch handled', 20_000);
    const replied = new Set(fakeLine.calls('reply').map((r) => r.body.replyToken));
    counts['events lost'] = events.filter((e) => !replied.has(e.replyToken)).length;
    expect(counts['events lost']).toBe(0);
  });
});
