import { createHash } from 'node:crypto';
import { withStorableText } from '../common/text-safety';

/**
 * LINE webhook events as they arrive, typed defensively: LINE adds event types and fields over time, and
 * older payloads omit fields the current schema calls required (webhookEventId, deliveryContext, quoteToken).
 * Everything is optional here; the handler checks what it uses.
 */
export interface LineSource {
  type?: string;
  userId?: string;
  groupId?: string;
  roomId?: string;
}

export interface LineMentionee {
  index?: number;
  length?: number;
  type?: string;
  userId?: string;
  isSelf?: boolean;
}

export interface LineEventMessage {
  id?: string;
  type?: string;
  text?: string;
  mention?: { mentionees?: LineMentionee[] };
  [field: string]: unknown;
}

export interface LineEvent {
  type?: string;
  mode?: string;
  timestamp?: number;
  webhookEventId?: string;
  deliveryContext?: { isRedelivery?: boolean };
  replyToken?: string;
  source?: LineSource;
  message?: LineEventMessage;
  postback?: { data?: string; params?: Record<string, unknown> };
  unsend?: { messageId?: string };
  [field: string]: unknown;
}

export interface LineWebhookBody {
  destination?: string;
  events: LineEvent[];
}

/**
 * LINE's events are a few levels deep; a signed body nested 20,000 levels overflowed the stack while its key was
 * hashed (500). Deeper than this is refused with a 400.
 */
const MAX_EVENT_DEPTH = 32;

/** How deeply a parsed JSON value nests, counted without recursion (so any depth can be measured). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_EVENT_DEPTH) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** A parsed body, or why it is not a webhook body. */
export function parseWebhookBody(raw: Buffer): LineWebhookBody | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    return { error: 'The request body is not valid JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: 'The request body must be a JSON object.' };
  const body = value as { destination?: unknown; events?: unknown };
  if (!Array.isArray(body.events)) return { error: 'The request body has no "events" array.' };
  if (body.events.some((e) => typeof e !== 'object' || e === null || Array.isArray(e)))
    return { error: 'Every element of "events" must be an object.' };
  if (body.destination !== undefined && typeof body.destination !== 'string')
    return { error: '"destination" must be a string.' };
  if (depthOf(body.events) > MAX_EVENT_DEPTH)
    return { error: `Events nested deeper than ${MAX_EVENT_DEPTH} levels are not LINE events.` };
  // A NUL or half a surrogate pair in one event (text PostgreSQL cannot store) used to fail the whole batch with
  // a 503, which LINE then redelivered forever: the event is kept with those characters dropped.
  return { destination: body.destination, events: withStorableText(body.events) as LineEvent[] };
}

/**
 * The inbox key of an event: LINE's webhookEventId, or (older payloads without one) a hash of the event's
 * content. deliveryContext is left out of the hash because it is what changes when LINE redelivers.
 */
export function eventKey(event: LineEvent): string {
  if (typeof event.webhookEventId === 'string' && event.webhookEventId !== '') return event.webhookEventId;
  const { deliveryContext: _ignored, ...content } = event;
  return 'sha256:' + createHash('sha256').update(canonicalJson(content)).digest('base64url');
}

/** JSON with object keys sorted, so the same content always hashes the same whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The thread an event belongs to: events of one thread are handled in order. */
export function conversationKey(source: LineSource | undefined): string {
  const target = chatTarget(source);
  return target ? `${target.kind}:${target.id}` : 'none';
}

/** Where a push for this event goes: the group or room it came from, else the user. */
export function chatTarget(
  source: LineSource | undefined,
): { kind: 'user' | 'group' | 'room'; id: string } | undefined {
  if (!source) return undefined;
  if (source.type === 'group' && source.groupId) return { kind: 'group', id: source.groupId };
  if (source.type === 'room' && source.roomId) return { kind: 'room', id: source.roomId };
  if (source.type === 'user' && source.userId) return { kind: 'user', id: source.userId };
  return undefined;
}

/** Whether a text message in a group or room mentions this bot (its user id is the webhook's destination). */
export function mentionsBot(message: LineEventMessage | undefined, botUserId: string | undefined): boolean {
  const mentionees = message?.mention?.mentionees ?? [];
  return mentionees.some((m) => m.isSelf === true || (!!botUserId && m.userId === botUserId));
}

/**
 * The text without the bot's own @mention, so "@Kakehashi タイの部品メーカー" reads as a request. LINE gives
 * mention positions in UTF-16 code units, which is how JavaScript indexes strings.
 */
export function textWithoutBotMention(message: LineEventMessage, botUserId: string | undefined): string {
  let text = message.text ?? '';
  const own = (message.mention?.mentionees ?? [])
    .filter((m) => m.isSelf === true || (!!botUserId && m.userId === botUserId))
    .filter((m) => typeof m.index === 'number' && typeof m.length === 'number')
    .sort((a, b) => (b.index ?? 0) - (a.index ?? 0));
  for (const m of own) {
    const start = m.index ?? 0;
    text = text.slice(0, start) + text.slice(start + (m.length ?? 0));
  }
  return text.replace(/\s+/g, ' ').trim();
}
