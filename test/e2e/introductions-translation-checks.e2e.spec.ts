import type { RunningApp } from '../../src/bootstrap/start-app';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';
import { type FakeLineApi, startFakeLineApi } from '../support/fake-line-api';
import { type FakeOpenAiServer, allMessageText, startFakeOpenAiServer } from '../support/fake-openai-server';
import { eventually, lineEnv } from '../support/line-test-app';
import {
  type LineUser,
  linkLineUser,
  lineUser,
  quickReplyData,
  relayEnv,
  relayModel,
  textsOf,
  widgetUser,
} from '../support/relay-kit';
import { startTestApp } from '../support/test-app';
import type { ChatClient } from '../support/web-chat-client';

/**
 * What an introduction does with a translation that fails its checks. The requester (widget, Japanese) writes a
 * message the model turns into chat-template garbage: the target (LINE, Thai) must get the original with the
 * "translation unavailable" note, never the garbage. The target declines with a reason the model translates but
 * drops the number from: the requester gets that translation marked unverified, with the original beside it.
 */
let fakeLine: FakeLineApi;
let llm: FakeOpenAiServer;
let running: RunningApp;
let requester: ChatClient;
let target: LineUser;
let clientIds = 0;

const MESSAGE = '来月の試作について、金型3型の見積もりをお願いできますか。';
const REASON = 'ขณะนี้กำลังการผลิตเต็มถึงเดือน 9';

beforeAll(async () => {
  fakeLine = await startFakeLineApi();
  llm = await startFakeOpenAiServer();
  llm.onChat((req) => {
    const prompt = allMessageText(req);
    if (/into Thai/.test(prompt) && prompt.includes('試作'))
      return { content: '<|im_start|>assistant\n<|im_end|>' };
    if (/into Japanese/.test(prompt) && prompt.includes('เดือน'))
      return { content: '日本語の訳文：生産能力がいっぱいです' };
    return relayModel(req);
  });
  running = await startTestApp(lineEnv(fakeLine.url, relayEnv(llm.url)), { seed: true });
  await running.app.get(SearchIndexerService).waitUntilIdle();
  requester = (await widgetUser(running.url, 'seed:jp-002', 'sato', 'ja')).client;
  target = lineUser(() => running, 'Utarget00000000000000000000000000001');
  await target.say('สวัสดีครับ');
  await eventually(() => target.received(fakeLine).length > 0, 'the greeting');
  await linkLineUser(running.url, target, 'seed:th-002');
});
afterAll(async () => {
  requester?.close();
  await running?.close();
  await fakeLine?.close();
  await llm?.close();
});

async function ask(event: 'user_message' | 'postback', body: Record<string, string>): Promise<any> {
  const answers = () => requester.events.filter((e) => e.event === 'bot_message');
  const n = answers().length;
  const ack = await requester.request(event, { ...body, clientMessageId: `t-${++clientIds}` });
  expect(ack.ok).toBe(true);
  await eventually(() => answers().length > n, 'the answer');
  return answers().at(-1)!.payload;
}

const button = (reply: any, label: RegExp): string =>
  reply.quickReplies.find((q: any) => label.test(q.label))!.postback;

it('garbage never reaches the target as a translation; an unverified one reaches the requester marked, with its original', async () => {
  const draft = await ask('postback', { data: `action=intro&id=${encodeURIComponent('seed:th-002')}` });
  const confirm = await ask('user_message', { text: MESSAGE });
  expect(confirm.texts[0]).toContain(MESSAGE);
  expect(button(draft, /この内容で依頼/)).toBeDefined();
  await ask('postback', { data: button(confirm, /この内容で依頼/) });

  await eventually(
    () => textsOf(target.received(fakeLine)).some((t) => t.includes('ส่งคำขอให้แนะนำถึงบริษัทของท่าน')),
    'the request on LINE',
  );
  const notice = target.received(fakeLine).at(-1)!;
  const shown = textsOf([notice]).join('\n');
  expect(shown).not.toContain('im_start');
  expect(shown).toContain(MESSAGE);
  expect(shown).toContain('ขณะนี้ระบบแปลไม่พร้อมใช้งาน จึงส่งข้อความต้นฉบับให้');
  // It is the original already: no "show original" button.
  expect(quickReplyData(notice, /ดูต้นฉบับ/)).toBeUndefined();

  const n = target.received(fakeLine).length;
  await target.tap(quickReplyData(notice, /ปฏิเสธ/)!);
  await eventually(() => target.received(fakeLine).length > n, 'the reason question');
  await target.say(REASON);

  await eventually(
    () =>
      requester.events.some(
        (e) => e.event === 'bot_message' && /お断りしました/.test(e.payload.texts.join('\n')),
      ),
    'the decline',
  );
  const outcome = requester.events
    .filter((e) => e.event === 'bot_message' && /お断りしました/.test(e.payload.texts.join('\n')))
    .at(-1)!
    .payload.texts.join('\n');
  expect(outcome).toContain('理由：日本語の訳文：生産能力がいっぱいです');
  expect(outcome).toContain('機械翻訳です。用語や数値の一部を自動確認できませんでした');
  expect(outcome).toContain(REASON);
});
