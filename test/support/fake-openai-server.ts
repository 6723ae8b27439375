import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local OpenAI-compatible server for tests and benchmarks: a real `node:http` server on 127.0.0.1 (random
 * port) that speaks `POST /v1/chat/completions` (JSON and SSE streaming, with `usage`), `POST /v1/embeddings`
 * (deterministic vectors) and `GET /v1/models`, and records every request it receives.
 *
 * Usage:
 * ```ts
 * const fake = await startFakeOpenAiServer();
 * const app = await startTestApp({ LLM_BASE_URL: fake.url + '/v1', LLM_MODEL: 'fake-model' });
 * fake.onChat((req) => ({ content: `echo: ${lastUserText(req)}` }));  // default reply, a function of the request
 * fake.enqueue({ status: 429, headers: { 'retry-after': '1' } }, { content: 'ok' });  // one-shot replies, in order
 * ...
 * expect(fake.chatRequests()).toHaveLength(2);
 * expect(fake.requests[0].body).toMatchObject({ model: 'fake-model', max_tokens: 512 });
 * await fake.close();
 * ```
 *
 * A reply (`FakeReply`) can be: a normal answer (`content`, optional `usage`), an error status with a body,
 * a delay before answering (`delayMs`), a malformed body (`raw`), or a dropped connection (`drop: true`).
 * Queued replies are consumed first (per endpoint: chat and embeddings have separate queues); then the
 * handler set with `onChat` / `onEmbeddings` answers; without one, chat answers "OK" and embeddings answer
 * deterministic vectors.
 *
 * Helpers: `lastUserText(req)` and `allMessageText(req)` read a recorded chat request; `fakeEmbedding(text, dims)`
 * is the vector the server returns; `fakeTranslation` is a ready-made chat handler that answers Kakehashi's
 * translation prompts plausibly (target language, numbers kept) for tests that need translations to pass checks.
 */

export interface RecordedRequest {
  /** 1-based arrival order. */
  seq: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it was not JSON (or undefined without a body). */
  body: any;
  rawBody: string;
  receivedAt: number;
}

export interface FakeReply {
  /** Assistant message content (chat). Default "OK". */
  content?: string;
  /** For streaming requests: the content split into these deltas (default: split into ~4 pieces). */
  chunks?: string[];
  /** Pause between streamed chunks. */
  chunkDelayMs?: number;
  /** Wait this long before answering (after the request body has been read). */
  delayMs?: number;
  /** HTTP status. 2xx answers normally; anything else sends `errorBody` (or an OpenAI-style error object). */
  status?: number;
  headers?: Record<string, string>;
  /** Body for a non-2xx status. */
  errorBody?: unknown;
  /** Send this text verbatim as the body with status 200 (e.g. malformed JSON). */
  raw?: string;
  /** Destroy the connection without answering (a network error for the client). */
  drop?: boolean;
  /** Token usage to report; default counts characters/4. */
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** `finish_reason` of the choice. Default "stop". */
  finishReason?: string;
  /** Embeddings only: vectors to return instead of the deterministic ones. */
  embeddings?: number[][];
}

export type ReplyFn = (req: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAiServer {
  /** e.g. http://127.0.0.1:41234 — append `/v1` for LLM_BASE_URL / EMBEDDINGS_BASE_URL. */
  readonly url: string;
  /** Every request received, in arrival order (including ones answered with errors or dropped). */
  readonly requests: RecordedRequest[];
  /** Requests to `/v1/chat/completions`. */
  chatRequests(): RecordedRequest[];
  /** Requests to `/v1/embeddings`. */
  embeddingRequests(): RecordedRequest[];
  /** Sets the default chat reply (a function of the request). */
  onChat(fn: ReplyFn): void;
  /** Sets the default embeddings reply. */
  onEmbeddings(fn: ReplyFn): void;
  /** Queues one-shot chat replies, consumed in order before the default handler. */
  enqueue(...replies: Array<FakeReply | ReplyFn>): void;
  /** Queues one-shot embeddings replies. */
  enqueueEmbeddings(...replies: Array<FakeReply | ReplyFn>): void;
  /** A delay added to every answer (ms); 0 by default. */
  setDefaultDelay(ms: number): void;
  /** Requests being handled right now, and the highest number seen at once (for concurrency tests). */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Forgets recorded requests, queued replies, handlers and counters. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeOpenAiOptions {
  defaultDelayMs?: number;
  /** Do not record request bodies (benchmarks with many requests). */
  recordBodies?: boolean;
}

/** The text of the last user message of a recorded chat request (convenience for reply functions). */
export function lastUserText(req: RecordedRequest): string {
  const messages = (req.body as { messages?: Array<{ role: string; content: unknown }> })?.messages ?? [];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  return typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
}

/** System and user message texts of a recorded chat request joined, for "contains"-style assertions. */
export function allMessageText(req: RecordedRequest): string {
  const messages = (req.body as { messages?: Array<{ content: unknown }> })?.messages ?? [];
  return messages
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('\n');
}

/** A deterministic unit vector of `dims` numbers for `text` (same text → same vector). */
export function fakeEmbedding(text: string, dims = 8): number[] {
  const out: number[] = [];
  let block = 0;
  while (out.length < dims) {
    const digest = createHash('sha256').update(`${block++}:${text}`).digest();
    for (let i = 0; i + 1 < digest.length && out.length < dims; i += 2)
      out.push(digest.readInt16BE(i) / 32768);
  }
  const norm = Math.sqrt(out.reduce((s, v) => s + v * v, 0)) || 1;
  return out.map((v) => v / norm);
}

const approxTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

export async function startFakeOpenAiServer(options: FakeOpenAiOptions = {}): Promise<FakeOpenAiServer> {
  const requests: RecordedRequest[] = [];
  let chatQueue: Array<FakeReply | ReplyFn> = [];
  let embeddingQueue: Array<FakeReply | ReplyFn> = [];
  let chatHandler: ReplyFn | undefined;
  let embeddingHandler: ReplyFn | undefined;
  let defaultDelay = options.defaultDelayMs ?? 0;
  let seq = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const sockets = new Set<Socket>();
  // Pending delays, cleared on close so a closed server leaves no timers behind.
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      if (rawBody) {
        try {
          body = JSON.parse(rawBody);
        } catch {
          body = rawBody;
        }
      }
      const path = (req.url ?? '/').split('?')[0];
      const recorded: RecordedRequest = {
        seq: ++seq,
        method: req.method ?? 'GET',
        path,
        headers: req.headers,
        body: options.recordBodies === false ? undefined : body,
        rawBody: options.recordBodies === false ? '' : rawBody,
        receivedAt: Date.now(),
      };
      requests.push(recorded);
      // Reply functions see the body even when it is not recorded.
      const view = { ...recorded, body, rawBody };
      handle(view, res)
        .catch((err: Error) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `fake server: ${err.message}` } }));
        })
        .finally(() => {
          inFlight--;
        });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Connections are kept alive by clients; a slow reply must not be cut by Node's defaults.
  server.keepAliveTimeout = 60_000;
  server.requestTimeout = 0;

  async function nextReply(req: RecordedRequest, queue: Array<FakeReply | ReplyFn>, fallback?: ReplyFn) {
    const queued = queue.shift();
    if (queued) return typeof queued === 'function' ? queued(req) : queued;
    if (fallback) return fallback(req);
    return {};
  }

  async function handle(req: RecordedRequest, res: http.ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.path.endsWith('/models')) {
      return json(res, 200, {
        object: 'list',
        data: [{ id: 'fake-model', object: 'model', owned_by: 'fake' }],
      });
    }
    if (req.method === 'POST' && req.path.endsWith('/chat/completions')) {
      const reply = await nextReply(req, chatQueue, chatHandler);
      if (await prelude(reply, res)) return;
      return chat(req, reply, res);
    }
    if (req.method === 'POST' && req.path.endsWith('/embeddings')) {
      const reply = await nextReply(req, embeddingQueue, embeddingHandler);
      if (await prelude(reply, res)) return;
      return embeddings(req, reply, res);
    }
    return json(res, 404, { error: { message: `fake server: no route ${req.method} ${req.path}` } });
  }

  /** Delay, drop, error status, raw body. Returns true when the reply has been fully handled. */
  async function prelude(reply: FakeReply, res: http.ServerResponse): Promise<boolean> {
    const delay = (reply.delayMs ?? 0) + defaultDelay;
    if (delay > 0) await sleep(delay);
    if (reply.drop) {
      res.socket?.destroy();
      return true;
    }
    const status = reply.status ?? 200;
    if (status < 200 || status >= 300) {
      json(
        res,
        status,
        reply.errorBody ?? { error: { message: `fake error ${status}`, type: 'fake_error', code: status } },
        reply.headers,
      );
      return true;
    }
    if (reply.raw !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.raw);
      return true;
    }
    return false;
  }

  async function chat(req: RecordedRequest, reply: FakeReply, res: http.ServerResponse): Promise<void> {
    const body = (req.body ?? {}) as {
      model?: string;
      stream?: boolean;
      stream_options?: { include_usage?: boolean };
    };
    const content = reply.content ?? 'OK';
    const usage = reply.usage ?? {
      prompt_tokens: approxTokens(req.rawBody),
      completion_tokens: approxTokens(content),
    };
    const fullUsage = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
    const id = `chatcmpl-fake-${req.seq}`;
    const created = Math.floor(Date.now() / 1000);
    const model = body.model ?? 'fake-model';
    if (!body.stream) {
      return json(
        res,
        200,
        {
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content },
              finish_reason: reply.finishReason ?? 'stop',
            },
          ],
          usage: fullUsage,
        },
        reply.headers,
      );
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...reply.headers,
    });
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    const pieces = reply.chunks ?? splitIntoPieces(content, 4);
    const base = { id, object: 'chat.completion.chunk', created, model };
    send({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    for (const piece of pieces) {
      if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
      if (res.destroyed) return;
      send({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
    }
    send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: reply.finishReason ?? 'stop' }] });
    if (body.stream_options?.include_usage) send({ ...base, choices: [], usage: fullUsage });
    res.end('data: [DONE]\n\n');
  }

  function embeddings(req: RecordedRequest, reply: FakeReply, res: http.ServerResponse): void {
    const body = (req.body ?? {}) as {
      input?: string | string[];
      model?: string;
      dimensions?: number;
      encoding_format?: 'float' | 'base64';
    };
    const inputs = Array.isArray(body.input) ? body.input : [body.input ?? ''];
    const dims = body.dimensions ?? 8;
    const vectors = reply.embeddings ?? inputs.map((text) => fakeEmbedding(String(text), dims));
    const data = vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding:
        body.encoding_format === 'base64'
          ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
          : vector,
    }));
    const tokens = inputs.reduce((n, t) => n + approxTokens(String(t)), 0);
    json(
      res,
      200,
      {
        object: 'list',
        data,
        model: body.model ?? 'fake-embedding',
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      },
      reply.headers,
    );
  }

  function json(
    res: http.ServerResponse,
    status: number,
    value: unknown,
    headers: Record<string, string> = {},
  ) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(value));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    chatRequests: () => requests.filter((r) => r.path.endsWith('/chat/completions')),
    embeddingRequests: () => requests.filter((r) => r.path.endsWith('/embeddings')),
    onChat: (fn) => {
      chatHandler = fn;
    },
    onEmbeddings: (fn) => {
      embeddingHandler = fn;
    },
    enqueue: (...replies) => {
      chatQueue.push(...replies);
    },
    enqueueEmbeddings: (...replies) => {
      embeddingQueue.push(...replies);
    },
    setDefaultDelay: (ms) => {
      defaultDelay = ms;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    reset() {
      requests.length = 0;
      chatQueue = [];
      embeddingQueue = [];
      chatHandler = undefined;
      embeddingHandler = undefined;
      defaultDelay = options.defaultDelayMs ?? 0;
      seq = 0;
      maxInFlight = inFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function splitIntoPieces(text: string, n: number): string[] {
  const chars = [...text];
  if (chars.length <= n) return chars.length ? chars : [''];
  const size = Math.ceil(chars.length / n);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/**
 * A stand-in "model" for the fake OpenAI server that answers translation prompts plausibly: in the target
 * language named in the prompt, keeping the numbers, one line per item for list prompts. Enough for the
 * post-checks to pass, so tests exercise the whole path without a real model.
 */
const WORD: Record<string, string> = {
  Thai: 'ข้อความแปลภาษาไทย',
  Japanese: '日本語の翻訳文',
  English: 'translated text',
};

export function fakeTranslation(req: RecordedRequest): FakeReply {
  const text = allMessageText(req);
  const target = /into (Thai|Japanese|English)/.exec(text)?.[1];
  if (!target) return { content: 'OK' };
  const items = /<data name="items">\n([\s\S]*?)\n<\/data>/.exec(text)?.[1];
  if (items !== undefined) {
    return {
      content: items
        .split('\n')
        .map((line, i) => `${WORD[target]} ${i + 1}${numbers(line)}`)
        .join('\n'),
    };
  }
  const source = /<data name="text">\n([\s\S]*?)\n<\/data>/.exec(text)?.[1] ?? '';
  return { content: `${WORD[target]}${numbers(source)}` };
}

function numbers(s: string): string {
  const found = s.normalize('NFKC').match(/\d+(?:[.,]\d+)*/g);
  return found ? ` ${found.join(' ')}` : '';
}
