import type { RunningApp } from '../../src/bootstrap/start-app';
import { type FakeOpenAiServer, fakeTranslation, startFakeOpenAiServer } from '../support/fake-openai-server';
import { adminAuth, startTestApp } from '../support/test-app';

/**
 * Stopping an instance while a request is being answered: the request gets its answer, and the stop ends once it
 * has, rather than when the client's keep-alive connection would time out (65 s, past a 30 s SIGKILL grace
 * period: the instance was killed instead of stopping cleanly, and a test's afterAll ran out of time).
 */
let fake: FakeOpenAiServer;
let running: RunningApp | undefined;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  fake.onChat(fakeTranslation);
});
afterAll(async () => {
  await running?.close();
  await fake.close();
});

it('answers a request in flight at the stop, then stops without waiting for its idle connection', async () => {
  running = await startTestApp({
    LLM_BASE_URL: fake.url + '/v1',
    LLM_MODEL: 'fake-model',
    LLM_AUTO_TRANSLATE_PROFILES: 'false',
  });
  const app = running;
  // A model that takes a second, so the translation is still being answered when the stop begins.
  fake.setDefaultDelay(1000);
  const answer = fetch(`${app.url}/api/translate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...adminAuth },
    body: JSON.stringify({ text: 'We make brake pads for export.', to: 'th' }),
  });
  while (fake.inFlight === 0) await new Promise((r) => setTimeout(r, 20));

  const startedAt = Date.now();
  const stopped = app.close().then(() => Date.now() - startedAt);
  const res = await answer;
  expect(res.status).toBe(200);
  expect((await res.json()) as Record<string, unknown>).toMatchObject({ translation: 'ข้อความแปลภาษาไทย' });
  // The client kept its connection alive (fetch does); the stop still ends within seconds, not keep-alive's 65.
  const stopMs = await stopped;
  running = undefined;
  process.stdout.write(`stop with a request in flight took ${stopMs} ms\n`);
  expect(stopMs).toBeLessThan(20_000);
}, 40_000);
