import 'reflect-metadata';
import { type RunningApp, startApp } from '../../src/bootstrap/start-app';
import { loadConfig } from '../../src/config/app-config';
import type { Database } from '../../src/database/open-database';
import { lineSignature } from '../../src/line/line-signature';
import { TEST_ADMIN_TOKEN } from './test-app';
import { openTestDatabase } from './test-database';

export const LINE_SECRET = 'test-line-channel-secret';
export const LINE_TOKEN = 'test-line-channel-access-token';
/** The bot's own user id: the `destination` of every webhook body LINE sends it. */
export const BOT_USER_ID = 'Ubot0000000000000000000000000000';

/**
 * One database that outlives app instances: `database` is handed to each `startApp` (whose close() then
 * leaves it open), `close()` really closes it. This is how a test restarts the app "on the same machine".
 */
export async function openSharedDatabase(): Promise<{ database: Database; close(): Promise<void> }> {
  const real = await openTestDatabase();
  return {
    database: { pool: real.pool, kind: real.kind, close: async () => undefined },
    close: () => real.close(),
  };
}

/** Environment for `startTestApp` with the LINE channel on and pointed at the fake LINE API. */
export function lineEnv(lineApiUrl: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    LINE_CHANNEL_SECRET: LINE_SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN,
    LINE_API_BASE_URL: lineApiUrl,
    LINE_DATA_API_BASE_URL: lineApiUrl,
    // Quick retries and polls, so backoff paths finish within a test.
    LINE_RETRY_BASE_MS: '50',
    LINE_RETRY_MAX_DELAY_MS: '2000',
    LINE_WORKER_POLL_MS: '100',
    ...env,
  };
}

/**
 * `startTestApp` on a database the caller owns (see `openSharedDatabase`), so a second instance can start on
 * the first one's data.
 */
export async function startLineApp(
  lineApiUrl: string,
  database: Database,
  env: Record<string, string> = {},
  options: { seed?: boolean } = {},
): Promise<RunningApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    ADMIN_API_TOKEN: TEST_ADMIN_TOKEN,
    ...lineEnv(lineApiUrl, env),
  });
  return startApp(config, { database, seed: options.seed ?? false });
}

/** POSTs bytes to the webhook exactly as given, signed with `secret` unless a signature is supplied. */
export async function postWebhook(
  appUrl: string,
  body: string | Buffer,
  options: { secret?: string; signature?: string | null } = {},
): Promise<{ status: number; text: string; ms: number; contentType: string | null }> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  const signature =
    options.signature === undefined ? lineSignature(bytes, options.secret ?? LINE_SECRET) : options.signature;
  if (signature !== null) headers['x-line-signature'] = signature;
  const started = performance.now();
  const res = await fetch(`${appUrl}/webhooks/line`, {
    method: 'POST',
    headers,
    body: new Uint8Array(bytes),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    ms: performance.now() - started,
    contentType: res.headers.get('content-type'),
  };
}

let sequence = 0;

/** A current text message event from a user in a 1:1 chat (fresh reply token, unique ids). */
export function textEvent(
  userId: string,
  text: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  sequence++;
  return {
    type: 'message',
    mode: 'active',
    timestamp: Date.now(),
    webhookEventId: `01TESTEVENT${Date.now()}${sequence}`,
    deliveryContext: { isRedelivery: false },
    replyToken: `reply-token-${sequence}-${Math.random().toString(36).slice(2)}`,
    source: { type: 'user', userId },
    message: { id: `${900000 + sequence}`, type: 'text', quoteToken: `q${sequence}`, text },
    ...overrides,
  };
}

export function webhookBody(events: Array<Record<string, unknown>>, destination = BOT_USER_ID): string {
  return JSON.stringify({ destination, events });
}

/** Polls `check` until it returns true (or throws after `timeoutMs`). */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Row counts of the LINE queues, by status. */
export async function lineQueueCounts(
  database: Database,
): Promise<{ inbox: Record<string, number>; outbox: Record<string, number> }> {
  const count = async (table: string) => {
    const { rows } = await database.pool.query<{ status: string; n: string }>(
      `SELECT status, count(*)::text AS n FROM ${table} GROUP BY status`,
    );
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  };
  return { inbox: await count('line_inbox'), outbox: await count('line_outbox') };
}

/** True when the inbox and outbox hold nothing still to do. */
export async function lineQueuesSettled(database: Database): Promise<boolean> {
  const { rows } = await database.pool.query<{ n: string }>(
    `SELECT ((SELECT count(*) FROM line_inbox WHERE status IN ('pending', 'processing'))
           + (SELECT count(*) FROM line_outbox WHERE status IN ('pending', 'sending')))::text AS n`,
  );
  return Number(rows[0].n) === 0;
}

/**
 * Forgets every chat and LINE row, so the next fixture is handled as on a fresh install. LINE's own fixtures
 * reuse ids (message 325708 in several files, one webhookEventId in two), which in real traffic would be the
 * same message; each fixture is meant to be seen on its own.
 */
export async function forgetChats(database: Database): Promise<void> {
  await database.pool.query(
    `TRUNCATE line_outbox, line_inbox, line_users, line_groups, chat_introduction_requests, chat_messages,
              chat_conversations, chat_users RESTART IDENTITY CASCADE`,
  );
}
