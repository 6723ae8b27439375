import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Lang } from '../companies/company-profile.schema';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { ReplyAction } from '../conversation/conversation.types';
import { PG_POOL } from '../database/database.tokens';
import { type Queryable, withTransaction } from '../database/transaction';
import type { LineMessage } from '../line/line-api.client';
import { renderBotReply } from '../line/line-message.renderer';
import { LineOutboxRepository, type OutboxDraft } from '../line/line-outbox.repository';
import { LineOutboxSender } from '../line/line-outbox.sender';
import { type RelayMessage, RelayMessageRepository } from './relay-message.repository';
import { type ReaderView, plainText, roomMenu, sideName, viewFor } from './relay-render';
import { relayTexts } from './relay-texts';
import { RelayWebSink } from './relay-web.sink';
import { RoomDirectory } from './room-directory.service';
import { type Room, RoomRepository, type RoomMember, type Side } from './room.repository';

/** What a web visitor receives for each relayed message (`room_message`). */
export interface RoomMessageEvent extends ReaderView {
  /** Delivery id: increasing per visitor, the widget's resume point (`lastRelayId`). */
  id: string;
  room: { id: string; name: string };
  quickReplies: ReplyAction[];
}

/**
 * Delivers a room's ready messages in sequence order, each to every active member but its sender (the other
 * side, and the sender's colleagues), in the reader's language. One short transaction holds the room row:
 * it records who got what, queues LINE pushes in the LINE outbox, and advances the room's delivered sequence;
 * web sockets are told after the commit (a widget that was offline fetches the rest when it reconnects). No
 * network call happens inside the transaction.
 */
@Injectable()
export class RelayDeliveryService {
  private readonly logger = new Logger('RelayDelivery');
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly messages: RelayMessageRepository,
    private readonly rooms: RoomRepository,
    private readonly directory: RoomDirectory,
    private readonly outbox: LineOutboxRepository,
    private readonly sender: LineOutboxSender,
    private readonly sink: RelayWebSink,
  ) {}

  /**
   * Delivers what is ready in a room. Calls for the same room in this process run one after another (and
   * coalesce); across processes the room row lock orders them.
   */
  deliver(roomId: string): Promise<void> {
    const current = this.running.get(roomId);
    if (current) {
      this.again.add(roomId);
      return current;
    }
    const run = (async () => {
      try {
        do {
          this.again.delete(roomId);
          await this.deliverOnce(roomId);
        } while (this.again.has(roomId));
      } finally {
        this.running.delete(roomId);
      }
    })();
    this.running.set(roomId, run);
    return run;
  }

  private async deliverOnce(roomId: string): Promise<void> {
    const room = await this.rooms.room(roomId);
    if (!room) return;
    await this.directory.load([room.aCompany, room.bCompany]);
    const result = await withTransaction(this.pool, (tx) => this.deliverIn(tx, room));
    if (!result) return;
    for (const e of result.web) this.sink.toVisitor(e.visitorId, 'room_message', e.event);
    if (result.line > 0) this.sender.nudge();
    this.logger.debug({
      msg: 'room messages delivered',
      roomId,
      messages: result.messages,
      deliveries: result.deliveries,
    });
  }

  private async deliverIn(tx: Queryable, room: Room) {
    const lock = await this.messages.lockRoom(tx, room.id);
    if (!lock) return undefined;
    const run = await this.messages.readyRun(tx, room.id, lock.deliveredSeq);
    if (run.length === 0) return undefined;
    const members = await this.rooms.members(room.id, tx);
    const readers = members.filter((m) => m.side !== 'staff' && !m.leftAt && m.chatUserId);
    // A reader whose language a message lacks (they joined after it was translated): back to translation.
    const deliverable: RelayMessage[] = [];
    for (const m of run) {
      const lacking =
        m.kind === 'text' &&
        m.lang &&
        recipients(m, readers).some((r) => r.lang !== m.lang && !m.translations[r.lang]);
      if (lacking) {
        await this.messages.needsMoreTranslation(tx, m.id);
        break;
      }
      deliverable.push(m);
    }
    if (deliverable.length === 0) return undefined;
    const focus = await this.focusOf(tx, readers);
    const contacts =
      deliverable.some((m) => m.attachment?.notice === 'contacts') && room.contactsRevealedAt
        ? await this.rooms.contactsOf(
            [room.aCompany, room.bCompany].filter((c): c is string => !!c),
            tx,
          )
        : undefined;
    const namer = this.directory.namer(room);
    const sideOf = new Map(members.map((m) => [m.id, m.side]));

    const drafts: OutboxDraft[] = [];
    const pendingRows: Array<{ messageId: string; memberId: string; lang: Lang; draft?: number }> = [];
    const webViews: Array<{ key: string; visitorId: string; event: Omit<RoomMessageEvent, 'id'> }> = [];
    for (const message of deliverable) {
      const senderSide = sideOf.get(message.senderMemberId ?? '');
      for (const reader of recipients(message, readers)) {
        const view = viewFor(message, {
          reader: { lang: reader.lang, side: reader.side },
          senderSide: senderSide === 'a' || senderSide === 'b' ? senderSide : undefined,
          companyName: namer,
          contacts: contacts
            ? { a: room.aCompany ? contacts.get(room.aCompany) : undefined, b: contacts.get(room.bCompany) }
            : undefined,
          fileUrl: (id, token) => `/relay/files/${id}/${token}`,
        });
        if (!view) continue;
        const readerSide: Side = reader.side === 'b' ? 'b' : 'a';
        const roomName = sideName(readerSide === 'a' ? 'b' : 'a', reader.lang, { companyName: namer });
        const quickReplies = quickRepliesFor(view, message, reader.lang, room.id);
        if (reader.channel === 'line') {
          const focused = focus.get(reader.address) === room.id;
          drafts.push({
            conversationKey: `user:${reader.address}`,
            toId: reader.address,
            messages: this.lineMessages(view, reader.lang, roomName, focused, quickReplies, room.id),
          });
          pendingRows.push({
            messageId: message.id,
            memberId: reader.id,
            lang: reader.lang,
            draft: drafts.length - 1,
          });
        } else {
          pendingRows.push({ messageId: message.id, memberId: reader.id, lang: reader.lang });
          webViews.push({
            key: `${message.id}:${reader.id}`,
            visitorId: reader.address,
            // The widget shows the original with its own toggle; only notices bring buttons.
            event: {
              ...view,
              room: { id: room.id, name: roomName },
              quickReplies: view.original ? [] : quickReplies,
            },
          });
        }
      }
    }
    const outboxIds = await this.outbox.insert(tx, undefined, drafts);
    const inserted = await this.messages.insertDeliveries(
      tx,
      pendingRows.map((r) => ({
        messageId: r.messageId,
        memberId: r.memberId,
        lang: r.lang,
        outboxId: r.draft !== undefined ? outboxIds[r.draft] : undefined,
      })),
    );
    const last = deliverable[deliverable.length - 1];
    await this.messages.markDelivered(
      tx,
      room.id,
      deliverable.map((m) => m.id),
      last.seq,
    );
    const ids = new Map(inserted.map((d) => [`${d.messageId}:${d.memberId}`, d.id]));
    const web = webViews
      .filter((w) => ids.has(w.key))
      .map((w) => ({
        visitorId: w.visitorId,
        event: { ...w.event, id: ids.get(w.key)! },
      }));
    return { web, line: drafts.length, messages: deliverable.length, deliveries: inserted.length };
  }

  /** The room each LINE reader's thread is focused on (an unfocused reader sees which room a message is from). */
  private async focusOf(tx: Queryable, readers: RoomMember[]): Promise<Map<string, string | null>> {
    const line = readers.filter((r) => r.channel === 'line').map((r) => r.address);
    if (line.length === 0) return new Map();
    const { rows } = await tx.query<{ address: string; focused_room_id: string | null }>(
      `SELECT address, focused_room_id FROM relay_threads WHERE channel = 'line' AND address = ANY($1::text[])`,
      [line],
    );
    return new Map(rows.map((r) => [r.address, r.focused_room_id]));
  }

  /** The LINE messages of one view: a text bubble, and an image when LINE can fetch it over https. */
  private lineMessages(
    view: ReaderView,
    lang: Lang,
    roomName: string,
    focused: boolean,
    quickReplies: ReplyAction[],
    roomId: string,
  ): LineMessage[] {
    const t = relayTexts(lang);
    const actions = [...quickReplies];
    if (!focused && view.kind !== 'notice')
      actions.push({
        label: t.labels.reply,
        postback: `action=room-focus&r=${roomId}`,
        displayText: t.labels.reply,
      });
    let text = `${focused ? '' : `${t.roomTag(roomName)} `}${plainText(view)}`;
    const base = this.config.http.publicBaseUrl?.replace(/\/+$/, '');
    const url = view.attachment?.url && base ? `${base}${view.attachment.url}` : undefined;
    const image =
      url &&
      url.startsWith('https://') &&
      view.attachment?.media === 'image' &&
      isLineImage(view.attachment.contentType);
    if (url && !image) text += `\n${t.openIt(url)}`;
    const messages = renderBotReply({ lang, texts: [text], quickReplies: actions });
    if (image) {
      const quickReply = messages[messages.length - 1].quickReply;
      delete messages[messages.length - 1].quickReply;
      messages.push({
        type: 'image',
        originalContentUrl: url,
        previewImageUrl: url,
        ...(quickReply ? { quickReply } : {}),
      });
    }
    return messages;
  }
}

/** Who gets a message: active readers other than its sender who had joined when it was written. */
function recipients(message: RelayMessage, readers: RoomMember[]): RoomMember[] {
  const except = message.attachment?.except;
  return readers.filter(
    (r) =>
      r.id !== except &&
      r.id !== message.senderMemberId &&
      r.joinedAt.getTime() <= message.createdAt.getTime(),
  );
}

function quickRepliesFor(view: ReaderView, message: RelayMessage, lang: Lang, roomId: string): ReplyAction[] {
  const t = relayTexts(lang);
  if (view.original)
    return [
      { label: t.showOriginal, postback: `action=room-orig&m=${message.id}`, displayText: t.showOriginal },
    ];
  const notice = message.attachment?.notice;
  if (notice === 'opened') return roomMenu(lang, roomId);
  if (notice === 'share-requested')
    return [
      { label: t.labels.share, postback: `action=room-share&r=${roomId}`, displayText: t.labels.share },
    ];
  return [];
}

/** LINE shows JPEG and PNG images only. */
function isLineImage(contentType: string | undefined): boolean {
  return contentType === 'image/jpeg' || contentType === 'image/png';
}
