import type { RunningApp } from '../../src/bootstrap/start-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { type FakeOpenAiServer, allMessageText, startFakeOpenAiServer } from '../support/fake-openai-server';
import { type ChatClient, connectChat, createSession } from '../support/web-chat-client';
import { startTestApp } from '../support/test-app';

/** LLM mode: understanding by structured extraction and replies written by the (local, fake) model, streamed. */
let running: RunningApp;
let fake: FakeOpenAiServer;
const open: ChatClient[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  running = await startTestApp(
    {
      WEB_CHAT_SECRET: 'llm-e2e-web-chat-secret-0123456789',
      LLM_BASE_URL: `${fake.url}/v1`,
      LLM_MODEL: 'fake-model',
      LLM_MAX_RETRIES: '0',
      LLM_CIRCUIT_FAILURE_THRESHOLD: '1000',
      LLM_AUTO_TRANSLATE_PROFILES: 'false',
    },
    { seed: true },
  );
  await running.app.get(SearchIndexerService).waitUntilIdle();
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
  fake.reset();
});
afterAll(async () => {
  await running?.close();
  await fake?.close();
});

async function chat(lang: string): Promise<ChatClient> {
  const { token } = await createSession(running.url, { lang });
  const c = await connectChat(running.url, { token });
  open.push(c);
  return c;
}

/** Which prompt a recorded request rendered (told apart by their texts). */
function taskOf(req: Parameters<Parameters<FakeOpenAiServer['onChat']>[0]>[0]): string {
  const text = allMessageText(req);
  if (text.includes('"intent": "search"')) return 'chat-understand';
  if (text.includes('Search results (numbered as shown on the cards)')) return 'chat-reply';
  if (text.includes('professional business translator')) return 'translate';
  return 'other';
}

/** Answers extraction with `understanding` and the reply prompt with `reply(resultsText)`. */
function model(
  understanding: object,
  reply: (results: string) => string,
  chunks?: (text: string) => string[],
) {
  fake.onChat((req) => {
    const task = taskOf(req);
    if (task === 'chat-understand') return { content: JSON.stringify(understanding) };
    if (task === 'chat-reply') {
      const text = reply(allMessageText(req));
      return { content: text, chunks: chunks?.(text) };
    }
    return { content: 'OK' };
  });
}

it('streams a grounded Japanese reply as bot_delta, then the full bot_message with cards', async () => {
  model(
    {
      intent: 'search',
      subject: '自動車部品',
      partnershipType: null,
      region: null,
      country: 'TH',
      company: null,
      language: 'ja',
      text: null,
    },
    (prompt) => {
      const first = /1\. (.+?) \(/.exec(prompt)?.[1] ?? '';
      return `ご依頼に合うタイの企業を見つけました。特に${first}は自動車部品の受託生産に強みがあります。カードから詳細をご覧ください。`;
    },
    (text) => [text.slice(0, 10), text.slice(10, 30), text.slice(30)],
  );
  const c = await chat('ja');
  await c.request('user_message', {
    text: 'タイで自動車部品のメーカーを探しています',
    clientMessageId: 'llm-1',
  });
  const msg = await c.next('bot_message');
  const deltas = c.events.filter((e) => e.event === 'bot_delta').map((e) => e.payload);
  expect(deltas.length).toBeGreaterThanOrEqual(2);
  expect(deltas.every((d) => d.replyTo === 'llm-1')).toBe(true);
  expect(deltas.map((d) => d.text).join('')).toBe(msg.text);
  expect(msg.generated).toBe(true);
  expect(msg.cards.length).toBeGreaterThan(0);
  expect(msg.cards.every((x: { country: string }) => x.country === 'TH')).toBe(true);
  expect(msg.text).toContain(msg.cards[0].title);
  const tasks = fake
    .chatRequests()
    .map(taskOf)
    .filter((t) => t.startsWith('chat-'));
  expect(tasks).toEqual(['chat-understand', 'chat-reply']);
  const replyRequest = fake.chatRequests().find((r) => taskOf(r) === 'chat-reply')!;
  expect(replyRequest.body.stream).toBe(true);
  // Streamed calls name their task to the server too (usage dashboards and eval:llm's fakes rely on it).
  expect(replyRequest.headers['x-kakehashi-task']).toBe('chat-reply');
  // Profiles reach the model, contacts never do.
  expect(allMessageText(replyRequest)).not.toMatch(/@[\w-]+\.\w+|\+66|\+81/);
});

it('falls back to the template when the model names a company that is not in the results', async () => {
  model(
    {
      intent: 'search',
      subject: 'machinery',
      partnershipType: null,
      region: null,
      country: null,
      company: null,
      language: 'th',
      text: null,
    },
    () => 'ขอแนะนำ บริษัท โตโยต้า มอเตอร์ จำกัด ซึ่งเหมาะกับความต้องการของท่าน',
  );
  const c = await chat('th');
  await c.request('user_message', { text: 'หาผู้ผลิตเครื่องจักรญี่ปุ่น', clientMessageId: 'llm-2' });
  const msg = await c.next('bot_message');
  expect(msg.text).not.toMatch(/โตโยต้า/);
  expect(msg.generated).toBe(false);
  expect(msg.text).toMatch(/พบบริษัทญี่ปุ่น/);
  expect(msg.cards.length).toBeGreaterThan(0);
});

it('uses the rules when the model is down, and says translation is unavailable in the user language', async () => {
  fake.onChat(() => ({ status: 500 }));
  const c = await chat('en');
  await c.request('user_message', {
    text: 'Thai distributor for Japanese cosmetics',
    clientMessageId: 'llm-3',
  });
  const msg = await c.next('bot_message');
  expect(msg.cards.length).toBeGreaterThan(0);
  expect(msg.generated).toBe(false);
  await c.request('user_message', {
    text: 'translate to Thai: We would like to meet next week.',
    clientMessageId: 'llm-4',
  });
  const t = await c.next('bot_message');
  expect(t.text).toMatch(/translat/i);
});

it('translates a text through the translation service', async () => {
  fake.onChat((req) =>
    taskOf(req) === 'translate' ? { content: 'ยินดีที่ได้รู้จัก' } : { content: '{"intent":"unknown"}' },
  );
  const c = await chat('ja');
  await c.request('user_message', { text: 'タイ語に翻訳: はじめまして', clientMessageId: 'llm-5' });
  const msg = await c.next('bot_message');
  expect(msg.text).toContain('ยินดีที่ได้รู้จัก');
  expect(msg.text).toMatch(/タイ語訳/);
});
