import type { RunningApp } from '../../src/bootstrap/start-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { type FakeLineApi, deliveredText, startFakeLineApi } from '../support/fake-line-api';
import { type FakeOpenAiServer, allMessageText, startFakeOpenAiServer } from '../support/fake-openai-server';
import {
  eventually,
  lineEnv,
  lineQueuesSettled,
  postWebhook,
  textEvent,
  webhookBody,
} from '../support/line-test-app';
import { startTestApp } from '../support/test-app';

/**
 * LINE with a model configured (the local OpenAI-compatible server): the answer is written by the model and
 * grounded in the carousel's companies; the loading animation covers the wait; with the model down, the
 * rule-based path still answers.
 */
let line: FakeLineApi;
let llm: FakeOpenAiServer;
let running: RunningApp;

beforeAll(async () => {
  line = await startFakeLineApi();
  llm = await startFakeOpenAiServer();
  running = await startTestApp(
    {
      ...lineEnv(line.url),
      LLM_BASE_URL: `${llm.url}/v1`,
      LLM_MODEL: 'fake-model',
      LLM_MAX_RETRIES: '0',
      LLM_TIMEOUT_MS: '3000',
      LLM_CIRCUIT_FAILURE_THRESHOLD: '1000',
      LLM_AUTO_TRANSLATE_PROFILES: 'false',
    },
    { seed: true },
  );
  await running.app.get(SearchIndexerService).waitUntilIdle();
});
beforeEach(() => {
  line.reset();
  llm.reset();
});
afterAll(async () => {
  await running?.close();
  await llm?.close();
  await line?.close();
});

function taskOf(req: Parameters<Parameters<FakeOpenAiServer['onChat']>[0]>[0]): string {
  const text = allMessageText(req);
  if (text.includes('"intent": "search"')) return 'chat-understand';
  if (text.includes('Search results (numbered as shown on the cards)')) return 'chat-reply';
  return 'other';
}

it('a Japanese request: the model understands and writes the reply; one LINE reply with the carousel', async () => {
  llm.onChat((req) => {
    const task = taskOf(req);
    if (task === 'chat-understand')
      return {
        content: JSON.stringify({
          intent: 'search',
          subject: '自動車部品',
          partnershipType: null,
          region: null,
          country: 'TH',
          company: null,
          language: 'ja',
          text: null,
        }),
      };
    if (task === 'chat-reply') {
      const first = /1\. (.+?) \(/.exec(allMessageText(req))?.[1] ?? '';
      // The model takes its time: the user sees the loading animation meanwhile.
      return {
        content: `タイの自動車部品メーカーが見つかりました。特に${first}がおすすめです。`,
        delayMs: 1200,
      };
    }
    return { content: 'OK' };
  });
  const event = textEvent('Ullm1', 'タイで自動車部品のメーカーを探しています');
  await postWebhook(running.url, webhookBody([event]));
  await eventually(() => line.delivered().length > 0, 'the reply');
  await eventually(() => lineQueuesSettled(running.database), 'settled');

  expect(line.delivered()).toHaveLength(1);
  const [delivery] = line.delivered();
  expect(delivery).toMatchObject({ via: 'reply', to: event.replyToken });
  const text = deliveredText(delivery);
  expect(text).toMatch(/^タイの自動車部品メーカーが見つかりました。特に.+がおすすめです。/);
  const flex = delivery.messages.find((m: { type: string }) => m.type === 'flex');
  expect(flex.contents.contents.length).toBeGreaterThan(0);
  // The company the model praised is the first card.
  expect(text).toContain(flex.contents.contents[0].body.contents[0].text);
  expect(llm.chatRequests().map(taskOf)).toEqual(['chat-understand', 'chat-reply']);
  // The animation started before the model was asked to write, and the reply came after it.
  const [loading] = line.calls('loading');
  const replyCall = llm.chatRequests().find((r) => taskOf(r) === 'chat-reply')!;
  expect(loading.receivedAt).toBeLessThanOrEqual(replyCall.receivedAt);
  expect(line.calls('reply')[0].receivedAt).toBeGreaterThan(loading.receivedAt);
});

it('with the model failing, the rule-based path still answers the LINE user', async () => {
  llm.onChat(() => ({ status: 503 }));
  const event = textEvent('Ullm2', 'タイで自動車部品のメーカーを探しています');
  await postWebhook(running.url, webhookBody([event]));
  await eventually(() => line.delivered().length > 0, 'the reply');
  await eventually(() => lineQueuesSettled(running.database), 'settled');
  expect(line.delivered()).toHaveLength(1);
  expect(line.delivered()[0].messages.some((m: { type: string }) => m.type === 'flex')).toBe(true);
  expect(llm.chatRequests().length).toBeGreaterThan(0);
});
