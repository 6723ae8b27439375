import type { RunningApp } from '../../src/bootstrap/start-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../support/fake-openai-server';
import { eventually } from '../support/line-test-app';
import { openWebRoom, relayEnv, relayModel, roomTexts, sleep, widgetUser } from '../support/relay-kit';
import { startTestApp } from '../support/test-app';
import type { ChatClient } from '../support/web-chat-client';

/**
 * The relay when the model fails: with RELAY_WITHOUT_LLM=original-with-note the original goes out at once with a
 * localized note; with `wait` the messages wait (durably, in order) and go out translated once the model is back;
 * with no model configured at all the original always goes out with the note. Widget users on both sides.
 */
const NOTE_TH = '(ขณะนี้ระบบแปลไม่พร้อมใช้งาน จึงส่งข้อความต้นฉบับให้)';

let llm: FakeOpenAiServer;
let down = false;

beforeAll(async () => {
  llm = await startFakeOpenAiServer();
  llm.onChat((req) => (down ? { status: 503 } : relayModel(req)));
});
afterAll(async () => llm?.close());

async function room(env: Record<string, string>, withLlm = true) {
  const running = await startTestApp(relayEnv(withLlm ? llm.url : undefined, env), { seed: true });
  await running.app.get(SearchIndexerService).waitUntilIdle();
  const jp = (await widgetUser(running.url, 'seed:jp-001', 'tanaka', 'ja')).client;
  const th = (await widgetUser(running.url, 'seed:th-001', 'wichai', 'th')).client;
  await jp.request('user_message', { text: 'こんにちは', clientMessageId: 'jp-hello' });
  await th.request('user_message', { text: 'สวัสดีค่ะ', clientMessageId: 'th-hello' });
  const roomId = await openWebRoom(jp, th, 'seed:th-001');
  return { running, jp, th, roomId };
}

async function send(client: ChatClient, text: string, id: string): Promise<void> {
  const ack = await client.request('user_message', { text, clientMessageId: id });
  expect(ack.ok).toBe(true);
}

describe('RELAY_WITHOUT_LLM=original-with-note (default)', () => {
  let r: { running: RunningApp; jp: ChatClient; th: ChatClient; roomId: string };
  beforeAll(async () => {
    down = false;
    r = await room({});
  });
  afterAll(async () => {
    r?.jp.close();
    r?.th.close();
    await r?.running.close();
  });

  it('relays the original at once with a localized note, and translates again when the model is back', async () => {
    down = true;
    await send(r.jp, '金型の件、第1便の件です。', 'o-1');
    await eventually(() => roomTexts(r.th).length === 1, 'the untranslated message');
    const [first] = roomTexts(r.th);
    expect(first).toMatchObject({ text: '金型の件、第1便の件です。', lang: 'ja', note: NOTE_TH });
    expect(first.original).toBeUndefined();

    down = false;
    await send(r.jp, '金型の件、第2便の件です。', 'o-2');
    await eventually(() => roomTexts(r.th).length === 2, 'the translated message');
    expect(roomTexts(r.th)[1]).toMatchObject({ text: 'คำแปลภาษาไทย 2', lang: 'th' });
    expect(roomTexts(r.th)[1].note).toBeUndefined();
  });
});

describe('RELAY_WITHOUT_LLM=wait', () => {
  let r: { running: RunningApp; jp: ChatClient; th: ChatClient; roomId: string };
  beforeAll(async () => {
    down = false;
    r = await room({ RELAY_WITHOUT_LLM: 'wait', LLM_CIRCUIT_COOLDOWN_MS: '300' });
  });
  afterAll(async () => {
    r?.jp.close();
    r?.th.close();
    await r?.running.close();
  });

  it('holds the messages while the model is down, then delivers them translated, in order, once', async () => {
    down = true;
    for (let i = 1; i <= 3; i++) await send(r.jp, `第${i}便の件です。`, `w-${i}`);
    // Nothing to translate, but later in the room: it waits behind them (order holds per room).
    await send(r.th, 'OK', 'w-th-ok');
    await sleep(1500);
    expect(roomTexts(r.th)).toHaveLength(0);
    expect(roomTexts(r.jp)).toHaveLength(0);
    const { rows } = await r.running.database.pool.query(
      `SELECT status, last_error IS NOT NULL AS failed FROM relay_messages
       WHERE room_id = $1 AND kind = 'text' AND lang = 'ja' ORDER BY seq`,
      [r.roomId],
    );
    expect(rows.map((x: any) => x.status)).toEqual(['pending', 'pending', 'pending']);
    expect(rows[0].failed).toBe(true);

    down = false;
    await eventually(() => roomTexts(r.th).length === 3, 'the held messages', 20_000);
    await sleep(300);
    expect(roomTexts(r.th).map((m) => m.text)).toEqual([
      'คำแปลภาษาไทย 1',
      'คำแปลภาษาไทย 2',
      'คำแปลภาษาไทย 3',
    ]);
    expect(roomTexts(r.th).every((m) => m.note === undefined && m.original?.lang === 'ja')).toBe(true);
    await eventually(() => roomTexts(r.jp).length === 1, 'the message after them');
    expect(roomTexts(r.jp)[0]).toMatchObject({ text: 'OK' });
    expect(roomTexts(r.jp)[0].original).toBeUndefined();
  });
});

describe('no LLM configured', () => {
  let r: { running: RunningApp; jp: ChatClient; th: ChatClient; roomId: string };
  beforeAll(async () => {
    r = await room({ RELAY_WITHOUT_LLM: 'wait' }, false);
  });
  afterAll(async () => {
    r?.jp.close();
    r?.th.close();
    await r?.running.close();
  });

  it('relays the original with the note, even when configured to wait', async () => {
    const before = llm.chatRequests().length;
    await send(r.th, 'เรื่องแม่พิมพ์ ข้อความที่ 1 ครับ', 'n-1');
    await eventually(() => roomTexts(r.jp).length === 1, 'the message');
    expect(roomTexts(r.jp)[0]).toMatchObject({
      text: 'เรื่องแม่พิมพ์ ข้อความที่ 1 ครับ',
      lang: 'th',
      note: '（現在翻訳をご利用いただけないため、原文のままお届けします）',
    });
    expect(llm.chatRequests().length).toBe(before);
  });
});
