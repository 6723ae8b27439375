import type { RunningApp } from '../../src/bootstrap/start-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import {
  type FakeOpenAiServer,
  type RecordedRequest,
  allMessageText,
  startFakeOpenAiServer,
} from '../support/fake-openai-server';
import { eventually } from '../support/line-test-app';
import { openWebRoom, relayEnv, relayModel, roomTexts, sleep, widgetUser } from '../support/relay-kit';
import { startTestApp } from '../support/test-app';
import type { ChatClient } from '../support/web-chat-client';

/**
 * The deal-room relay when the model answers but its translation is not one (chat-template garbage, another
 * language): the message is held like in an outage (RELAY_WITHOUT_LLM=wait) and goes out translated if the model
 * recovers within the bounded retries, or as the original with the localized "translation unavailable" note after
 * them; later messages wait behind it, in order. A translation with only a minor problem (a number the checks
 * could not find) is delivered, marked as an unverified machine translation.
 */
const NOTE_UNAVAILABLE_TH = '(ขณะนี้ระบบแปลไม่พร้อมใช้งาน จึงส่งข้อความต้นฉบับให้)';
const NOTE_UNVERIFIED_TH = '(แปลโดยเครื่อง ระบบตรวจสอบคำศัพท์หรือตัวเลขบางส่วนไม่ผ่าน กรุณาตรวจสอบกับต้นฉบับด้วย)';

let llm: FakeOpenAiServer;
let running: RunningApp;
let jp: ChatClient;
let th: ChatClient;
let roomId: string;
/** How the model translates a message, by a marker in its text (e.g. '第2便'); otherwise properly. */
let answers: Record<string, 'garbage' | 'wrong-number'> = {};

const isTranslation = (req: RecordedRequest) => req.headers['x-kakehashi-task'] === 'translate';
const translationRequests = () => llm.chatRequests().filter(isTranslation).length;
const sourceOf = (req: RecordedRequest) =>
  /<data name="text">\n([\s\S]*?)\n<\/data>/.exec(allMessageText(req))?.[1] ?? '';

beforeAll(async () => {
  llm = await startFakeOpenAiServer();
  llm.onChat((req) => {
    const marker = Object.keys(answers).find((m) => isTranslation(req) && sourceOf(req).includes(m));
    if (marker && answers[marker] === 'garbage') return { content: '<|im_end|>}}{{ ]]' };
    if (marker && answers[marker] === 'wrong-number') return { content: 'คำแปลภาษาไทย 99' };
    return relayModel(req);
  });
  running = await startTestApp(
    relayEnv(llm.url, {
      RELAY_WITHOUT_LLM: 'wait',
      // Slow enough retries for the test to see a message held; five attempts take about two seconds.
      RELAY_RETRY_BASE_MS: '300',
      RELAY_RETRY_MAX_DELAY_MS: '600',
      // This is the relay's own bound for one message the model cannot translate while it otherwise works. Garbage
      // answers also count against the endpoint's circuit (ten in a row here would open it, and the relay would
      // then wait as in an outage): that is covered by the LLM service tests and the resilience drill.
      LLM_CIRCUIT_FAILURE_THRESHOLD: '1000',
    }),
    { seed: true },
  );
  await running.app.get(SearchIndexerService).waitUntilIdle();
  jp = (await widgetUser(running.url, 'seed:jp-001', 'tanaka', 'ja')).client;
  th = (await widgetUser(running.url, 'seed:th-001', 'wichai', 'th')).client;
  await jp.request('user_message', { text: 'こんにちは', clientMessageId: 'jp-hello' });
  await th.request('user_message', { text: 'สวัสดีค่ะ', clientMessageId: 'th-hello' });
  roomId = await openWebRoom(jp, th, 'seed:th-001');
});
afterAll(async () => {
  jp?.close();
  th?.close();
  await running?.close();
  await llm?.close();
});

async function send(text: string, id: string): Promise<void> {
  const ack = await jp.request('user_message', { text, clientMessageId: id });
  expect(ack.ok).toBe(true);
}

async function row(text: string) {
  const { rows } = await running.database.pool.query<{
    status: string;
    attempts: number;
    last_error: string | null;
  }>(`SELECT status, attempts, last_error FROM relay_messages WHERE room_id = $1 AND text = $2`, [
    roomId,
    text,
  ]);
  return rows[0];
}

it('holds a garbage translation, and delivers it translated once the model answers properly again', async () => {
  answers = { 第1便: 'garbage' };
  const before = translationRequests();
  await send('第1便の件です。', 'g-1');
  // One attempt: the translation service asked, checked, asked again with corrections, and got garbage twice.
  await eventually(async () => (await row('第1便の件です。'))?.last_error != null, 'the first attempt');
  expect(translationRequests() - before).toBeGreaterThanOrEqual(2);
  expect(await row('第1便の件です。')).toMatchObject({ status: 'pending' });
  expect((await row('第1便の件です。')).last_error).toMatch(/unusable/);
  expect(roomTexts(th)).toHaveLength(0);

  answers = {};
  await eventually(() => roomTexts(th).length === 1, 'the held message', 15_000);
  expect(roomTexts(th)[0]).toMatchObject({ text: 'คำแปลภาษาไทย 1', lang: 'th', original: { lang: 'ja' } });
  expect(roomTexts(th)[0].note).toBeUndefined();
});

it('after the bounded retries, relays the original with the note; the next message follows in order', async () => {
  // Garbage for this message only, whatever is tried: the message after it translates fine but must wait.
  answers = { 第2便: 'garbage' };
  await send('第2便の件です。', 'g-2');
  await send('第3便の件です。', 'g-3');
  await eventually(() => roomTexts(th).length >= 2, 'the original with the note', 20_000);
  const second = roomTexts(th)[1];
  expect(second).toMatchObject({ text: '第2便の件です。', lang: 'ja', note: NOTE_UNAVAILABLE_TH });
  expect(second.text).not.toMatch(/im_end|\}\}/);
  expect(await row('第2便の件です。')).toMatchObject({ status: 'delivered', attempts: 5 });

  // The next one: translated, after it, once.
  await eventually(() => roomTexts(th).length >= 3, 'the message after it', 20_000);
  await sleep(300);
  expect(roomTexts(th).map((m) => m.text)).toEqual(['คำแปลภาษาไทย 1', '第2便の件です。', 'คำแปลภาษาไทย 3']);
  expect(roomTexts(th).every((m) => !/im_end|\}\}/.test(m.text))).toBe(true);
});

it('delivers a translation flagged only for a minor problem, with a warning and the original', async () => {
  answers = { 第4便: 'wrong-number' };
  await send('第4便の件です。', 'g-4');
  await eventually(() => roomTexts(th).length >= 4, 'the flagged translation', 15_000);
  expect(roomTexts(th)[3]).toMatchObject({
    text: 'คำแปลภาษาไทย 99',
    lang: 'th',
    original: { text: '第4便の件です。', lang: 'ja' },
    note: NOTE_UNVERIFIED_TH,
  });
});
