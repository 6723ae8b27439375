import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { AuditRepository } from '../audit/audit.repository';
import type { Principal } from '../auth/principal';
import { actorOf } from '../auth/principal';
import type { Lang } from '../companies/company-profile.schema';
import { CompanyRepository } from '../companies/company.repository';
import { ProblemException } from '../common/problem';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { messagesFor } from '../conversation/conversation-messages';
import { ConversationService } from '../conversation/conversation.service';
import type { BotReply, InboundAttachment, InboundCommand } from '../conversation/conversation.types';
import { mainMenu } from '../conversation/reply-builder';
import { PG_POOL } from '../database/database.tokens';
import { type Queryable, withTransaction } from '../database/transaction';
import { languageOf } from './message-language';
import { RelayDeliveryService } from './relay-delivery.service';
import {
  type NewRelayMessage,
  type NoticeKey,
  type RelayAttachment,
  RelayMessageRepository,
} from './relay-message.repository';
import { originalText, roomMenu, sideName } from './relay-render';
import { relayTexts } from './relay-texts';
import { RelayWorker } from './relay.worker';
import { RoomDirectory } from './room-directory.service';
import { inviteCodeIn, type RoomCommand, roomCommandOf } from './room-commands';
import { type Room, RoomRepository, type RoomMember, type Side, type ThreadState } from './room.repository';

type Focus = { room: Room; member: RoomMember };

/** A member to put in a new room. */
export interface NewMember {
  side: Side;
  chatUserId: string;
  channel: 'line' | 'web';
  address: string;
  lang: Lang;
}

/**
 * Deal rooms from the members' side: what a thread focused on a room sends becomes a relay message (stored once,
 * translated and delivered by the worker), room commands and buttons in ja/th/en (leave, share contact, ask staff,
 * the other company's profile, invite, report, back to the bot, show original), joining with an invitation code;
 * and from the staff side: join, write, hand back, close. Replies are channel-neutral BotReplies.
 */
@Injectable()
export class RelayService {
  private readonly logger = new Logger('Relay');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly rooms: RoomRepository,
    private readonly messages: RelayMessageRepository,
    private readonly delivery: RelayDeliveryService,
    private readonly worker: RelayWorker,
    private readonly directory: RoomDirectory,
    private readonly companies: CompanyRepository,
    private readonly conversation: ConversationService,
    private readonly audit: AuditRepository,
  ) {}

  // ---- chat traffic ------------------------------------------------------------------------------------------

  /**
   * A message from a chat thread the relay may take: a room button, an invitation code, anything while the
   * thread is focused on an open room, "room" to go back to one. Undefined: the bot's.
   */
  async route(thread: ThreadState | undefined, command: InboundCommand): Promise<BotReply | undefined> {
    const channel = command.channel;
    const address = command.conversationId;
    const params = command.postback !== undefined ? new URLSearchParams(command.postback) : undefined;
    const action = params?.get('action') ?? '';
    if (action.startsWith('room-')) return this.roomAction(action, params!, command);
    const code = command.text ? inviteCodeIn(command.text) : undefined;
    if (code) return this.joinByCode(command, code);
    if (!thread) return undefined;
    if (thread.focus) {
      if (command.postback !== undefined) return undefined;
      return this.fromMember(thread.focus, command);
    }
    if (thread.staleFocusRoomId) {
      // The room closed or the member left since: say so once and give the thread back to the bot.
      await this.rooms.setFocus(this.pool, channel, address, null);
      const room = await this.rooms.room(thread.staleFocusRoomId);
      if (room?.status === 'closed' && command.postback === undefined) {
        const lang = await this.langOf(command);
        return { lang, texts: [relayTexts(lang).closedReply], quickReplies: mainMenu(lang) };
      }
      return undefined;
    }
    if (command.text && roomCommandOf(command.text) === 'room') return this.chooseRoom(command);
    return undefined;
  }

  private async fromMember(focus: Focus, command: InboundCommand): Promise<BotReply> {
    const { member } = focus;
    if (command.attachment) return this.postAttachment(focus, command.attachment, command.meta?.messageId);
    const text = command.text ?? '';
    const cmd = roomCommandOf(text);
    if (cmd) return this.command(focus, cmd, command);
    const inserted = await this.insert({
      roomId: focus.room.id,
      senderMemberId: member.id,
      senderKind: 'member',
      kind: 'text',
      text,
      lang: languageOf(text),
      channelMessageId: command.meta?.messageId,
      ready: languageOf(text) === undefined,
    });
    if (!inserted) return this.closed(focus, command);
    return { lang: member.lang, texts: [], duplicate: inserted.duplicate || undefined };
  }

  private async postAttachment(
    focus: Focus,
    a: InboundAttachment,
    channelMessageId?: string,
  ): Promise<BotReply> {
    const { room, member } = focus;
    let attachment: RelayAttachment;
    let kind: NewRelayMessage['kind'] = 'file';
    if (a.kind === 'sticker') {
      kind = 'sticker';
      attachment = { keywords: a.keywords };
    } else if (a.kind === 'location') {
      attachment = { location: a.location ?? {} };
    } else if (a.fileId) {
      const meta = await this.messages.fileMeta(a.fileId);
      if (!meta || (meta.roomId && meta.roomId !== room.id)) attachment = { failed: true };
      else {
        await this.messages.attachFile(this.pool, a.fileId, room.id);
        kind = meta.contentType.startsWith('image/') ? 'image' : 'file';
        attachment = {
          fileId: a.fileId,
          fileToken: meta.token,
          name: meta.name,
          contentType: meta.contentType,
          size: meta.size,
          media: kind === 'image' ? 'image' : 'file',
        };
      }
    } else if (a.lineMessageId) {
      kind = a.kind === 'image' ? 'image' : 'file';
      const tooLarge = a.size !== undefined && a.size > this.config.relay.uploadMaxBytes;
      attachment = {
        lineMessageId: a.lineMessageId,
        name: a.fileName,
        size: a.size,
        media: a.kind,
        ...(tooLarge ? { failed: true } : {}),
      };
    } else attachment = { failed: true };
    // Only LINE content still has to be fetched (by the worker); everything else can go out now.
    const inserted = await this.insert({
      roomId: room.id,
      senderMemberId: member.id,
      senderKind: 'member',
      kind,
      attachment,
      channelMessageId,
      ready: !attachment.lineMessageId || attachment.failed === true,
    });
    if (!inserted) return this.closed(focus, undefined);
    return { lang: member.lang, texts: [], duplicate: inserted.duplicate || undefined };
  }

  private async command(focus: Focus, cmd: RoomCommand, command: InboundCommand): Promise<BotReply> {
    const { room, member } = focus;
    const lang = member.lang;
    const t = relayTexts(lang);
    switch (cmd) {
      case 'leave':
        return this.askLeave(focus);
      case 'share':
        return this.share(focus);
      case 'staff':
        return this.askStaff(focus);
      case 'report':
        return this.report(focus);
      case 'profile':
        return this.profile(focus);
      case 'invite':
        return this.invite(focus);
      case 'bot':
        await this.rooms.setFocus(this.pool, command.channel, command.conversationId, null);
        return { lang, texts: [t.backToBot], quickReplies: mainMenu(lang) };
      case 'original': {
        const last = await this.messages.deliveredTo([member.id]);
        return { lang, texts: [last ? originalText(last, lang) : t.noOriginal] };
      }
      case 'room':
        await this.directory.load([room.aCompany, room.bCompany]);
        return {
          lang,
          texts: [t.focused(this.otherName(room, member, lang))],
          quickReplies: roomMenu(lang, room.id),
        };
      case 'help':
      default:
        return { lang, texts: [t.help], quickReplies: roomMenu(lang, room.id) };
    }
  }

  /** Buttons (postbacks `action=room-…&r=<room>` or `&m=<message>`), wherever the thread's focus is. */
  private async roomAction(
    action: string,
    params: URLSearchParams,
    command: InboundCommand,
  ): Promise<BotReply> {
    const channel = command.channel;
    const address = command.conversationId;
    if (action === 'room-orig') {
      const lang = await this.langOf(command);
      const ids = await this.memberIdsOf(channel, address);
      const message = await this.messages.deliveredTo(ids, params.get('m') ?? undefined);
      return { lang, texts: [message ? originalText(message, lang) : relayTexts(lang).noOriginal] };
    }
    if (action === 'room-cancel') {
      const lang = await this.langOf(command);
      return { lang, texts: [relayTexts(lang).labels.cancel] };
    }
    const roomId = params.get('r') ?? '';
    const focus = /^[0-9a-f-]{36}$/.test(roomId)
      ? await this.rooms.activeMember(roomId, channel, address)
      : undefined;
    if (!focus || focus.room.status !== 'open') {
      const lang = await this.langOf(command);
      if (focus || roomId)
        await this.rooms.setFocus(this.pool, channel, address, null).catch(() => undefined);
      return { lang, texts: [relayTexts(lang).closedReply], quickReplies: mainMenu(lang) };
    }
    switch (action) {
      case 'room-focus':
        await this.rooms.setFocus(this.pool, channel, address, roomId);
        return this.command(focus, 'room', command);
      case 'room-share':
        return this.share(focus);
      case 'room-profile':
        return this.profile(focus);
      case 'room-invite':
        return this.invite(focus);
      case 'room-staff':
        return this.askStaff(focus);
      case 'room-report':
        return this.report(focus);
      case 'room-bot':
        return this.command(focus, 'bot', command);
      case 'room-leave':
        return this.askLeave(focus);
      case 'room-leave-yes':
        return this.leave(focus);
      default:
        return this.command(focus, 'help', command);
    }
  }

  private askLeave({ room, member }: Focus): BotReply {
    const t = relayTexts(member.lang);
    return {
      lang: member.lang,
      texts: [t.leaveConfirm(this.otherName(room, member, member.lang))],
      quickReplies: [
        {
          label: t.labels.leaveYes,
          postback: `action=room-leave-yes&r=${room.id}`,
          displayText: t.labels.leaveYes,
        },
        { label: t.labels.cancel, postback: 'action=room-cancel', displayText: t.labels.cancel },
      ],
    };
  }

  private async leave({ room, member }: Focus): Promise<BotReply> {
    const side = member.side === 'b' ? 'b' : 'a';
    await withTransaction(this.pool, async (tx) => {
      if (!(await this.rooms.leave(tx, member.id))) return;
      await this.rooms.setFocus(tx, member.channel, member.address, null);
      await this.notice(tx, room.id, 'member-left', { about: side });
    });
    this.kick(room.id);
    this.logger.log({ msg: 'room member left', roomId: room.id, memberId: member.id });
    const lang = member.lang;
    return { lang, texts: [relayTexts(lang).youLeft], quickReplies: mainMenu(lang) };
  }

  private async share({ room, member }: Focus): Promise<BotReply> {
    const t = relayTexts(member.lang);
    if (member.side === 'staff') return { lang: member.lang, texts: [t.help] };
    const side = member.side;
    const result = await withTransaction(this.pool, async (tx) => {
      const marked = await this.rooms.markShare(tx, room.id, side);
      if (!marked) return undefined;
      const revealedNow = marked.revealedNow;
      if (revealedNow) await this.notice(tx, room.id, 'contacts', {});
      else if (marked.first)
        await this.notice(tx, room.id, 'share-requested', { to: side === 'a' ? 'b' : 'a' });
      if (marked.first)
        await this.audit.record(tx, [
          {
            entityType: 'room',
            entityId: room.id,
            action: revealedNow ? 'contacts-revealed' : 'share-contact',
            actor: `chat:${member.chatUserId ?? member.id}`,
            after: { side },
          },
        ]);
      return marked;
    });
    if (!result) return this.closed({ room, member }, undefined);
    this.kick(room.id);
    return { lang: member.lang, texts: [result.first ? t.shareYours : t.shareAlready] };
  }

  private async askStaff({ room, member }: Focus): Promise<BotReply> {
    const t = relayTexts(member.lang);
    const already = !!room.needsStaffSince;
    await this.rooms.flag(this.pool, room.id, 'needs-staff');
    this.logger.log({ msg: 'room asks for staff', roomId: room.id });
    return { lang: member.lang, texts: [already ? t.staffAlready : t.staffAsked] };
  }

  private async report({ room, member }: Focus): Promise<BotReply> {
    await withTransaction(this.pool, async (tx) => {
      await this.rooms.flag(tx, room.id, 'reported');
      await this.audit.record(tx, [
        {
          entityType: 'room',
          entityId: room.id,
          action: 'report',
          actor: `chat:${member.chatUserId ?? member.id}`,
        },
      ]);
    });
    this.logger.warn({ msg: 'room reported', roomId: room.id, memberId: member.id });
    return { lang: member.lang, texts: [relayTexts(member.lang).reported] };
  }

  /** The other side's public profile (never its contacts), in the reader's language. */
  private async profile({ room, member }: Focus): Promise<BotReply> {
    const lang = member.lang;
    const otherCompany = member.side === 'a' ? room.bCompany : room.aCompany;
    const profile = otherCompany ? await this.companies.findByExternalId(otherCompany) : undefined;
    if (!profile || profile.status === 'archived')
      return { lang, texts: [messagesFor(lang).detailsNotFound], quickReplies: roomMenu(lang, room.id) };
    const details = this.conversation.profileDetails(profile, lang);
    return { lang, texts: details.texts, quickReplies: roomMenu(lang, room.id) };
  }

  private async invite({ room, member }: Focus): Promise<BotReply> {
    const lang = member.lang;
    if (member.side === 'staff') return { lang, texts: [relayTexts(lang).help] };
    const code = await this.rooms.createInvite(
      room.id,
      member.side,
      `chat:${member.chatUserId ?? member.id}`,
      this.config.relay.inviteTtlHours,
    );
    this.logger.log({ msg: 'room invitation created', roomId: room.id });
    return { lang, texts: [relayTexts(lang).invite(code, this.config.relay.inviteTtlHours)] };
  }

  private async chooseRoom(command: InboundCommand): Promise<BotReply> {
    const lang = await this.langOf(command);
    const t = relayTexts(lang);
    const open = await this.rooms.openRoomsOf(command.channel, command.conversationId);
    if (open.length === 0) return { lang, texts: [t.noRooms], quickReplies: mainMenu(lang) };
    if (open.length === 1) {
      await this.rooms.setFocus(this.pool, command.channel, command.conversationId, open[0].room.id);
      return this.command(open[0], 'room', command);
    }
    await this.directory.load(open.flatMap((o) => [o.room.aCompany, o.room.bCompany]));
    return {
      lang,
      texts: [t.chooseRoom],
      quickReplies: open.map((o) => {
        const name = this.otherName(o.room, o.member, lang);
        return { label: name, postback: `action=room-focus&r=${o.room.id}`, displayText: name };
      }),
    };
  }

  /** "join ABC123": a colleague joins one side of a room (LINE or web, whatever the others use). */
  private async joinByCode(command: InboundCommand, code: string): Promise<BotReply> {
    if (command.meta?.isGroup) return { lang: command.lang ?? 'en', texts: [] };
    // What the user typed says more about their language than the channel's hint (a widget's page language).
    const typed = languageOf(command.text ?? '');
    const user = await this.conversation.ensureUser(command.channel, command.userId, typed ?? command.lang);
    const lang =
      (user.langSource === 'chosen' ? user.lang : undefined) ?? typed ?? user.lang ?? command.lang ?? 'en';
    const t = relayTexts(lang);
    const joined = await withTransaction(this.pool, async (tx) => {
      const invite = await this.rooms.takeInvite(tx, code);
      if (!invite) return undefined;
      const added = await this.rooms.addMember(tx, {
        roomId: invite.roomId,
        side: invite.side,
        chatUserId: user.id,
        channel: command.channel,
        address: command.conversationId,
        lang,
      });
      if (added.alreadyActive) return { roomId: invite.roomId, side: invite.side, already: true };
      await this.rooms.inviteUsed(tx, code, added.id);
      await this.rooms.setFocus(tx, command.channel, command.conversationId, invite.roomId);
      await this.notice(tx, invite.roomId, 'member-joined', { about: invite.side, except: added.id });
      await this.audit.record(tx, [
        {
          entityType: 'room',
          entityId: invite.roomId,
          action: 'member-joined',
          actor: `chat:${user.id}`,
          after: { side: invite.side, channel: command.channel },
        },
      ]);
      return { roomId: invite.roomId, side: invite.side, already: false };
    });
    if (!joined) return { lang, texts: [t.inviteInvalid], quickReplies: mainMenu(lang) };
    if (joined.already) return { lang, texts: [t.inviteAlreadyMember] };
    this.kick(joined.roomId);
    this.logger.log({ msg: 'room member joined', roomId: joined.roomId, side: joined.side });
    const room = await this.rooms.room(joined.roomId);
    await this.directory.load([room?.aCompany, room?.bCompany]);
    const other = room
      ? sideName(joined.side === 'a' ? 'b' : 'a', lang, { companyName: this.directory.namer(room) })
      : '';
    return { lang, texts: [t.joinedRoom(other)], quickReplies: roomMenu(lang, joined.roomId) };
  }

  private async closed(focus: Focus, command: InboundCommand | undefined): Promise<BotReply> {
    const { member } = focus;
    await this.rooms.setFocus(
      this.pool,
      command?.channel ?? member.channel,
      command?.conversationId ?? member.address,
      null,
    );
    return {
      lang: member.lang,
      texts: [relayTexts(member.lang).closedReply],
      quickReplies: mainMenu(member.lang),
    };
  }

  // ---- rooms opened by introductions -------------------------------------------------------------------------

  /**
   * Opens a room for an accepted introduction, inside the caller's transaction: the members of both sides,
   * their threads focused on it, and the "room opened" notice as the room's first message. Call `kick(roomId)`
   * after the commit.
   */
  async openRoom(
    tx: Queryable,
    spec: { introductionId?: string; aCompany?: string; bCompany: string; members: NewMember[] },
  ): Promise<string> {
    const roomId = await this.rooms.createRoom(tx, spec);
    for (const m of spec.members) {
      await this.rooms.addMember(tx, { roomId, ...m });
      await this.rooms.setFocus(tx, m.channel, m.address, roomId);
    }
    await this.notice(tx, roomId, 'opened', {});
    return roomId;
  }

  /** Something in the room is ready (a notice, an untranslated message): deliver now. */
  kick(roomId: string): void {
    this.delivery
      .deliver(roomId)
      .catch((err: Error) => this.logger.error({ msg: 'room delivery failed', roomId, error: err.message }));
  }

  // ---- staff ---------------------------------------------------------------------------------------------------

  async staffJoin(roomId: string, staff: Principal, lang: Lang): Promise<{ memberId: string }> {
    const memberId = await withTransaction(this.pool, async (tx) => {
      const room = await this.rooms.room(roomId, tx, true);
      if (!room) throw notFound(roomId);
      if (room.status !== 'open')
        throw new ProblemException(409, 'room-closed', 'Room closed', 'This room is closed.');
      const added = await this.rooms.addMember(tx, {
        roomId,
        side: 'staff',
        channel: 'console',
        address: staff.id,
        displayName: staff.name,
        lang,
      });
      await this.rooms.flag(tx, roomId, 'staff-mode');
      if (!added.alreadyActive) {
        await this.notice(tx, roomId, 'staff-joined', {});
        await this.audit.record(tx, [
          { entityType: 'room', entityId: roomId, action: 'staff-join', actor: actorOf(staff) },
        ]);
      }
      return added.id;
    });
    this.kick(roomId);
    return { memberId };
  }

  /** Staff write in their own language; the relay translates it for every member of both sides. */
  async staffPost(
    roomId: string,
    staff: Principal,
    text: string,
    lang?: Lang,
  ): Promise<{ messageId: string; seq: number }> {
    const clean = text.trim();
    if (!clean) throw new ProblemException(400, 'validation', 'Invalid request', 'The message is empty.');
    const joined = await this.rooms.activeMember(roomId, 'console', staff.id);
    const memberId = joined?.member.id ?? (await this.staffJoin(roomId, staff, lang ?? 'en')).memberId;
    const source = lang ?? languageOf(clean);
    const inserted = await this.insert({
      roomId,
      senderMemberId: memberId,
      senderKind: 'staff',
      kind: 'text',
      text: clean,
      lang: source,
      ready: source === undefined,
    });
    if (!inserted) throw new ProblemException(409, 'room-closed', 'Room closed', 'This room is closed.');
    this.logger.log({ msg: 'staff wrote in room', roomId, messageId: inserted.id });
    return { messageId: inserted.id, seq: inserted.seq };
  }

  /** The coordinator leaves; the relay goes on as before and the staff flag clears. */
  async staffHandBack(roomId: string, staff: Principal): Promise<void> {
    await withTransaction(this.pool, async (tx) => {
      const room = await this.rooms.room(roomId, tx, true);
      if (!room) throw notFound(roomId);
      const joined = await this.rooms.activeMember(roomId, 'console', staff.id, tx);
      if (joined) await this.rooms.leave(tx, joined.member.id);
      await this.rooms.flag(tx, roomId, 'bot-mode');
      if (joined && room.status === 'open') await this.notice(tx, roomId, 'staff-left', {});
      await this.audit.record(tx, [
        { entityType: 'room', entityId: roomId, action: 'hand-back', actor: actorOf(staff) },
      ]);
    });
    this.kick(roomId);
  }

  async staffClose(roomId: string, staff: Principal, reason?: string): Promise<void> {
    await withTransaction(this.pool, async (tx) => {
      const room = await this.rooms.room(roomId, tx, true);
      if (!room) throw notFound(roomId);
      if (room.status === 'closed') return;
      // The notice is the room's last message; members' threads go back to the bot on their next message.
      await this.notice(tx, roomId, 'closed', {});
      await this.rooms.close(tx, roomId, actorOf(staff));
      await this.audit.record(tx, [
        {
          entityType: 'room',
          entityId: roomId,
          action: 'close',
          actor: actorOf(staff),
          after: reason ? { reason: reason.slice(0, 500) } : null,
        },
      ]);
    });
    this.kick(roomId);
  }

  async staffInvite(
    roomId: string,
    side: Side,
    staff: Principal,
  ): Promise<{ code: string; expiresInHours: number }> {
    const room = await this.rooms.room(roomId);
    if (!room) throw notFound(roomId);
    if (room.status !== 'open')
      throw new ProblemException(409, 'room-closed', 'Room closed', 'This room is closed.');
    const code = await this.rooms.createInvite(
      roomId,
      side,
      actorOf(staff),
      this.config.relay.inviteTtlHours,
    );
    return { code, expiresInHours: this.config.relay.inviteTtlHours };
  }

  // ---- helpers -------------------------------------------------------------------------------------------------

  private async insert(m: NewRelayMessage, db?: Queryable) {
    const inserted = await this.messages.insert(m, db);
    if (inserted && !inserted.duplicate && !db) {
      if (m.ready) this.kick(m.roomId);
      else this.worker.nudge();
    }
    return inserted;
  }

  private async notice(
    tx: Queryable,
    roomId: string,
    notice: NoticeKey,
    extra: Pick<RelayAttachment, 'to' | 'about' | 'except'>,
  ): Promise<void> {
    await this.messages.insert(
      { roomId, senderKind: 'system', kind: 'notice', attachment: { notice, ...extra }, ready: true },
      tx,
    );
  }

  private otherName(room: Room, member: RoomMember, lang: Lang): string {
    const side: Side = member.side === 'b' ? 'a' : 'b';
    return sideName(side, lang, { companyName: this.directory.namer(room) });
  }

  private async memberIdsOf(channel: string, address: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM deal_room_members WHERE channel = $1 AND address = $2`,
      [channel, address],
    );
    return rows.map((r) => r.id);
  }

  private async langOf(command: InboundCommand): Promise<Lang> {
    const { rows } = await this.pool.query<{ lang: Lang | null }>(
      `SELECT lang FROM chat_users WHERE channel = $1 AND channel_user_id = $2`,
      [command.channel, command.userId],
    );
    return rows[0]?.lang ?? command.lang ?? (command.text ? languageOf(command.text) : undefined) ?? 'en';
  }
}

function notFound(roomId: string): ProblemException {
  return new ProblemException(404, 'not-found', 'Not found', `No room ${roomId}.`);
}
