import type { CompanyContact, Lang } from '../companies/company-profile.schema';
import { LANG_NAMES } from '../conversation/conversation-messages';
import type { ReplyAction } from '../conversation/conversation.types';
import type { RelayAttachment, RelayMessage } from './relay-message.repository';
import { relayTexts } from './relay-texts';
import type { Side } from './room.repository';

/**
 * How one relayed message reads for one reader: in the reader's language (the translation, or the original when
 * it is already in that language or could not be translated, with a note; a translation whose checks found a minor
 * problem carries a warning), with the original attached, labelled with who wrote it. Pure: the worker renders it for LINE and the web widget. Notices are written here in the
 * reader's language, never by a model.
 */
export interface ReaderView {
  messageId: string;
  roomId: string;
  seq: number;
  kind: RelayMessage['kind'];
  /** Who wrote it, for the reader ("Tanaka Seiki", "Kakehashi coordinator"); empty for notices. */
  label: string;
  text: string;
  lang: Lang;
  original?: { text: string; lang: Lang };
  note?: string;
  attachment?: {
    url?: string;
    name?: string;
    contentType?: string;
    size?: number;
    media?: string;
    failed?: boolean;
  };
  at: string;
}

export interface RenderContext {
  /** The reader's language and side. */
  reader: { lang: Lang; side: Side | 'staff' };
  /** The sender's side (members), for the label. */
  senderSide?: Side;
  /** A side's company name in a language (the requester side may have none). */
  companyName(side: Side, lang: Lang): string | undefined;
  /** Contacts of each side's company, present only for a 'contacts' notice after both sides agreed. */
  contacts?: Partial<Record<Side, CompanyContact>>;
  /** Relative URL of a stored file. */
  fileUrl(fileId: string, token: string): string;
}

const other = (side: Side): Side => (side === 'a' ? 'b' : 'a');

export function sideName(side: Side, lang: Lang, ctx: Pick<RenderContext, 'companyName'>): string {
  return ctx.companyName(side, lang) ?? relayTexts(lang).requesterName;
}

/** The view of `message` for the reader in `ctx`, or undefined when the message is not for them. */
export function viewFor(message: RelayMessage, ctx: RenderContext): ReaderView | undefined {
  const { lang, side } = ctx.reader;
  const t = relayTexts(lang);
  const base = {
    messageId: message.id,
    roomId: message.roomId,
    seq: message.seq,
    kind: message.kind,
    at: message.createdAt.toISOString(),
  };
  if (message.kind === 'notice') {
    const a = message.attachment ?? {};
    if (a.to && a.to !== side) return undefined;
    const text = noticeText(a, lang, side, ctx);
    return text === undefined ? undefined : { ...base, label: '', text, lang };
  }
  const label =
    message.senderKind === 'staff' ? t.staffName : ctx.senderSide ? sideName(ctx.senderSide, lang, ctx) : '';
  if (message.kind === 'text') return { ...base, label, ...textFor(message, lang) };
  if (message.kind === 'sticker') {
    const keywords = message.attachment?.keywords?.filter(Boolean).slice(0, 3) ?? [];
    return { ...base, label, text: keywords.length ? t.sticker(keywords.join(', ')) : t.stickerPlain, lang };
  }
  return { ...base, label, ...mediaFor(message.attachment ?? {}, lang, ctx) };
}

function textFor(message: RelayMessage, lang: Lang): Pick<ReaderView, 'text' | 'lang' | 'original' | 'note'> {
  const source = message.text ?? '';
  if (!message.lang || message.lang === lang) return { text: source, lang: message.lang ?? lang };
  const translation = message.translations[lang];
  if (!translation || translation.unavailable) {
    return { text: source, lang: message.lang, note: relayTexts(lang).untranslated };
  }
  return {
    text: translation.text,
    lang,
    original: { text: source, lang: message.lang },
    ...(translation.flagged ? { note: relayTexts(lang).unverifiedTranslation } : {}),
  };
}

function mediaFor(
  a: RelayAttachment,
  lang: Lang,
  ctx: RenderContext,
): Pick<ReaderView, 'text' | 'lang' | 'attachment'> {
  const t = relayTexts(lang);
  if (a.location) {
    const l = a.location;
    const where = [l.title, l.address].filter(Boolean).join(' ');
    const map =
      l.latitude !== undefined && l.longitude !== undefined
        ? ` https://www.google.com/maps?q=${l.latitude},${l.longitude}`
        : '';
    return { text: t.location(`${where}${map}`.trim()), lang };
  }
  if (a.failed || !a.fileId || !a.fileToken) {
    return { text: t.attachmentFailed, lang, attachment: { failed: true } };
  }
  const text =
    a.media === 'image'
      ? t.image
      : a.media === 'video'
        ? t.video
        : a.media === 'audio'
          ? t.audio
          : t.file(a.name ?? 'file');
  return {
    text,
    lang,
    attachment: {
      url: ctx.fileUrl(a.fileId, a.fileToken),
      name: a.name,
      contentType: a.contentType,
      size: a.size,
      media: a.media,
    },
  };
}

function noticeText(
  a: RelayAttachment,
  lang: Lang,
  side: Side | 'staff',
  ctx: RenderContext,
): string | undefined {
  const t = relayTexts(lang);
  const readerSide: Side = side === 'staff' ? 'a' : side;
  const about = a.about ? sideName(a.about, lang, ctx) : '';
  switch (a.notice) {
    case 'opened':
      return t.roomOpened(sideName(other(readerSide), lang, ctx));
    case 'member-joined':
      return t.memberJoined(about);
    case 'member-left':
      return t.memberLeft(about);
    case 'staff-joined':
      return t.staffJoined;
    case 'staff-left':
      return t.staffLeft;
    case 'share-requested':
      return t.shareRequested;
    case 'closed':
      return t.closed;
    case 'contacts': {
      if (side === 'staff') return undefined;
      const theirs = other(side);
      const name = sideName(theirs, lang, ctx);
      const contact = ctx.contacts?.[theirs];
      const lines = contact ? contactLines(contact, lang) : '';
      return lines ? t.contactsRevealed(name, lines) : t.noContact(name);
    }
    default:
      return undefined;
  }
}

function contactLines(c: CompanyContact, lang: Lang): string {
  const f = relayTexts(lang).contactFields;
  return [
    c.person ? `${f.person}: ${c.person}` : '',
    c.email ? `${f.email}: ${c.email}` : '',
    c.phone ? `${f.phone}: ${c.phone}` : '',
    c.lineId ? `${f.lineId}: ${c.lineId}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** The text bubble of a view: label, text, note (LINE and plain clients). */
export function plainText(view: ReaderView): string {
  const head = view.label ? `【${view.label}】\n` : '';
  return `${head}${view.text}${view.note ? `\n${view.note}` : ''}`;
}

/** "Original (Japanese):\n…" in the reader's language. */
export function originalText(message: RelayMessage, readerLang: Lang): string {
  const t = relayTexts(readerLang);
  if (!message.text) return t.noOriginal;
  const name = message.lang ? LANG_NAMES[readerLang][message.lang] : '';
  return `${t.original(name)}\n${message.text}`;
}

/** The room's menu, for quick replies after room notices and "help". */
export function roomMenu(lang: Lang, roomId: string): ReplyAction[] {
  const l = relayTexts(lang).labels;
  const pb = (action: string) => new URLSearchParams({ action, r: roomId }).toString();
  return [
    { label: l.share, postback: pb('room-share'), displayText: l.share },
    { label: l.profile, postback: pb('room-profile'), displayText: l.profile },
    { label: l.invite, postback: pb('room-invite'), displayText: l.invite },
    { label: l.staff, postback: pb('room-staff'), displayText: l.staff },
    { label: l.report, postback: pb('room-report'), displayText: l.report },
    { label: l.bot, postback: pb('room-bot'), displayText: l.bot },
    { label: l.leave, postback: pb('room-leave'), displayText: l.leave },
  ];
}
