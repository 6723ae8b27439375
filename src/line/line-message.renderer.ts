import type { Lang } from '../companies/company-profile.schema';
import type { BotReply, ReplyAction, ReplyCard } from '../conversation/conversation.types';
import type {
  LineAction,
  LineFlexBubble,
  LineFlexComponent,
  LineMessage,
  LineQuickReplyItem,
} from './line-api.client';
import { COUNTRY_NAMES, LINE_TEXTS } from './line-texts';

/**
 * Renders the engine's channel-neutral `BotReply` as LINE messages: text bubbles, the company cards as one
 * Flex carousel (with a plain-text `altText` for notifications and old clients), quick replies on the last
 * message. LINE rejects a whole request when one limit is broken, so every limit is enforced here.
 */
export const LINE_LIMITS = {
  messagesPerRequest: 5,
  bubblesPerCarousel: 12,
  quickReplyItems: 13,
  /** Action labels count grapheme clusters (LINE's "character counting" rules). */
  actionLabel: 20,
  /** Texts count UTF-16 code units. */
  text: 5000,
  altText: 1500,
  postbackData: 300,
  displayText: 300,
  uri: 1000,
  buttonsPerCard: 3,
} as const;

export function renderBotReply(reply: BotReply): LineMessage[] {
  const cards = (reply.cards ?? []).slice(0, LINE_LIMITS.bubblesPerCarousel);
  const carousel = cards.length > 0 ? renderCarousel(cards, reply.lang) : undefined;
  const textSlots = LINE_LIMITS.messagesPerRequest - (carousel ? 1 : 0);
  const texts = packTexts(reply.texts, textSlots);
  const quickReply = renderQuickReplies(reply.quickReplies ?? []);

  const messages: LineMessage[] = texts.map((text) => ({ type: 'text', text }));
  if (carousel) messages.push(carousel);
  // Quick replies need a message to ride on.
  if (messages.length === 0 && quickReply)
    messages.push({ type: 'text', text: LINE_TEXTS.choose[reply.lang] });
  if (quickReply && messages.length > 0) messages[messages.length - 1].quickReply = quickReply;
  return messages;
}

/** A plain text message (notes, intros), split and packed like reply texts. */
export function renderTexts(texts: string[]): LineMessage[] {
  return packTexts(texts, LINE_LIMITS.messagesPerRequest).map((text) => ({ type: 'text', text }));
}

/**
 * Fits texts into at most `slots` bubbles of at most 5,000 UTF-16 units: long texts are split (at a paragraph,
 * line or sentence end when there is one), and when there are more pieces than slots, neighbours are joined.
 */
export function packTexts(texts: string[], slots: number): string[] {
  const pieces = texts
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .flatMap((t) => splitText(t, LINE_LIMITS.text));
  if (slots <= 0) return [];
  const packed: string[] = [];
  for (const [i, piece] of pieces.entries()) {
    const last = packed[packed.length - 1];
    const remainingPieces = pieces.length - i;
    const mustJoin = packed.length + remainingPieces > slots;
    if (last !== undefined && mustJoin && last.length + 2 + piece.length <= LINE_LIMITS.text) {
      packed[packed.length - 1] = `${last}\n\n${piece}`;
    } else if (packed.length < slots) {
      packed.push(piece);
    } else {
      // More text than five full bubbles: the end is cut, visibly.
      packed[packed.length - 1] = fitUtf16(`${packed[packed.length - 1]}\n\n${piece}`, LINE_LIMITS.text);
    }
  }
  return packed;
}

function splitText(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const cut = Math.max(
      window.lastIndexOf('\n\n'),
      window.lastIndexOf('\n'),
      window.lastIndexOf('。'),
      window.lastIndexOf('. '),
    );
    let end = cut > max / 2 ? cut + 1 : graphemeBoundaryAtOrBefore(rest, max);
    if (end <= 0) end = max;
    out.push(rest.slice(0, end).trim());
    rest = rest.slice(end).trim();
  }
  if (rest) out.push(rest);
  return out;
}

function renderCarousel(cards: ReplyCard[], lang: Lang): LineMessage {
  const bubbles = cards.map((card) => renderBubble(card, lang));
  return {
    type: 'flex',
    altText: altText(cards, lang),
    contents: { type: 'carousel', contents: bubbles },
  };
}

function renderBubble(card: ReplyCard, lang: Lang): LineFlexBubble {
  const body: LineFlexComponent[] = [
    {
      type: 'text',
      text: fitUtf16(card.title || card.externalId, 200),
      weight: 'bold',
      size: 'md',
      wrap: true,
      maxLines: 2,
    },
  ];
  if (card.subtitle?.trim())
    body.push({
      type: 'text',
      text: fitUtf16(card.subtitle, 200),
      size: 'xs',
      color: '#666666',
      wrap: true,
      maxLines: 2,
    });
  body.push({ type: 'text', text: COUNTRY_NAMES[card.country][lang], size: 'xxs', color: '#999999' });
  if (card.text?.trim()) {
    body.push({ type: 'separator', margin: 'md' });
    body.push({
      type: 'text',
      text: fitUtf16(card.text, 500),
      size: 'sm',
      wrap: true,
      maxLines: 5,
      margin: 'md',
    });
  }
  const buttons = (card.buttons.length > 0 || card.preview ? card.buttons : defaultButtons(card, lang))
    .map(toAction)
    .filter((a): a is LineAction => a !== undefined)
    .slice(0, LINE_LIMITS.buttonsPerCard);
  const bubble: LineFlexBubble = {
    type: 'bubble',
    size: 'kilo',
    body: { type: 'box', layout: 'vertical', spacing: 'sm', contents: body },
  };
  if (buttons.length > 0) {
    bubble.footer = {
      type: 'box',
      layout: 'vertical',
      spacing: 'sm',
      contents: buttons.map((action, i) => ({
        type: 'button',
        action,
        height: 'sm',
        // The last button is the call to action (request an introduction).
        style: i === buttons.length - 1 ? 'primary' : 'secondary',
      })),
    };
  }
  return bubble;
}

/** Cards normally bring their buttons; without them, the two every match needs. */
function defaultButtons(card: ReplyCard, lang: Lang): ReplyAction[] {
  const id = encodeURIComponent(card.externalId);
  return [
    {
      label: LINE_TEXTS.details[lang],
      postback: `action=details&id=${id}`,
      displayText: LINE_TEXTS.details[lang],
    },
    {
      label: LINE_TEXTS.requestIntroduction[lang],
      postback: `action=intro&id=${id}`,
      displayText: LINE_TEXTS.requestIntroduction[lang],
    },
  ];
}

/** The notification and old-client text of the carousel: a numbered list of the companies. */
function altText(cards: ReplyCard[], lang: Lang): string {
  const lines = cards.map((c, i) => {
    const extra = [c.subtitle, COUNTRY_NAMES[c.country][lang]].filter(Boolean).join(', ');
    return `${i + 1}. ${c.title || c.externalId}${extra ? ` (${extra})` : ''}`;
  });
  const heading = cards.every((c) => c.preview) ? [] : [LINE_TEXTS.matches[lang]];
  return fitUtf16([...heading, ...lines].join('\n'), LINE_LIMITS.altText);
}

function renderQuickReplies(actions: ReplyAction[]): { items: LineQuickReplyItem[] } | undefined {
  const items = actions
    .map(toAction)
    .filter((a): a is LineAction => a !== undefined)
    .slice(0, LINE_LIMITS.quickReplyItems)
    .map((action): LineQuickReplyItem => ({ type: 'action', action }));
  return items.length > 0 ? { items } : undefined;
}

/** A button as a LINE action, or undefined when LINE could not take it (over-long data, bad URL). */
function toAction(action: ReplyAction): LineAction | undefined {
  const label = fitGraphemes(action.label.trim(), LINE_LIMITS.actionLabel);
  if (!label) return undefined;
  if (action.postback !== undefined) {
    if (action.postback.length === 0 || action.postback.length > LINE_LIMITS.postbackData) return undefined;
    return {
      type: 'postback',
      label,
      data: action.postback,
      displayText: fitUtf16(action.displayText?.trim() || action.label.trim(), LINE_LIMITS.displayText),
    };
  }
  if (action.url !== undefined) {
    if (!/^(https?:|line:|tel:)/i.test(action.url) || action.url.length > LINE_LIMITS.uri) return undefined;
    return { type: 'uri', label, uri: action.url };
  }
  // A button with neither: tapping it sends its text as if typed.
  return { type: 'message', label, text: fitUtf16(action.displayText?.trim() || action.label.trim(), 300) };
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** At most `max` grapheme clusters (a Thai consonant with its vowel and tone marks is one), with "…" if cut. */
export function fitGraphemes(text: string, max: number): string {
  const clusters = [...graphemes.segment(text)].map((s) => s.segment);
  if (clusters.length <= max) return text;
  return clusters.slice(0, max - 1).join('') + '…';
}

/** At most `max` UTF-16 code units, cut on a grapheme boundary, with "…" if cut. */
export function fitUtf16(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, graphemeBoundaryAtOrBefore(text, max - 1)) + '…';
}

/** The largest grapheme-cluster boundary ≤ `index`, so no character or Thai cluster is split. */
function graphemeBoundaryAtOrBefore(text: string, index: number): number {
  let boundary = 0;
  for (const { index: start } of graphemes.segment(text)) {
    if (start > index) break;
    boundary = start;
  }
  return index >= text.length ? text.length : boundary;
}
