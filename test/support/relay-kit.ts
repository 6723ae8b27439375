import type { RunningApp } from '../../src/bootstrap/start-app';
import { identitySignature } from '../../src/web-chat/visitor-token';
import type { Delivery, FakeLineApi } from './fake-line-api';
import { type FakeReply, type RecordedRequest, allMessageText } from './fake-openai-server';
import { postWebhook, textEvent, webhookBody } from './line-test-app';
import { adminAuth } from './test-app';
import { type ChatClient, connectChat, createSession } from './web-chat-client';

/**
 * Helpers for the introduction and relay end-to-end specs: a stand-in model that translates plausibly (target
 * language, numbers kept, the glossary's target forms used), LINE users that type and tap, widget users with a
 * host-site identity, and readers of what each side received.
 */

export const WEB_CHAT_SECRET = 'relay-e2e-web-chat-secret-0123456789abcdef';
export const IDENTITY_SECRET = 'relay-e2e-identity-secret-0123456789';
export const PUBLIC_BASE_URL = 'https://kakehashi.test';

/** Environment shared by the relay specs (LINE env is added by lineEnv/startLineApp). */
export function relayEnv(llmUrl?: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    WEB_CHAT_SECRET,
    WEB_CHAT_IDENTITY_SECRET: IDENTITY_SECRET,
    PUBLIC_BASE_URL,
    RELAY_POLL_MS: '100',
    // Room conversations in these tests are typed faster than people type.
    WEB_CHAT_RATE_BURST: '100',
    WEB_CHAT_RATE_PER_MINUTE: '6000',
    RELAY_RETRY_BASE_MS: '50',
    RELAY_RETRY_MAX_DELAY_MS: '400',
    LLM_AUTO_TRANSLATE_PROFILES: 'false',
    ...(llmUrl
      ? {
          LLM_BASE_URL: `${llmUrl}/v1`,
          LLM_MODEL: 'fake-model',
          LLM_RETRY_BASE_MS: '10',
          LLM_MAX_RETRIES: '0',
        }
      : {}),
    ...env,
  };
}

const WORD: Record<string, string> = {
  Thai: 'คำแปลภาษาไทย',
  Japanese: '日本語の訳文',
  English: 'English translation',
};

/**
 * The fake model. Translations read "<word in the target language> <numbers of the source> <glossary target
 * forms>", which passes every post-check and lets a test tell messages apart by their numbers. Introduction
 * drafts are a fixed Japanese sentence with the need's numbers.
 */
export function relayModel(req: RecordedRequest): FakeReply {
  const task = req.headers['x-kakehashi-task'];
  const text = allMessageText(req);
  if (task === 'draft-introduction')
    return { content: 'はじめまして。金型のプレス加工についてご相談させてください。' };
  const target = /into (Thai|Japanese|English)/.exec(text)?.[1];
  if (!target) return { content: 'OK' };
  const source = /<data name="text">\n([\s\S]*?)\n<\/data>/.exec(text)?.[1] ?? '';
  const glossary = /<data name="glossary">\n([\s\S]*?)\n<\/data>/.exec(text)?.[1] ?? '';
  const terms = [...glossary.matchAll(/^- (.+?) → (.+?)(?: \(keep\))?$/gm)].map((m) => m[2]);
  const numbers = source.normalize('NFKC').match(/\d+(?:[.,]\d+)*/g) ?? [];
  return { content: [WORD[target], ...numbers, ...terms].join(' ') };
}

export interface LineUser {
  id: string;
  /** Reply tokens of the events this user sent (answers to them were delivered by reply). */
  tokens: Set<string>;
  say(text: string): Promise<void>;
  tap(data: string): Promise<void>;
  send(event: Record<string, unknown>): Promise<void>;
  /** Everything LINE delivered to this user (replies and pushes), in order. */
  received(fake: FakeLineApi): Delivery[];
}

let seq = 0;

export function lineUser(app: () => RunningApp, userId: string): LineUser {
  const tokens = new Set<string>();
  const post = async (event: Record<string, unknown>) => {
    if (typeof event.replyToken === 'string') tokens.add(event.replyToken);
    const res = await postWebhook(app().url, webhookBody([event]));
    if (res.status !== 200) throw new Error(`webhook ${res.status} ${res.text}`);
  };
  return {
    id: userId,
    tokens,
    say: (text) => post(textEvent(userId, text)),
    tap: (data) =>
      post({
        type: 'postback',
        mode: 'active',
        timestamp: Date.now(),
        webhookEventId: `01RELAYPB${Date.now()}${++seq}`,
        deliveryContext: { isRedelivery: false },
        replyToken: `relay-reply-${++seq}-${Math.random().toString(36).slice(2)}`,
        source: { type: 'user', userId },
        postback: { data },
      }),
    send: post,
    received: (fake) => fake.delivered().filter((d) => d.to === userId || tokens.has(d.to)),
  };
}

/** The text bubbles of deliveries, in order. */
export function textsOf(deliveries: Delivery[]): string[] {
  return deliveries.flatMap((d) =>
    d.messages.filter((m: { type: string }) => m.type === 'text').map((m: { text: string }) => m.text),
  );
}

/** A LINE media or sticker message event from a user. */
export function mediaEvent(userId: string, message: Record<string, unknown>): Record<string, unknown> {
  seq++;
  return {
    type: 'message',
    mode: 'active',
    timestamp: Date.now(),
    webhookEventId: `01RELAYMEDIA${Date.now()}${seq}`,
    deliveryContext: { isRedelivery: false },
    replyToken: `relay-media-${seq}-${Math.random().toString(36).slice(2)}`,
    source: { type: 'user', userId },
    message: { id: `${700000 + seq}`, ...message },
  };
}

/** A widget session for a user vouched for by a host site as speaking for `company`. */
export async function widgetUser(
  baseUrl: string,
  company: string,
  user: string,
  lang: 'ja' | 'th' | 'en',
  auth: Record<string, unknown> = {},
): Promise<{ client: ChatClient; token: string }> {
  const expires = Math.floor(Date.now() / 1000) + 3600;
  const identity = { company, user, expires };
  const { token } = await createSession(baseUrl, {
    lang,
    identity: { ...identity, signature: identitySignature(IDENTITY_SECRET, identity) },
  });
  const client = await connectChat(baseUrl, { token, ...auth });
  return { client, token };
}

/** POST/GET helpers with the admin token. */
export async function staffApi<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...adminAuth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Links a LINE user to a company (staff API), so introductions to it reach them; fails the test otherwise. */
export async function linkLineUser(
  baseUrl: string,
  user: LineUser,
  companyExternalId: string,
): Promise<void> {
  const link = await staffApi(baseUrl, 'POST', '/api/introductions/links', {
    channel: 'line',
    channelUserId: user.id,
    companyExternalId,
  });
  if (link.status !== 200) throw new Error(`linking ${user.id} to ${companyExternalId}: HTTP ${link.status}`);
}

/** Quick-reply postback data of the last message of a LINE delivery whose label matches. */
export function quickReplyData(delivery: Delivery, label: RegExp): string | undefined {
  for (const m of [...delivery.messages].reverse()) {
    const items: Array<{ action: { label: string; data?: string } }> = m.quickReply?.items ?? [];
    const hit = items.find((i) => label.test(i.action.label));
    if (hit?.action.data) return hit.action.data;
  }
  return undefined;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends a widget event and resolves with the next bot_message it causes. */
export async function widgetAsk(
  client: ChatClient,
  event: 'user_message' | 'postback',
  payload: Record<string, unknown>,
): Promise<any> {
  const n = client.events.filter((e) => e.event === 'bot_message').length;
  const ack = await client.request(event, payload);
  if (!ack.ok) throw new Error(`${event} refused: ${JSON.stringify(ack)}`);
  const deadline = Date.now() + 15_000;
  while (client.events.filter((e) => e.event === 'bot_message').length <= n) {
    if (Date.now() > deadline) throw new Error(`no bot_message after ${event}`);
    await sleep(20);
  }
  return client.events.filter((e) => e.event === 'bot_message').at(-1)!.payload;
}

/** Resolves with the first event of that name matching `pred` (already received or arriving). */
export async function waitForEvent(
  client: ChatClient,
  event: string,
  pred: (payload: any) => boolean,
  timeoutMs = 15_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = client.events.find((e) => e.event === event && pred(e.payload));
    if (hit) return hit.payload;
    if (Date.now() > deadline) throw new Error(`no ${event} matching within ${timeoutMs} ms`);
    await sleep(20);
  }
}

let webIds = 0;

/**
 * A deal room between two widget users: the requester asks for an introduction to `targetCompany` (whose widget
 * user is `target`) and sends the drafted message; the target accepts. Returns the room id.
 */
export async function openWebRoom(
  requester: ChatClient,
  target: ChatClient,
  targetCompany: string,
): Promise<string> {
  const draft = await widgetAsk(requester, 'postback', {
    data: `action=intro&id=${encodeURIComponent(targetCompany)}`,
    clientMessageId: `open-${++webIds}`,
  });
  const send = draft.quickReplies.find((q: any) => /intro-send/.test(q.postback)).postback;
  await widgetAsk(requester, 'postback', { data: send, clientMessageId: `open-${++webIds}` });
  const id = new URLSearchParams(send).get('i')!;
  const notice = await waitForEvent(target, 'bot_message', (p) =>
    p.quickReplies.some((q: any) => q.postback === `action=intro-accept&i=${id}`),
  );
  const ack = await target.request('postback', {
    data: notice.quickReplies.find((q: any) => /intro-accept/.test(q.postback)).postback,
    clientMessageId: `open-${++webIds}`,
  });
  if (!ack.ok) throw new Error('accept refused');
  const opened = await waitForEvent(target, 'room_message', (p) => p.kind === 'notice');
  await waitForEvent(requester, 'room_message', (p) => p.kind === 'notice' && p.room.id === opened.room.id);
  return opened.room.id;
}

/** Text messages a widget received in rooms, deduplicated by delivery id, in order. */
export function roomTexts(client: ChatClient): any[] {
  const seen = new Set<string>();
  return client.events
    .filter((e) => e.event === 'room_message' && e.payload.kind !== 'notice')
    .map((e) => e.payload)
    .filter((p) => (seen.has(p.id) ? false : (seen.add(p.id), true)));
}
