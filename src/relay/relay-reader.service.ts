import { Injectable } from '@nestjs/common';
import type { Lang } from '../companies/company-profile.schema';
import { ProblemException } from '../common/problem';
import type { RoomMessageEvent } from './relay-delivery.service';
import { type RelayMessage, RelayMessageRepository } from './relay-message.repository';
import { plainText, sideName, viewFor } from './relay-render';
import { RoomDirectory } from './room-directory.service';
import { type Room, RoomRepository, type RoomMember, type Side } from './room.repository';

const LANGS: Lang[] = ['ja', 'th', 'en'];

/**
 * Reading rooms back: what a web visitor missed while offline (replayed in delivery order, so a reconnecting
 * widget shows every message once and in order), and a room as staff see it — every message with its original
 * and each translation side by side.
 */
@Injectable()
export class RelayReader {
  constructor(
    private readonly rooms: RoomRepository,
    private readonly messages: RelayMessageRepository,
    private readonly directory: RoomDirectory,
  ) {}

  /** Emits `room_message` for each delivery after `lastRelayId` (all of them when absent), then `room_state`. */
  async resumeWeb(
    visitorId: string,
    lastRelayId: unknown,
    emit: (event: string, payload: unknown) => unknown,
  ): Promise<number> {
    const after = typeof lastRelayId === 'string' && /^\d{1,18}$/.test(lastRelayId) ? lastRelayId : '0';
    const missed = await this.messages.deliveriesForWeb(visitorId, after);
    const cache = new Map<string, { room: Room; members: Map<string, RoomMember> }>();
    for (const d of missed) {
      const ctx = await this.roomContext(d.message.roomId, cache);
      const reader = ctx?.members.get(d.memberId);
      if (!ctx || !reader) continue;
      const event = this.eventFor(d.message, ctx.room, ctx.members, reader, d.deliveryId);
      if (event) emit('room_message', event);
    }
    const open = await this.rooms.openRoomsOf('web', visitorId);
    await this.directory.load(open.flatMap((o) => [o.room.aCompany, o.room.bCompany]));
    const thread = await this.rooms.thread('web', visitorId);
    emit('room_state', {
      rooms: open.map((o) => ({
        id: o.room.id,
        name: sideName(o.member.side === 'b' ? 'a' : 'b', o.member.lang, {
          companyName: this.directory.namer(o.room),
        }),
        focused: thread?.focus?.room.id === o.room.id,
      })),
    });
    return missed.length;
  }

  private async roomContext(
    roomId: string,
    cache: Map<string, { room: Room; members: Map<string, RoomMember> }>,
  ) {
    const hit = cache.get(roomId);
    if (hit) return hit;
    const room = await this.rooms.room(roomId);
    if (!room) return undefined;
    await this.directory.load([room.aCompany, room.bCompany]);
    const members = new Map((await this.rooms.members(roomId)).map((m) => [m.id, m]));
    const ctx = { room, members };
    cache.set(roomId, ctx);
    return ctx;
  }

  private eventFor(
    message: RelayMessage,
    room: Room,
    members: Map<string, RoomMember>,
    reader: RoomMember,
    deliveryId: string,
  ): RoomMessageEvent | undefined {
    const namer = this.directory.namer(room);
    const senderSide = members.get(message.senderMemberId ?? '')?.side;
    const view = viewFor(message, {
      reader: { lang: reader.lang, side: reader.side },
      senderSide: senderSide === 'a' || senderSide === 'b' ? senderSide : undefined,
      companyName: namer,
      // Contacts are not replayed from here: the widget keeps what it was shown.
      fileUrl: (id, token) => `/relay/files/${id}/${token}`,
    });
    if (!view) return undefined;
    const readerSide: Side = reader.side === 'b' ? 'b' : 'a';
    return {
      ...view,
      id: deliveryId,
      room: {
        id: room.id,
        name: sideName(readerSide === 'a' ? 'b' : 'a', reader.lang, { companyName: namer }),
      },
      quickReplies: [],
    };
  }

  /** The staff list of rooms, with each side's company names in every language. */
  async staffList(filter: {
    status?: 'open' | 'closed';
    needsStaff?: boolean;
    limit: number;
    offset: number;
  }) {
    const rooms = await this.rooms.list(filter);
    await this.directory.load(rooms.flatMap((r) => [r.aCompany, r.bCompany]));
    return rooms.map((r) => {
      const namer = this.directory.namer(r);
      const names = (side: Side) =>
        Object.fromEntries(LANGS.map((l) => [l, namer(side, l) ?? null])) as Record<Lang, string | null>;
      return {
        ...r,
        companies: {
          a: r.aCompany ? { externalId: r.aCompany, names: names('a') } : null,
          b: { externalId: r.bCompany, names: names('b') },
        },
      };
    });
  }

  /** A room for staff: both sides' members, and every message with its original and translations. */
  async staffView(roomId: string, limit = 200, beforeSeq?: number) {
    const room = await this.rooms.room(roomId);
    if (!room) throw new ProblemException(404, 'not-found', 'Not found', `No room ${roomId}.`);
    await this.directory.load([room.aCompany, room.bCompany]);
    const members = await this.rooms.members(roomId);
    const byId = new Map(members.map((m) => [m.id, m]));
    const namer = this.directory.namer(room);
    const messages = await this.messages.roomMessages(roomId, limit, beforeSeq);
    const companyNames = (side: Side) =>
      Object.fromEntries(LANGS.map((l) => [l, namer(side, l) ?? null])) as Record<Lang, string | null>;
    return {
      room: {
        ...room,
        companies: {
          a: room.aCompany ? { externalId: room.aCompany, names: companyNames('a') } : null,
          b: { externalId: room.bCompany, names: companyNames('b') },
        },
      },
      members: members.map((m) => ({
        id: m.id,
        side: m.side,
        channel: m.channel,
        lang: m.lang,
        displayName: m.displayName ?? null,
        joinedAt: m.joinedAt,
        leftAt: m.leftAt ?? null,
      })),
      messages: messages.map((m) => {
        const sender = byId.get(m.senderMemberId ?? '');
        const view =
          m.kind === 'notice'
            ? viewFor(m, { reader: { lang: 'en', side: 'staff' }, companyName: namer, fileUrl: () => '' })
            : undefined;
        const notice =
          m.kind === 'notice' ? (view ? plainText(view) : (m.attachment?.notice ?? '')) : undefined;
        return {
          id: m.id,
          seq: m.seq,
          senderKind: m.senderKind,
          side: sender?.side ?? null,
          senderName: sender?.displayName ?? null,
          kind: m.kind,
          status: m.status,
          original: m.text !== undefined ? { text: m.text, lang: m.lang ?? null } : null,
          translations: Object.fromEntries(
            Object.entries(m.translations).map(([lang, t]) => [
              lang,
              { text: t.text, unavailable: t.unavailable === true, flagged: t.flagged === true },
            ]),
          ),
          attachment: m.attachment?.fileId
            ? {
                url: `/relay/files/${m.attachment.fileId}/${m.attachment.fileToken}`,
                name: m.attachment.name ?? null,
                contentType: m.attachment.contentType ?? null,
                media: m.attachment.media ?? null,
              }
            : m.attachment?.keywords
              ? { keywords: m.attachment.keywords }
              : m.attachment?.failed
                ? { failed: true }
                : null,
          notice: notice ?? null,
          createdAt: m.createdAt,
        };
      }),
    };
  }
}
