import type { RunningApp } from '../../src/bootstrap/start-app';
import { ApiTokenRepository } from '../../src/auth/api-token.repository';
import { thaiProfile } from '../fixtures/profiles';
import { type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';
import { type FakeOpenAiServer, lastUserText, startFakeOpenAiServer } from '../support/fake-openai-server';
import {
  eventually,
  LINE_SECRET,
  LINE_TOKEN,
  lineEnv,
  lineQueuesSettled,
  postWebhook,
  textEvent,
  webhookBody,
} from '../support/line-test-app';
import { TEST_ADMIN_TOKEN, startTestApp } from '../support/test-app';
import { connectChat, createSession } from '../support/web-chat-client';

/**
 * Redaction: the main flows run at LOG_LEVEL=debug with canaries planted in every secret, token, message body
 * and contact field (and echoed back by failing providers, as real ones do), and no captured log line holds
 * any of them. Every line is one JSON object.
 */
const SECRETS = {
  llmKey: 'sk-LLMKEYCANARY-5f1e2d3c4b5a',
  webChatSecret: 'WEBCHATSECRETCANARY-0123456789abcdef',
  metricsToken: 'METRICSTOKENCANARY-0123456789',
};
const BODY = {
  web: 'WEBBODYCANARY ข้อความลับ Thai auto parts makers',
  line: 'LINEBODYCANARY 自動車部品のメーカーを探しています',
  translate: 'TRANSLATEBODYCANARY please translate this',
  badSignature: 'UNSIGNEDBODYCANARY',
  malformed: 'MALFORMEDBODYCANARY',
};
const CONTACT = {
  email: 'contactcanary@siam-brake.example',
  phone: '+66 38 777 4242',
  person: 'Canary Somchai',
};

describe('operations: no secrets, tokens, message bodies or contact data in logs', () => {
  let llm: FakeOpenAiServer;
  let line: FakeLineApi;
  let running: RunningApp;
  const lines: string[] = [];
  // Node's own warnings go to stderr: scanned, not parsed.
  const errLines: string[] = [];
  let partnerToken = '';
  const realWrite = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);

  beforeAll(async () => {
    // Captured from before the start: boot lines must not show configuration secrets either.
    const capture = (into: string[]) => (chunk: string | Uint8Array) => {
      into.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    };
    process.stdout.write = capture(lines);
    process.stderr.write = capture(errLines);
    llm = await startFakeOpenAiServer();
    line = await startFakeLineApi();
    running = await startTestApp(
      lineEnv(line.url, {
        LOG_LEVEL: 'debug',
        LLM_BASE_URL: `${llm.url}/v1`,
        LLM_MODEL: 'fake-model',
        LLM_API_KEY: SECRETS.llmKey,
        LLM_MAX_RETRIES: '1',
        LLM_RETRY_BASE_MS: '1',
        LLM_AUTO_TRANSLATE_PROFILES: 'false',
        WEB_CHAT_SECRET: SECRETS.webChatSecret,
        METRICS_TOKEN: SECRETS.metricsToken,
      }),
    );
    partnerToken = (await new ApiTokenRepository(running.database.pool).create('logs', 'partner')).token;
  });
  afterAll(async () => {
    process.stdout.write = realWrite;
    process.stderr.write = realErr;
    await running?.close();
    await llm?.close();
    await line?.close();
  });

  it('runs the main flows and logs none of the canaries', async () => {
    const admin = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };
    // Staff API: a profile with contacts, read back, and a request with a wrong token.
    const created = await fetch(`${running.url}/api/companies`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify(thaiProfile('logs:1', { contact: CONTACT })),
    });
    expect(created.status).toBe(201);
    expect((await fetch(`${running.url}/api/companies/logs:1`, { headers: admin })).status).toBe(200);
    expect(
      (await fetch(`${running.url}/api/companies`, { headers: { Authorization: 'Bearer WRONGTOKENCANARY' } }))
        .status,
    ).toBe(401);
    // Malformed JSON carrying a canary.
    const malformed = await fetch(`${running.url}/api/match`, {
      method: 'POST',
      headers: { ...admin },
      body: `{"text": "${BODY.malformed}`,
    });
    expect(malformed.status).toBe(400);

    // Translation: the model fails once with an error echoing the prompt (as providers do), then answers.
    llm.enqueue((req) => ({
      status: 500,
      errorBody: { error: { message: `bad input: ${lastUserText(req)}` } },
    }));
    llm.onChat((req) => ({ content: `OK ${lastUserText(req).length}` }));
    const translated = await fetch(`${running.url}/api/translate`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${partnerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: BODY.translate, from: 'en', to: 'th' }),
    });
    expect([200, 502, 503]).toContain(translated.status);

    // Web chat over socket.io, including "forget me".
    const session = await createSession(running.url, { lang: 'en' });
    const c = await connectChat(running.url, { token: session.token });
    try {
      await c.request('user_message', { text: BODY.web, clientMessageId: 'log-1' });
      await c.next('bot_message');
      await c.request('user_message', { text: 'forget me', clientMessageId: 'log-2' });
      await c.request('postback', { data: 'action=forget-confirm', clientMessageId: 'log-3' });
      await c.next('forgotten');
    } finally {
      c.close();
    }

    // LINE: a signed message (push fails once with an error echoing the text), an unsigned one.
    line.enqueue('reply', { status: 400, body: { message: `Invalid reply: ${BODY.line}` } });
    const event = textEvent('Ulogcanary0000000000000000000001', BODY.line);
    expect((await postWebhook(running.url, webhookBody([event]))).status).toBe(200);
    expect(
      (await postWebhook(running.url, webhookBody([textEvent('Ux', BODY.badSignature)]), { secret: 'wrong' }))
        .status,
    ).toBe(401);
    await eventually(() => lineQueuesSettled(running.database), 'LINE queues drained');
    expect(line.delivered().length).toBeGreaterThan(0);

    expect((await fetch(`${running.url}/metrics`)).status).toBe(401);

    // What was logged.
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(() => JSON.parse(l) as unknown).not.toThrow();
    const canaries = [
      ...Object.values(SECRETS),
      TEST_ADMIN_TOKEN,
      partnerToken,
      LINE_SECRET,
      LINE_TOKEN,
      'WRONGTOKENCANARY',
      String(event.replyToken),
      ...Object.values(CONTACT),
      'WEBBODYCANARY',
      'ข้อความลับ',
      'LINEBODYCANARY',
      '自動車部品のメーカー',
      'TRANSLATEBODYCANARY',
      'UNSIGNEDBODYCANARY',
      'MALFORMEDBODYCANARY',
    ];
    const leaks = canaries.flatMap((canary) =>
      [...lines, ...errLines].filter((l) => l.includes(canary)).map((l) => `${canary} in ${l.slice(0, 300)}`),
    );
    expect(leaks).toEqual([]);
    // Lines written while handling a request carry its id; worker lines carry the conversation.
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.some((p) => typeof p.requestId === 'string')).toBe(true);
    expect(parsed.some((p) => p.conversationId === 'user:Ulogcanary0000000000000000000001')).toBe(true);
    process.stdout.write = realWrite;
    process.stdout.write(
      `log redaction: ${lines.length} lines scanned, ${canaries.length} canaries, 0 leaks\n`,
    );
  });
});
