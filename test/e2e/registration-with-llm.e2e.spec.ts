import type { RunningApp } from '../../src/bootstrap/start-app';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../support/fake-openai-server';
import { relayEnv, relayModel, widgetAsk } from '../support/relay-kit';
import { startTestApp } from '../support/test-app';
import { type ChatClient, connectChat, createSession } from '../support/web-chat-client';

/**
 * With a language model configured (and reading requests: LLM_CLASSIFY_REQUESTS on), "register my company" still
 * starts the interview rather than a partner search, in English as in the other languages, and the interview's
 * answers never reach the model: the firm's contact above all.
 */
let llm: FakeOpenAiServer;
let running: RunningApp;
let firm: ChatClient;
let ids = 0;

beforeAll(async () => {
  llm = await startFakeOpenAiServer();
  llm.onChat(relayModel);
  running = await startTestApp(relayEnv(llm.url, { LLM_CLASSIFY_REQUESTS: 'true' }), { seed: true });
  firm = await connectChat(running.url, { token: (await createSession(running.url, { lang: 'en' })).token });
});
afterAll(async () => {
  firm?.close();
  await running?.close();
  await llm?.close();
});

const say = (text: string) => widgetAsk(firm, 'user_message', { text, clientMessageId: `l-${++ids}` });

it('interviews a firm that asks in English, and sends none of its answers to the model', async () => {
  const before = llm.chatRequests().length;
  let r = await say('I want to register my company');
  expect(r.texts.join('\n')).toContain('Let’s register your company');
  expect(r.cards ?? []).toEqual([]);
  r = await say('Thailand');
  r = await say('Chonburi Plastic Tech Co., Ltd.');
  r = await say('Injection-moulded plastic parts for cars');
  r = await say('skip');
  r = await say('done');
  r = await say('Chonburi');
  r = await say('about 120 people');
  r = await say('chonburi-plastic.example');
  r = await say('Somsri, somsri@chonburi-plastic.example');
  expect(r.cards[0]).toMatchObject({ title: 'Chonburi Plastic Tech Co., Ltd.', preview: true });
  expect(r.texts.join('\n')).toContain('Contact (private): Somsri / somsri@chonburi-plastic.example');
  const sent = llm
    .chatRequests()
    .slice(before)
    .map((q) => JSON.stringify(q.body));
  expect(sent.filter((b) => /somsri|Chonburi Plastic|Injection-moulded/i.test(b))).toEqual([]);

  // "cancel" deletes the draft with what it held; asking again starts afresh.
  r = await say('cancel');
  expect(r.texts[0]).toBe('Registration cancelled; your draft was deleted.');
  const { rows } = await running.database.pool.query(
    `SELECT count(*)::int AS n FROM company_registrations WHERE answers::text LIKE '%somsri%'`,
  );
  expect(rows[0].n).toBe(0);
  r = await say('register');
  expect(r.texts.join('\n')).toContain('Let’s register your company');
  expect(r.texts.at(-1)).toContain('Japan or in Thailand');
});
