import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/app-config';
import type { BotReply, InboundCommand } from '../conversation/conversation.types';
import type { ConversationService } from '../conversation/conversation.service';
import type { LineApiClient } from './line-api.client';
import type { LineEvent } from './line-event';
import { LineEventHandler } from './line-event.handler';
import type { InboxRow, LineInboxRepository } from './line-inbox.repository';
import type { LineStateRepository } from './line-state.repository';
import { strictMock } from './testing/strict-mock';

const config = loadConfig({ NODE_ENV: 'test', LINE_CHANNEL_SECRET: 's', LINE_CHANNEL_ACCESS_TOKEN: 't' });
const BOT = 'Ubot';
const NOW = Date.now();

const row = (event: LineEvent, key = 'user:U1'): InboxRow => ({
  id: '42',
  eventKey: 'k',
  conversationKey: key,
  eventType: event.type ?? 'unknown',
  destination: BOT,
  event,
  attempts: 1,
  receivedAt: new Date(NOW),
});

const text = (over: Partial<LineEvent> = {}): LineEvent => ({
  type: 'message',
  mode: 'active',
  timestamp: NOW,
  replyToken: 'rt',
  source: { type: 'user', userId: 'U1' },
  message: { id: 'm1', type: 'text', text: 'タイの自動車部品メーカー' },
  ...over,
});

const reply: BotReply = { lang: 'ja', texts: ['3社見つかりました。'] };

function setup(conv: Partial<Record<keyof ConversationService, jest.Mock>> = {}, profileLanguage?: string) {
  const conversation = { handle: jest.fn().mockResolvedValue(reply), ...conv };
  const api = {
    showLoading: jest.fn().mockResolvedValue(undefined),
    getProfile: jest.fn().mockResolvedValue(profileLanguage ? { language: profileLanguage } : undefined),
  };
  const state = {
    getUser: jest.fn().mockResolvedValue(undefined),
    saveProfileLanguage: jest.fn().mockResolvedValue(undefined),
    saveReplyLang: jest.fn().mockResolvedValue(undefined),
    setFollowing: jest.fn().mockResolvedValue(undefined),
    setGroupMembership: jest.fn().mockResolvedValue(undefined),
  };
  const inbox = { redactMessageText: jest.fn().mockResolvedValue(undefined) };
  const handler = new LineEventHandler(
    config,
    strictMock<ConversationService>(conversation),
    strictMock<LineApiClient>(api),
    strictMock<LineStateRepository>(state),
    strictMock<LineInboxRepository>(inbox),
  );
  return { handler, conversation, api, state, inbox };
}

describe('LineEventHandler', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('a 1:1 text goes to the engine with the profile language, the loading animation shows, the answer is queued', async () => {
    const { handler, conversation, api, state } = setup({}, 'th-TH');
    const out = await handler.handle(row(text()));
    const command = conversation.handle.mock.calls[0][0] as InboundCommand;
    expect(command).toEqual({
      channel: 'line',
      userId: 'U1',
      conversationId: 'U1',
      text: 'タイの自動車部品メーカー',
      lang: 'th',
      receivedAt: new Date(NOW),
      meta: { isGroup: false, messageId: 'm1' },
    });
    expect(api.showLoading).toHaveBeenCalledWith('U1', config.line.loadingSeconds);
    expect(state.saveProfileLanguage).toHaveBeenCalledWith('U1', 'th-TH');
    expect(state.saveReplyLang).toHaveBeenCalledWith('U1', 'ja');
    expect(out.status).toBe('done');
    expect(out.outbox).toEqual([
      {
        conversationKey: 'user:U1',
        toId: 'U1',
        replyToken: 'rt',
        replyTokenExpiresAt: new Date(NOW + 50_000),
        messages: [{ type: 'text', text: '3社見つかりました。' }],
      },
    ]);
  });

  it('uses a profile language checked recently without asking LINE again; no language without consent', async () => {
    const fresh = setup();
    fresh.state.getUser.mockResolvedValue({
      active: true,
      profileLanguage: 'ja',
      profileCheckedAt: new Date(),
    });
    await fresh.handler.handle(row(text()));
    expect(fresh.api.getProfile).not.toHaveBeenCalled();
    expect((fresh.conversation.handle.mock.calls[0][0] as InboundCommand).lang).toBe('ja');

    const noConsent = setup();
    await noConsent.handler.handle(row(text()));
    expect((noConsent.conversation.handle.mock.calls[0][0] as InboundCommand).lang).toBeUndefined();
  });

  it('a failing loading animation or profile call does not fail the answer', async () => {
    const { handler, api } = setup();
    api.showLoading.mockRejectedValue(new Error('LINE loading 500'));
    api.getProfile.mockRejectedValue(new Error('LINE profile: timeout'));
    await expect(handler.handle(row(text()))).resolves.toMatchObject({ status: 'done' });
  });

  it('in a group: ignored unless the bot is mentioned; when mentioned, the mention is removed and no loading shows', async () => {
    const group = { type: 'group', groupId: 'C1', userId: 'U1' };
    const chatter = setup();
    const ignored = await chatter.handler.handle(row(text({ source: group }), 'group:C1'));
    expect(ignored).toEqual({ status: 'ignored', outbox: [] });

    const mentioned = setup();
    const message = {
      id: 'm2',
      type: 'text',
      text: '@Kakehashi หาผู้ผลิตเครื่องจักรญี่ปุ่น',
      mention: { mentionees: [{ index: 0, length: 10, userId: BOT, type: 'user' }] },
    };
    const out = await mentioned.handler.handle(row(text({ source: group, message }), 'group:C1'));
    expect(mentioned.conversation.handle.mock.calls[0][0]).toMatchObject({
      userId: 'U1',
      conversationId: 'C1',
      text: 'หาผู้ผลิตเครื่องจักรญี่ปุ่น',
      meta: { isGroup: true, mentioned: true, messageId: 'm2' },
    });
    expect(mentioned.api.showLoading).not.toHaveBeenCalled();
    expect(out.outbox[0].toId).toBe('C1');
  });

  it('standby mode and unknown event or message types are stored and ignored', async () => {
    const { handler } = setup();
    for (const event of [
      text({ mode: 'standby' }),
      { type: 'greatNewFeature', source: { type: 'user', userId: 'U1' } },
      { type: 'beacon', source: { type: 'user', userId: 'U1' }, beacon: { hwid: 'x' } },
      { type: 'memberJoined', source: { type: 'group', groupId: 'C1' } },
      text({ source: { type: 'unknownunknownuknown' }, message: { id: '1', type: 'unknownunknownuknown' } }),
    ])
      await expect(handler.handle(row(event))).resolves.toEqual({ status: 'ignored', outbox: [] });
  });

  it('a postback goes to the engine as postback data, in a group too', async () => {
    const { handler, conversation } = setup();
    await handler.handle(
      row({
        type: 'postback',
        timestamp: NOW,
        replyToken: 'rt',
        source: { type: 'group', groupId: 'C1', userId: 'U1' },
        postback: { data: 'action=details&id=th-1' },
      }),
    );
    expect(conversation.handle.mock.calls[0][0]).toMatchObject({
      postback: 'action=details&id=th-1',
      meta: { isGroup: true },
    });
  });

  it("follow greets in three languages with a choice (the engine's greeting); unfollow marks the user and sends nothing", async () => {
    const greeting: BotReply = {
      lang: 'en',
      texts: ['こんにちは\n\nสวัสดี\n\nHello'],
      quickReplies: [{ label: '日本語', postback: 'action=lang&lang=ja' }],
    };
    const follow = setup({ greeting: jest.fn().mockReturnValue(greeting) });
    const out = await follow.handler.handle(
      row({ type: 'follow', timestamp: NOW, replyToken: 'rt', source: { type: 'user', userId: 'U1' } }),
    );
    expect(follow.conversation.greeting).toHaveBeenCalledWith();
    expect(follow.state.setFollowing).toHaveBeenCalledWith('U1', true, new Date(NOW));
    expect((out.outbox[0].messages[0] as any).quickReply.items).toHaveLength(1);

    const unfollow = setup({ userLeft: jest.fn().mockResolvedValue(undefined) });
    const gone = await unfollow.handler.handle(
      row({ type: 'unfollow', timestamp: NOW, source: { type: 'user', userId: 'U1' } }),
    );
    expect(gone).toEqual({ status: 'done', outbox: [] });
    expect(unfollow.conversation.userLeft).toHaveBeenCalledWith('line', 'U1');
    expect(unfollow.state.setFollowing).toHaveBeenCalledWith('U1', false, new Date(NOW));
  });

  it('join introduces the bot in the group; leave records it and sends nothing', async () => {
    const intro: BotReply = { lang: 'en', texts: ['Kakehashi です / Kakehashi ค่ะ / This is Kakehashi'] };
    const { handler, state } = setup({ groupIntroduction: jest.fn().mockReturnValue(intro) });
    const joined = await handler.handle(
      row(
        { type: 'join', timestamp: NOW, replyToken: 'rt', source: { type: 'group', groupId: 'C1' } },
        'group:C1',
      ),
    );
    expect(joined.outbox[0]).toMatchObject({
      toId: 'C1',
      replyToken: 'rt',
      messages: [{ type: 'text', text: intro.texts[0] }],
    });
    const left = await handler.handle(
      row({ type: 'leave', timestamp: NOW, source: { type: 'group', groupId: 'C1' } }, 'group:C1'),
    );
    expect(left).toEqual({ status: 'done', outbox: [] });
    expect(state.setGroupMembership).toHaveBeenLastCalledWith('C1', 'group', false, new Date(NOW));
  });

  it('stickers, images and files go to the engine as attachments in 1:1 chats only (a note, or a deal room)', async () => {
    const note: BotReply = { lang: 'ja', texts: ['文字で送ってください。'] };
    const { handler, conversation } = setup({ handle: jest.fn().mockResolvedValue(note) }, 'ja');
    for (const type of ['sticker', 'image', 'video', 'audio', 'file', 'location']) {
      const out = await handler.handle(row(text({ message: { id: 'm', type } })));
      expect(out.outbox[0].messages).toEqual([{ type: 'text', text: note.texts[0] }]);
    }
    const commands = conversation.handle.mock.calls.map((c) => c[0] as InboundCommand);
    expect(commands.map((c) => c.attachment?.kind)).toEqual([
      'sticker',
      'image',
      'video',
      'audio',
      'file',
      'location',
    ]);
    expect(commands[1]).toMatchObject({
      channel: 'line',
      userId: 'U1',
      lang: 'ja',
      attachment: { kind: 'image', lineMessageId: 'm' },
    });
    const inGroup = await handler.handle(
      row(text({ source: { type: 'group', groupId: 'C1' }, message: { id: 'm', type: 'sticker' } })),
    );
    expect(inGroup.status).toBe('ignored');
  });

  it('unsend and edit update the stored message through the engine; unsend also scrubs the stored webhook', async () => {
    const { handler, conversation, inbox } = setup({
      messageUnsent: jest.fn().mockResolvedValue(true),
      messageEdited: jest.fn().mockResolvedValue(true),
    });
    await handler.handle(
      row({
        type: 'unsend',
        timestamp: NOW,
        source: { type: 'user', userId: 'U1' },
        unsend: { messageId: 'm1' },
      }),
    );
    expect(conversation.messageUnsent).toHaveBeenCalledWith('line', 'm1');
    expect(inbox.redactMessageText).toHaveBeenCalledWith('m1');
    const edited = await handler.handle(
      row(text({ type: 'messageEdited', message: { id: 'm1', type: 'text', text: 'Hello, edited world' } })),
    );
    expect(conversation.messageEdited).toHaveBeenCalledWith('line', 'm1', 'Hello, edited world');
    expect(edited).toEqual({ status: 'done', outbox: [] });
  });

  it('an old event (redelivered, or from a backlog) gets an already-expired reply token, so it is pushed', async () => {
    const { handler } = setup();
    const old = NOW - 10 * 60_000;
    const out = await handler.handle(row(text({ timestamp: old })));
    expect(out.outbox[0].replyTokenExpiresAt!.getTime()).toBe(old + 50_000);
  });

  it('the failure notice is an apology in the known language, or in all three', async () => {
    const known = setup({}, 'th');
    const [draft] = await known.handler.failureNotice(row(text()));
    expect((draft.messages[0] as any).text).toMatch(/^ขออภัย/);
    const unknown = setup();
    const [all] = await unknown.handler.failureNotice(row(text()));
    expect((all.messages[0] as any).text.split('\n\n')).toHaveLength(3);
    expect(
      await unknown.handler.failureNotice(row({ type: 'follow', source: { type: 'user', userId: 'U1' } })),
    ).toEqual([]);
  });
});
