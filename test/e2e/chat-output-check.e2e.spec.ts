import type { RunningApp } from '../../src/bootstrap/start-app';
import { LlmCallRepository } from '../../src/llm/llm-call.repository';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { type FakeLineApi, deliveredText, startFakeLineApi } from '../support/fake-line-api';
import {
  type FakeOpenAiServer,
  type FakeReply,
  type RecordedRequest,
  allMessageText,
  startFakeOpenAiServer,
} from '../support/fake-openai-server';
import {
  eventually,
  lineEnv,
  lineQueuesSettled,
  postWebhook,
  textEvent,
  webhookBody,
} from '../support/line-test-app';
import { adminAuth, startTestApp } from '../support/test-app';
import { type ChatClient, connectChat, createSession } from '../support/web-chat-client';

/**
 * The output check of model-written chat replies, end to end: a garbage reply (chat-template tokens, another
 * language, mojibake, a loop) never reaches the user, on the web chat (streamed) or on LINE; the user gets the
 * rule-based reply in their language; each rejection counts against the circuit breaker, so a model answering
 * only garbage is soon not asked at all.
 */
let running: RunningApp;
let llm: FakeOpenAiServer;
let line: FakeLineApi;
const open: ChatClient[] = [];

beforeAll(async () => {
  llm = await startFakeOpenAiServer();
  line = await startFakeLineApi();
  running = await startTestApp(
    {
      ...lineEnv(line.url),
      WEB_CHAT_SECRET: 'output-check-web-chat-secret-0123456789',
      WEB_CHAT_RATE_BURST: '100',
      WEB_CHAT_RATE_PER_MINUTE: '6000',
      LLM_BASE_URL: `${llm.url}/v1`,
      LLM_MODEL: 'fake-model',
      LLM_MAX_RETRIES: '0',
      LLM_CIRCUIT_FAILURE_THRESHOLD: '3',
      // Long enough for a test to see the circuit open, short enough for the next to start with it closed.
      LLM_CIRCUIT_COOLDOWN_MS: '4000',
      LLM_AUTO_TRANSLATE_PROFILES: 'false',
    },
    { seed: true },
  );
  await running.app.get(SearchIndexerService).waitUntilIdle();
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
  llm.reset();
  line.reset();
});
afterAll(async () => {
  await running?.close();
  await llm?.close();
  await line?.close();
});

/** Which prompt a request rendered (streamed requests carry no task header, so by their text). */
function taskOf(req: RecordedRequest): string {
  const text = allMessageText(req);
  if (text.includes('"intent": "search"')) return 'chat-understand';
  if (text.includes('Search results (numbered as shown on the cards)')) return 'chat-reply';
  return 'other';
}

const SEARCH = (subject: string, language: string) => ({
  intent: 'search',
  subject,
  partnershipType: null,
  region: null,
  country: null,
  company: null,
  language,
  text: null,
});

/** A model that understands correctly (a valid answer: the circuit's failure count starts again) and writes `reply`. */
function model(understanding: object, reply: (prompt: string) => FakeReply) {
  llm.onChat((req) => {
    if (taskOf(req) === 'chat-understand') return { content: JSON.stringify(understanding) };
    if (taskOf(req) === 'chat-reply') return reply(allMessageText(req));
    return { content: 'OK' };
  });
}

async function chat(lang: string): Promise<ChatClient> {
  const { token } = await createSession(running.url, { lang });
  const c = await connectChat(running.url, { token });
  open.push(c);
  return c;
}

async function ask(c: ChatClient, text: string, id: string) {
  const ack = await c.request('user_message', { text, clientMessageId: id });
  expect(ack.ok).toBe(true);
  const msg = await c.next('bot_message');
  const streamed = c.events
    .filter((e) => e.event === 'bot_delta' && e.payload.replyTo === id)
    .map((e) => e.payload.text as string)
    .join('');
  return { msg, streamed };
}

async function chatReplyRecords() {
  await running.app.get(LlmCallRepository).flush();
  const { rows } = await running.database.pool.query<{ outcome: string; error_kind: string | null }>(
    `SELECT outcome, error_kind FROM llm_calls WHERE task = 'chat-reply' ORDER BY id`,
  );
  return rows;
}

it('a reply that is chat-template garbage is not shown: the Japanese user gets the rule-based reply', async () => {
  model(SEARCH('自動車部品', 'ja'), () => ({ content: '\u0000<|im_end|>}}{{ ]]' }));
  const c = await chat('ja');
  const { msg, streamed } = await ask(c, 'タイで自動車部品のメーカーを探しています', 'g-1');
  expect(streamed).toBe('');
  expect(msg.generated).toBe(false);
  expect(msg.text).toMatch(/候補企業を\d+社見つけました/);
  expect(msg.text).not.toMatch(/im_end|\}\}/);
  expect(msg.cards.length).toBeGreaterThan(0);
  expect((await chatReplyRecords()).at(-1)).toEqual({
    outcome: 'invalid_output',
    error_kind: 'rejected_output:prompt-leak',
  });
});

it('a fluent reply in the wrong language is not streamed to the Thai user', async () => {
  model(SEARCH('machinery', 'th'), () => ({
    content:
      'We found several Japanese machinery makers that match your request. The first one has long experience with Thai customers.',
    chunks: [
      'We found several ',
      'Japanese machinery makers ',
      'that match your request. ',
      'The first one has long experience with Thai customers.',
    ],
  }));
  const c = await chat('th');
  const { msg, streamed } = await ask(c, 'หาผู้ผลิตเครื่องจักรญี่ปุ่น', 'g-2');
  expect(streamed).toBe('');
  expect(msg.generated).toBe(false);
  expect(msg.text).toMatch(/พบบริษัทญี่ปุ่น/);
  expect((await chatReplyRecords()).at(-1)?.error_kind).toBe('rejected_output:wrong-language');
});

it('a reply that starts well and then breaks: only the judged start was streamed, the template replaces it', async () => {
  const good = 'พบบริษัทญี่ปุ่นที่ตรงกับความต้องการของท่านหลายแห่ง โดยเฉพาะผู้ผลิตเครื่องจักรที่มีประสบการณ์กับลูกค้าไทย ';
  model(SEARCH('machinery', 'th'), () => ({
    content: `${good}<|im_end|><|im_start|>assistant ${'ขอบคุณ '.repeat(20)}`,
    chunks: [
      good.slice(0, 30),
      good.slice(30, 60),
      good.slice(60),
      '<|im',
      '_end|><|im_start|>',
      'assistant ',
      'ขอบคุณ '.repeat(20),
    ],
  }));
  const c = await chat('th');
  const { msg, streamed } = await ask(c, 'หาผู้ผลิตเครื่องจักรญี่ปุ่น', 'g-3');
  expect(streamed.length).toBeGreaterThan(0);
  expect(good.startsWith(streamed)).toBe(true);
  expect(msg.generated).toBe(false);
  expect(msg.text).toMatch(/พบบริษัทญี่ปุ่น.*แห่ง/);
  expect(msg.text).not.toContain('<|');
});

it('a good streamed reply still streams and is shown as written', async () => {
  const text =
    'We found Japanese companies that fit your request for cosmetics distribution in Thailand. The cards below show why each one matches.';
  model(SEARCH('cosmetics', 'en'), () => ({ content: text, chunks: text.match(/.{1,12}/g)! }));
  const c = await chat('en');
  const { msg, streamed } = await ask(c, 'Thai distributor for Japanese cosmetics', 'g-4');
  expect(msg.generated).toBe(true);
  expect(msg.text).toBe(text);
  expect(streamed).toBe(text);
  expect(c.events.filter((e) => e.event === 'bot_delta').length).toBeGreaterThan(1);
});

it('LINE gets the rule-based reply, never the mojibake the model wrote', async () => {
  model(SEARCH('自動車部品', 'ja'), () => ({
    content: 'ã‚¿ã‚¤ã�®è‡ªå‹•è»Šéƒ¨å“�ãƒ¡ãƒ¼ã‚«ãƒ¼ã�Œè¦‹ã�¤ã�‹ã‚Šã�¾ã�—ã�Ÿ',
  }));
  const event = textEvent('Ugarbage1', 'タイで自動車部品のメーカーを探しています');
  await postWebhook(running.url, webhookBody([event]));
  await eventually(() => line.delivered().length > 0, 'the reply');
  await eventually(() => lineQueuesSettled(running.database), 'settled');
  const text = deliveredText(line.delivered()[0]);
  expect(text).toMatch(/候補企業を\d+社見つけました/);
  expect(text).not.toMatch(/ã/);
  expect((await chatReplyRecords()).at(-1)?.error_kind).toBe('rejected_output:mojibake');
});

it('a translation asked for in the chat that comes back as garbage is not shown: the user is told it failed', async () => {
  llm.onChat((req) =>
    req.headers['x-kakehashi-task'] === 'translate'
      ? { content: '<|im_end|>}}{{ ]]' }
      : { content: '{"intent":"unknown"}' },
  );
  const c = await chat('ja');
  const { msg } = await ask(c, 'タイ語に翻訳: はじめまして', 'tr-1');
  expect(msg.text).toBe('申し訳ありません。翻訳できませんでした。しばらくしてから、もう一度お試しください。');
  expect(msg.generated).toBe(false);
  // The two garbage answers (the translation and its corrected retry) counted against the endpoint, after the
  // LINE test's mojibake reply: three in a row opened its circuit.
  expect(await llmReadiness()).toMatch(/circuit open/);
});

it('a model answering only garbage opens the circuit: it is soon not asked at all, and users still get replies', async () => {
  // The circuit the test before opened lets a probe through after its cooldown.
  await eventually(async () => !/circuit open/.test(await llmReadiness()), 'the cooldown', 10_000);
  const c = await chat('th');
  // A good turn first (the probe): the circuit closes and its count of failures in a row starts from zero.
  model(SEARCH('machinery', 'th'), () => ({
    content: 'พบผู้ผลิตเครื่องจักรญี่ปุ่นที่ตรงกับความต้องการของท่าน รายละเอียดอยู่ในการ์ดด้านล่าง',
  }));
  expect((await ask(c, 'หาผู้ผลิตเครื่องจักรญี่ปุ่น', 'o-good')).msg.generated).toBe(true);
  llm.reset();
  // Then garbage only. Understanding is garbage too: an unusable answer neither counts nor resets the count.
  llm.onChat((req) =>
    taskOf(req) === 'chat-reply' ? { content: 'ขอบคุณ '.repeat(40) } : { content: '}}{{ not json' },
  );
  const replies = [];
  for (let i = 0; i < 5; i++) replies.push((await ask(c, 'หาผู้ผลิตเครื่องจักรญี่ปุ่น', `o-${i}`)).msg);
  expect(replies.every((r) => r.generated === false && /พบบริษัทญี่ปุ่น/.test(r.text))).toBe(true);
  // Three rejected replies in a row opened the circuit: the last two turns did not call the model at all.
  expect(llm.chatRequests().filter((r) => taskOf(r) === 'chat-reply')).toHaveLength(3);
  expect(await llmReadiness()).toMatch(/circuit open/);
  const rejected = (await chatReplyRecords()).filter((r) => r.outcome === 'invalid_output');
  expect(rejected.at(-1)?.error_kind).toBe('rejected_output:repetition');
});

async function llmReadiness(): Promise<string> {
  const ready = (await (await fetch(`${running.url}/health/ready`, { headers: adminAuth })).json()) as {
    checks: Record<string, { detail?: string }>;
  };
  return ready.checks.llm?.detail ?? '';
}
