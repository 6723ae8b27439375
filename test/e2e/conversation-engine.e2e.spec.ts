import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type RunningApp, startApp } from '../../src/bootstrap/start-app';
import { loadConfig } from '../../src/config/app-config';
import { ConversationService } from '../../src/conversation/conversation.service';
import type { BotReply, InboundCommand } from '../../src/conversation/conversation.types';
import { SearchIndexerService } from '../../src/matching/indexing/search-indexer.service';

/**
 * The channel-neutral engine as the LINE side calls it, on an on-disk embedded database that is restarted in the
 * middle of a conversation: nothing about the thread may be lost.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kakehashi-conversation-e2e-'));
let running: RunningApp | undefined;
let seq = 0;

async function boot(): Promise<ConversationService> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    DATA_DIR: dataDir,
  });
  running = await startApp(config, { seed: true });
  await running.app.get(SearchIndexerService).waitUntilIdle();
  return running.app.get(ConversationService);
}

afterAll(async () => {
  await running?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function command(
  userId: string,
  input: { text?: string; postback?: string },
  extra: Partial<InboundCommand> = {},
): InboundCommand {
  return {
    channel: 'line',
    userId,
    conversationId: userId,
    receivedAt: new Date(),
    meta: { messageId: `m-${++seq}` },
    ...input,
    ...extra,
  };
}

test('a Japanese user finds Thai auto-parts makers, narrows, pages, asks for details and an introduction, across a restart', async () => {
  let chat = await boot();
  const u = 'U-ja-autoparts';
  const first: BotReply = await chat.handle(command(u, { text: 'タイで自動車部品のメーカーを探しています' }));
  expect(first.lang).toBe('ja');
  expect(first.texts[0]).toMatch(/タイの候補企業を\d社見つけました。/);
  expect(first.cards!.length).toBeGreaterThanOrEqual(3);
  expect(first.cards!.every((c) => c.country === 'TH')).toBe(true);
  expect(first.cards![0].subtitle ?? '').toMatch(/Automotive|自動車/);
  expect(first.messageId).toMatch(/^\d+$/);

  const oem = await chat.handle(command(u, { text: 'OEMだけ' }));
  expect(oem.texts[0]).toMatch(/^OEMで絞り込みました。/);

  // Restart: state (search, last results, language) and history survive.
  await running!.close();
  running = undefined;
  chat = await boot();

  const details = await chat.handle(command(u, { text: '1番の詳細' }));
  expect(details.lang).toBe('ja');
  expect(details.cards![0].externalId).toBe(oem.cards![0].externalId);
  expect(details.texts[0]).toMatch(/所在地:/);
  // Industries curated in English and Thai only are named in Japanese for a Japanese reader.
  expect(details.texts[0]).toMatch(/業種: [^\n]*[\u3040-\u30ff\u4e00-\u9fff]/);
  expect(details.texts[0]).not.toMatch(/業種: [^\n]*(Automotive|Steel|Manufacture)/);
  expect(details.texts[0]).not.toMatch(/@|\+66|tel/i);

  // An introduction request starts the introductions flow (src/introductions): a drafted message to confirm.
  const intro = await chat.handle(
    command(u, { postback: `action=intro&id=${encodeURIComponent(oem.cards![0].externalId)}` }),
  );
  expect(intro.texts[0]).toMatch(/へのご紹介を依頼します/);
  const again = await chat.handle(
    command(u, { postback: `action=intro&id=${encodeURIComponent(oem.cards![0].externalId)}` }),
  );
  expect(again.texts[0]).toBe(intro.texts[0]);
  const { rows } = await running!.database.pool.query(
    `SELECT count(*)::int AS n FROM introductions i JOIN chat_users u ON u.id = i.requester_user_id WHERE u.channel_user_id = $1`,
    [u],
  );
  expect(rows[0].n).toBe(1);

  const human = await chat.handle(command(u, { text: '担当者と話したい' }));
  expect(human.texts[0]).toMatch(/担当者におつなぎします/);
  const conv = await running!.database.pool.query(
    `SELECT needs_staff_since IS NOT NULL AS flagged FROM chat_conversations WHERE channel_conversation_id = $1`,
    [u],
  );
  expect(conv.rows[0].flagged).toBe(true);
});

test('language: asked when unknown, remembered once chosen, and the channel hint is used for postbacks', async () => {
  const chat = running ? running.app.get(ConversationService) : await boot();
  const asked = await chat.handle(command('U-emoji', { text: '👍' }));
  expect(asked.texts[0]).toMatch(/こんにちは[\s\S]*สวัสดี[\s\S]*Hello/);
  expect(asked.quickReplies!.map((q) => q.postback)).toEqual([
    'action=lang&lang=ja',
    'action=lang&lang=th',
    'action=lang&lang=en',
  ]);
  const chosen = await chat.handle(command('U-emoji', { postback: 'action=lang&lang=th' }));
  expect(chosen.lang).toBe('th');
  const help = await chat.handle(command('U-emoji', { text: 'help' }));
  expect(help.lang).toBe('th');
  const hinted = await chat.handle(command('U-hint', { postback: 'action=help' }, { lang: 'ja' }));
  expect(hinted.lang).toBe('ja');
  expect(hinted.texts[0]).toMatch(/できること/);
});

test('groups: silent unless mentioned; duplicates handled once; unsend and edit update the stored message', async () => {
  const chat = running ? running.app.get(ConversationService) : await boot();
  const quiet = await chat.handle(
    command(
      'U-g1',
      { text: 'ヘルプ' },
      { conversationId: 'C-group', meta: { isGroup: true, mentioned: false, messageId: 'g-1' } },
    ),
  );
  expect(quiet.texts).toEqual([]);
  const first = await chat.handle(command('U-g1', { text: 'ヘルプ' }, { meta: { messageId: 'dup-9' } }));
  const second = await chat.handle(command('U-g1', { text: 'ヘルプ' }, { meta: { messageId: 'dup-9' } }));
  expect(second).toMatchObject({ duplicate: true, messageId: first.messageId });
  expect(await chat.messageEdited('line', 'dup-9', 'ヘルプをお願いします')).toBe(true);
  expect(await chat.messageUnsent('line', 'dup-9')).toBe(true);
  const { rows } = await running!.database.pool.query(
    `SELECT status, text FROM chat_messages WHERE channel_message_id = 'dup-9'`,
  );
  expect(rows).toEqual([{ status: 'unsent', text: null }]);
  const note = await chat.unsupportedMessage('line', 'U-g1');
  expect(note.lang).toBe('ja');
  expect(note.texts[0]).toMatch(/画像やスタンプ/);
});
