import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local LINE Messaging API for tests and benchmarks: a real `node:http` server on 127.0.0.1 (random port)
 * that serves both LINE hosts (point LINE_API_BASE_URL and LINE_DATA_API_BASE_URL at `url`) and records every
 * request with its headers and body.
 *
 * It behaves like LINE where the product depends on it:
 * - reply: a reply token works once (a second use answers 400 "Invalid reply token"), and tokens passed to
 *   `expireReplyToken` answer 400 as LINE does after about a minute;
 * - push: `X-Line-Retry-Key` is honoured: a key that already delivered answers 409 with
 *   `x-line-accepted-request-id`, and the message is not delivered again;
 * - loading animation, profile (404 unless `setProfile` was called), message content, rich menus.
 *
 * Scripting: `enqueue('push', { status: 429, headers: { 'retry-after': '1' } }, { status: 200 })` makes the
 * next push calls answer in that order, then normal behaviour resumes. A reply can also be delayed, dropped
 * (connection destroyed) or answered with any status. `delivered()` lists what actually reached users.
 */

export type LineEndpoint =
  | 'reply'
  | 'push'
  | 'loading'
  | 'profile'
  | 'content'
  | 'richmenu'
  | 'richmenu-content'
  | 'richmenu-alias'
  | 'richmenu-default'
  | 'richmenu-list'
  | 'richmenu-delete'
  | 'unknown';

export interface RecordedLineRequest {
  seq: number;
  endpoint: LineEndpoint;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body, the raw text when not JSON, or undefined (binary bodies: see `bodyBytes`). */

  body: any;
  bodyBytes: number;
  /** What the fake answered. */
  status?: number;
  receivedAt: number;
}

export interface FakeLineReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
  /** Destroy the connection without answering (a network error for the client). */
  drop?: boolean;
  /** Handle the request normally (a push is delivered), then destroy the connection instead of answering: the
   * client cannot know it worked, as when an answer is lost on the way back. */
  dropAfterAccepting?: boolean;
}

export interface Delivery {
  via: 'reply' | 'push';
  /** Push target, or the reply token. */
  to: string;

  messages: any[];
  retryKey?: string;
  at: number;
}

export interface FakeLineApi {
  readonly url: string;
  readonly requests: RecordedLineRequest[];
  /** Requests to one endpoint, in order. */
  calls(endpoint: LineEndpoint): RecordedLineRequest[];
  /** Messages accepted for delivery (reply or push), in order. Retries answered 409 are not counted again. */
  delivered(): Delivery[];
  enqueue(endpoint: LineEndpoint, ...replies: FakeLineReply[]): void;
  setProfile(userId: string, profile: { displayName?: string; language?: string }): void;
  setContent(messageId: string, bytes: Buffer, contentType?: string): void;
  expireReplyToken(token: string): void;
  /** Adds a delay to every answer (benchmarks: a slow LINE). */
  setDefaultDelay(ms: number): void;
  /** Resolves when `predicate` holds, polling; rejects after `timeoutMs` with `what` in the message. */
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeLineOptions {
  /** Keep bodies out of the record (benchmarks with thousands of requests). */
  recordBodies?: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startFakeLineApi(options: FakeLineOptions = {}): Promise<FakeLineApi> {
  const requests: RecordedLineRequest[] = [];
  const deliveries: Delivery[] = [];
  let queues = new Map<LineEndpoint, FakeLineReply[]>();
  const profiles = new Map<string, { displayName?: string; language?: string }>();
  const contents = new Map<string, { bytes: Buffer; type: string }>();
  const usedTokens = new Set<string>();
  const expiredTokens = new Set<string>();
  const acceptedRetryKeys = new Map<string, string>();
  const richMenus = new Map<string, unknown>();
  const aliases = new Map<string, string>();
  let defaultRichMenu: string | undefined;
  let defaultDelay = 0;
  let seq = 0;
  const sockets = new Set<Socket>();
  const dropAnswer = new WeakSet<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = (req.url ?? '/').split('?')[0];
      const method = req.method ?? 'GET';
      const endpoint = classify(method, path);
      let body: unknown;
      const type = String(req.headers['content-type'] ?? '');
      if (raw.length > 0 && !type.startsWith('image/')) {
        const text = raw.toString('utf8');
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const recorded: RecordedLineRequest = {
        seq: ++seq,
        endpoint,
        method,
        path,
        headers: req.headers,
        body: options.recordBodies === false ? undefined : body,
        bodyBytes: raw.length,
        receivedAt: Date.now(),
      };
      requests.push(recorded);
      handle(recorded, body, res).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `fake LINE: ${err.message}` }));
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 60_000;

  async function handle(rec: RecordedLineRequest, body: unknown, res: http.ServerResponse): Promise<void> {
    const scripted = queues.get(rec.endpoint)?.shift();
    const delay = (scripted?.delayMs ?? 0) + defaultDelay;
    if (delay > 0) await sleep(delay);
    if (scripted?.drop) {
      rec.status = 0;
      res.socket?.destroy();
      return;
    }
    if (scripted?.status !== undefined && scripted.status !== 200) {
      const status = scripted.status;
      // A scripted 409 on push is LINE's "already accepted" answer for a retry key.
      const headers = { ...scripted.headers };
      if (status === 409 && rec.endpoint === 'push') headers['x-line-accepted-request-id'] = randomUUID();
      return send(res, rec, status, scripted.body ?? { message: `fake LINE: scripted ${status}` }, headers);
    }
    if (scripted?.dropAfterAccepting) dropAnswer.add(res);
    const auth = String(rec.headers.authorization ?? '');
    if (!auth.startsWith('Bearer ') || auth.length <= 'Bearer '.length)
      return send(res, rec, 401, {
        message: 'Authentication failed. Confirm that the access token is valid.',
      });
    return normal(rec, body, res, scripted);
  }

  function normal(
    rec: RecordedLineRequest,
    body: unknown,
    res: http.ServerResponse,
    scripted: FakeLineReply | undefined,
  ): void {
    const b = (body ?? {}) as Record<string, unknown>;
    const headers = scripted?.headers ?? {};
    switch (rec.endpoint) {
      case 'reply': {
        const token = str(b.replyToken);
        if (!token || usedTokens.has(token) || expiredTokens.has(token))
          return send(res, rec, 400, { message: 'Invalid reply token' });
        if (!validMessages(b.messages))
          return send(res, rec, 400, { message: 'The request body has 1 error(s)' });
        usedTokens.add(token);
        deliveries.push({ via: 'reply', to: token, messages: b.messages as unknown[], at: Date.now() });
        return send(res, rec, 200, { sentMessages: sentMessages(b.messages) }, headers);
      }
      case 'push': {
        const key = rec.headers['x-line-retry-key'];
        const retryKey = typeof key === 'string' ? key : undefined;
        if (retryKey && acceptedRetryKeys.has(retryKey))
          return send(
            res,
            rec,
            409,
            { message: 'The retry key is already accepted' },
            {
              'x-line-accepted-request-id': acceptedRetryKeys.get(retryKey)!,
            },
          );
        if (!validMessages(b.messages) || typeof b.to !== 'string')
          return send(res, rec, 400, { message: 'The request body has 1 error(s)' });
        const requestId = randomUUID();
        if (retryKey) acceptedRetryKeys.set(retryKey, requestId);
        deliveries.push({
          via: 'push',
          to: b.to,
          messages: b.messages as unknown[],
          retryKey,
          at: Date.now(),
        });
        return send(
          res,
          rec,
          200,
          { sentMessages: sentMessages(b.messages) },
          {
            'x-line-request-id': requestId,
            ...headers,
          },
        );
      }
      case 'loading':
        return send(res, rec, 202, {}, headers);
      case 'profile': {
        const userId = decodeURIComponent(rec.path.slice('/v2/bot/profile/'.length));
        const profile = profiles.get(userId);
        if (!profile) return send(res, rec, 404, { message: 'Not found' });
        return send(
          res,
          rec,
          200,
          { userId, displayName: profile.displayName ?? 'User', ...profile },
          headers,
        );
      }
      case 'content': {
        const id = rec.path.split('/')[4];
        const content = contents.get(id) ?? {
          bytes: Buffer.from('fake content'),
          type: 'application/octet-stream',
        };
        rec.status = 200;
        res.writeHead(200, { 'content-type': content.type, 'content-length': content.bytes.length });
        res.end(content.bytes);
        return;
      }
      case 'richmenu': {
        const id = `richmenu-${randomUUID().replace(/-/g, '')}`;
        richMenus.set(id, body);
        return send(res, rec, 200, { richMenuId: id });
      }
      case 'richmenu-content': {
        const id = rec.path.split('/')[4];
        if (!richMenus.has(id)) return send(res, rec, 404, { message: 'Not found' });
        return send(res, rec, 200, {});
      }
      case 'richmenu-alias': {
        const parts = rec.path.split('/');
        const update = parts.length > 5;
        const aliasId = update ? parts[5] : str(b.richMenuAliasId);
        const menuId = str(b.richMenuId);
        if (!richMenus.has(menuId)) return send(res, rec, 400, { message: 'richmenu not found' });
        if (!update && aliases.has(aliasId))
          return send(res, rec, 400, { message: 'conflict richmenu alias id' });
        if (update && !aliases.has(aliasId)) return send(res, rec, 404, { message: 'Not found' });
        aliases.set(aliasId, menuId);
        return send(res, rec, 200, {});
      }
      case 'richmenu-default': {
        const id = rec.path.split('/')[6];
        if (!richMenus.has(id)) return send(res, rec, 404, { message: 'Not found' });
        defaultRichMenu = id;
        return send(res, rec, 200, {});
      }
      case 'richmenu-list':
        return send(res, rec, 200, {
          richmenus: [...richMenus.entries()].map(([richMenuId, menu]) => ({
            richMenuId,
            ...(menu as Record<string, unknown>),
          })),
        });
      case 'richmenu-delete': {
        const id = rec.path.split('/')[4];
        if (!richMenus.delete(id)) return send(res, rec, 404, { message: 'Not found' });
        if (defaultRichMenu === id) defaultRichMenu = undefined;
        return send(res, rec, 200, {});
      }
      default:
        return send(res, rec, 404, { message: `fake LINE: no route ${rec.method} ${rec.path}` });
    }
  }

  function send(
    res: http.ServerResponse,
    rec: RecordedLineRequest,
    status: number,
    value: unknown,
    headers: Record<string, string> = {},
  ): void {
    if (dropAnswer.has(res)) {
      rec.status = 0;
      res.socket?.destroy();
      return;
    }
    rec.status = status;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(value));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    calls: (endpoint) => requests.filter((r) => r.endpoint === endpoint),
    delivered: () => deliveries,
    enqueue(endpoint, ...replies) {
      queues.set(endpoint, [...(queues.get(endpoint) ?? []), ...replies]);
    },
    setProfile(userId, profile) {
      profiles.set(userId, profile);
    },
    setContent(messageId, bytes, contentType = 'image/jpeg') {
      contents.set(messageId, { bytes, type: contentType });
    },
    expireReplyToken(token) {
      expiredTokens.add(token);
    },
    setDefaultDelay(ms) {
      defaultDelay = ms;
    },
    async waitFor(predicate, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline)
          throw new Error(`fake LINE: timed out after ${timeoutMs} ms waiting for ${what}`);
        await sleep(20);
      }
    },
    reset() {
      requests.length = 0;
      deliveries.length = 0;
      queues = new Map();
      profiles.clear();
      contents.clear();
      usedTokens.clear();
      expiredTokens.clear();
      acceptedRetryKeys.clear();
      richMenus.clear();
      aliases.clear();
      defaultRichMenu = undefined;
      defaultDelay = 0;
      seq = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function classify(method: string, path: string): LineEndpoint {
  if (method === 'POST' && path === '/v2/bot/message/reply') return 'reply';
  if (method === 'POST' && path === '/v2/bot/message/push') return 'push';
  if (method === 'POST' && path === '/v2/bot/chat/loading/start') return 'loading';
  if (method === 'GET' && path.startsWith('/v2/bot/profile/')) return 'profile';
  if (method === 'GET' && /^\/v2\/bot\/message\/[^/]+\/content$/.test(path)) return 'content';
  if (method === 'POST' && path === '/v2/bot/richmenu') return 'richmenu';
  if (method === 'POST' && /^\/v2\/bot\/richmenu\/[^/]+\/content$/.test(path)) return 'richmenu-content';
  if (method === 'POST' && path.startsWith('/v2/bot/richmenu/alias')) return 'richmenu-alias';
  if (method === 'POST' && path.startsWith('/v2/bot/user/all/richmenu/')) return 'richmenu-default';
  if (method === 'GET' && path === '/v2/bot/richmenu/list') return 'richmenu-list';
  if (method === 'DELETE' && /^\/v2\/bot\/richmenu\/[^/]+$/.test(path)) return 'richmenu-delete';
  return 'unknown';
}

/** LINE accepts 1 to 5 message objects, each with a type. */
function validMessages(messages: unknown): boolean {
  return (
    Array.isArray(messages) &&
    messages.length >= 1 &&
    messages.length <= 5 &&
    messages.every(
      (m) => typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string',
    )
  );
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function sentMessages(messages: unknown): Array<{ id: string }> {
  return (messages as unknown[]).map(() => ({ id: String(Math.floor(Math.random() * 1e15)) }));
}

/** Flattens the text a user would read in delivered messages (text bubbles and Flex alt texts). */
export function deliveredText(delivery: Delivery): string {
  return delivery.messages
    .map(
      (m: { type: string; text?: string; altText?: string }) =>
        (m.type === 'text' ? m.text : m.altText) ?? '',
    )
    .join('\n');
}
