import * as path from 'node:path';
import { z } from 'zod';
import { projectPath } from '../common/project-paths';

/**
 * The one typed configuration object. It is built once at boot from the environment; every problem is listed
 * in one error so an operator fixes them all in one go. Nothing else in the code reads `process.env`.
 */

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const optionalUrl = optionalString.refine((v) => v === undefined || /^https?:\/\/.+/.test(v), {
  message: 'must be an http(s) URL',
});

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer between ${min} and ${max}` });
        return z.NEVER;
      }
      return n;
    });

/** An integer that may be left unset (undefined: inherit another setting). */
const optionalInt = (min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer between ${min} and ${max}` });
        return z.NEVER;
      }
      return n;
    });

const bool = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      if (/^(1|true|yes|on)$/i.test(v)) return true;
      if (/^(0|false|no|off)$/i.test(v)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    });

const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).optional().default('development'),
  PORT: int(3000, 0, 65535),
  HOST: z.string().optional().default('0.0.0.0'),
  PUBLIC_BASE_URL: optionalUrl,
  TRUST_PROXY: bool(false),
  HTTP_REQUEST_TIMEOUT_MS: int(300_000, 1000, 3_600_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional().default('info'),

  DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: 'must be a postgres:// URL',
  }),
  DATABASE_POOL_SIZE: int(10, 1, 200),
  DATABASE_STATEMENT_TIMEOUT_MS: int(30_000, 0, 3_600_000),
  DATA_DIR: z.string().optional().default('./data'),
  SEED_ON_FIRST_START: bool(true),

  ADMIN_API_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 24, {
    message: 'must be at least 24 characters',
  }),
  API_BODY_LIMIT: z.string().optional().default('1mb'),
  IMPORT_BODY_LIMIT: z.string().optional().default('64mb'),

  EMBEDDINGS_PROVIDER: z.enum(['local', 'openai']).optional().default('local'),
  EMBEDDINGS_BASE_URL: optionalUrl,
  EMBEDDINGS_MODEL: optionalString,
  EMBEDDINGS_API_KEY: optionalString,
  EMBEDDINGS_DIMENSIONS: int(256, 8, 4096),
  EMBEDDINGS_BATCH_SIZE: int(64, 1, 2048),
  EMBEDDINGS_TIMEOUT_MS: int(30000, 100, 600000),
  EMBEDDINGS_SEND_DIMENSIONS: bool(false),

  MATCH_RRF_K: int(60, 1, 1000),
  MATCH_WEIGHT_DENSE: z.coerce.number().min(0).max(10).optional().default(0.4),
  MATCH_WEIGHT_KEYWORD: z.coerce.number().min(0).max(10).optional().default(0.4),
  MATCH_CONCEPT_MIN_SHARE: z.coerce.number().min(0).max(1).optional().default(0.35),
  MATCH_WEIGHT_CONCEPT: z.coerce.number().min(0).max(10).optional().default(1),
  MATCH_DENSE_MIN_SIMILARITY: z.coerce.number().min(-1).max(1).optional().default(0.2),
  MATCH_CANDIDATES: int(100, 10, 1000),

  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  LLM_TH_BASE_URL: optionalUrl,
  LLM_TH_API_KEY: optionalString,
  LLM_TH_MODEL: optionalString,
  LLM_JA_BASE_URL: optionalUrl,
  LLM_JA_API_KEY: optionalString,
  LLM_JA_MODEL: optionalString,
  LLM_TIMEOUT_MS: int(30000, 100, 600000),
  LLM_MAX_RETRIES: int(2, 0, 10),
  LLM_CONCURRENCY: int(4, 1, 256),
  LLM_MAX_TOKENS: int(1024, 16, 32768),
  LLM_EXTRA_BODY: optionalString,
  LLM_TRANSLATION_PIVOT: z.enum(['direct', 'english']).optional().default('direct'),
  LLM_TRANSLATION_PIVOT_PAIRS: csv,
  LLM_TH_EXTRA_BODY: optionalString,
  LLM_JA_EXTRA_BODY: optionalString,
  LLM_RETRY_BASE_MS: int(500, 1, 60000),
  LLM_RETRY_MAX_DELAY_MS: int(10000, 1, 300000),
  LLM_CIRCUIT_FAILURE_THRESHOLD: int(5, 1, 1000),
  LLM_CIRCUIT_COOLDOWN_MS: int(30000, 10, 3600000),
  LLM_MAX_REQUESTS_PER_SECOND: int(0, 0, 10000),
  LLM_TH_MAX_REQUESTS_PER_SECOND: optionalInt(0, 10000),
  LLM_JA_MAX_REQUESTS_PER_SECOND: optionalInt(0, 10000),
  LLM_PROMPTS_DIR: optionalString,
  LLM_AUTO_TRANSLATE_PROFILES: bool(true),
  LLM_ENRICH_PROFILES: bool(true),
  LLM_CLASSIFY_REQUESTS: bool(true),

  LINE_CHANNEL_SECRET: optionalString,
  LINE_CHANNEL_ACCESS_TOKEN: optionalString,
  LINE_API_BASE_URL: z.string().optional().default('https://api.line.me'),
  LINE_DATA_API_BASE_URL: z.string().optional().default('https://api-data.line.me'),
  LINE_API_TIMEOUT_MS: int(10000, 100, 120000),
  LINE_WORKER_CONCURRENCY: int(4, 0, 256),
  LINE_SENDER_CONCURRENCY: int(4, 1, 256),
  LINE_WORKER_POLL_MS: int(1000, 10, 60000),
  LINE_WORKER_LEASE_SECONDS: int(120, 5, 3600),
  LINE_INBOX_MAX_ATTEMPTS: int(5, 1, 100),
  LINE_OUTBOX_MAX_ATTEMPTS: int(8, 1, 100),
  LINE_RETRY_BASE_MS: int(1000, 1, 600000),
  LINE_RETRY_MAX_DELAY_MS: int(300000, 1, 3600000),
  LINE_REPLY_TOKEN_MAX_AGE_SECONDS: int(50, 1, 60),
  LINE_LOADING_SECONDS: int(20, 5, 60),
  LINE_PROFILE_REFRESH_HOURS: int(24, 0, 24 * 365),
  LINE_WORKER_YIELD_MS: int(25, 0, 10000),
  LINE_WORKER_MAX_DEFER_MS: int(2000, 1, 600000),
  LINE_RETENTION_DAYS: int(7, 1, 3650),

  INTRODUCTION_TTL_HOURS: int(168, 1, 24 * 365),
  INTRODUCTION_RATE_PER_DAY: int(5, 1, 1000),
  INTRODUCTION_RATE_PER_NETWORK_PER_DAY: int(10, 1, 100_000),
  REGISTRATION_RATE_PER_DAY: int(2, 1, 1000),
  REGISTRATION_RATE_PER_NETWORK_PER_DAY: int(5, 1, 100_000),
  REGISTRATION_EDITS_NEED_REVIEW: bool(true),
  ALERT_SEARCHES_PER_USER: int(10, 1, 100),
  ALERT_LINE_PUSHES_PER_DAY: int(1000, 0, 10_000_000),
  ALERT_CHECK_MS: int(60_000, 100, 86_400_000),
  RELAY_WITHOUT_LLM: z.enum(['original-with-note', 'wait']).optional().default('original-with-note'),
  RELAY_UPLOAD_MAX_BYTES: int(10 * 1024 * 1024, 1024, 50 * 1024 * 1024),
  RELAY_WORKER_CONCURRENCY: int(16, 0, 256),
  RELAY_POLL_MS: int(1000, 10, 60000),
  RELAY_LEASE_SECONDS: int(120, 5, 3600),
  RELAY_RETRY_BASE_MS: int(2000, 1, 600000),
  RELAY_RETRY_MAX_DELAY_MS: int(60000, 1, 3600000),
  ROOM_INVITE_TTL_HOURS: int(72, 1, 24 * 90),

  WEB_CHAT_SECRET: optionalString,
  WEB_CHAT_ALLOWED_ORIGINS: csv,
  WEB_CHAT_IDENTITY_SECRET: optionalString,
  WEB_CHAT_TOKEN_TTL_SECONDS: int(86400, 60, 60 * 60 * 24 * 30),
  WEB_CHAT_MAX_MESSAGE_CHARS: int(2000, 10, 2000),
  WEB_CHAT_MAX_PAYLOAD_BYTES: int(16384, 1024, 1048576),
  WEB_CHAT_RATE_BURST: int(5, 1, 1000),
  WEB_CHAT_RATE_PER_MINUTE: int(30, 1, 60000),
  WEB_CHAT_FLOOD_STRIKES: int(10, 1, 1000),
  WEB_CHAT_SESSION_BURST: int(20, 1, 100_000),
  WEB_CHAT_SESSIONS_PER_HOUR: int(60, 1, 1_000_000),

  CONSOLE_SESSION_TTL_HOURS: int(12, 1, 24 * 30),
  CONSOLE_SESSION_IDLE_MINUTES: int(240, 5, 24 * 60 * 30),
  CONSOLE_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).optional().default('auto'),
  CONSOLE_LOCKOUT_THRESHOLD: int(5, 1, 100),
  CONSOLE_LOCKOUT_BASE_SECONDS: int(30, 1, 3600),
  CONSOLE_LOCKOUT_MAX_SECONDS: int(3600, 1, 86400),
  METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters',
  }),
  SHUTDOWN_DRAIN_MS: int(10000, 0, 120000),
  WEB_CHAT_CLUSTER_ADAPTER: z.enum(['auto', 'none', 'postgres']).optional().default('auto'),
  RATE_LIMIT_STORE: z.enum(['auto', 'memory', 'database']).optional().default('auto'),
  RETENTION_CONVERSATION_DAYS: int(365, 0, 36500),
  RETENTION_LLM_CALL_DAYS: int(90, 0, 36500),
  RETENTION_INTERVAL_MINUTES: int(60, 0, 10080),
  RETENTION_BATCH_SIZE: int(1000, 1, 100000),
});

export type Lang = 'ja' | 'th' | 'en';

export interface LlmEndpointConfig {
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Extra request-body fields for this endpoint (LLM_EXTRA_BODY merged with LLM_TH_/LLM_JA_EXTRA_BODY). */
  extraBody?: Record<string, unknown>;
  /**
   * Request starts per second to this model (base URL + model) for the whole deployment, 0 or unset = no limit
   * (LLM_MAX_REQUESTS_PER_SECOND, overridden by LLM_TH_/LLM_JA_MAX_REQUESTS_PER_SECOND).
   */
  maxRequestsPerSecond?: number;
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  http: {
    port: number;
    host: string;
    publicBaseUrl?: string;
    trustProxy: boolean;
    /** A request whose headers and body are not all received in this time is answered 408 (stalled uploads). */
    requestTimeoutMs: number;
    bodyLimit: string;
    importBodyLimit: string;
  };
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  database: {
    /** Set: a real PostgreSQL server. Unset: embedded PGlite persisted under dataDir. */
    url?: string;
    poolSize: number;
    /** A server: statements running longer are cancelled (0: no limit). Index builds lift it for themselves. */
    statementTimeoutMs: number;
    dataDir: string;
    seedOnFirstStart: boolean;
  };
  auth: { adminApiToken?: string };
  embeddings: {
    provider: 'local' | 'openai';
    baseUrl?: string;
    model?: string;
    apiKey?: string;
    dimensions: number;
    batchSize: number;
    timeoutMs: number;
    sendDimensions: boolean;
  };
  matching: {
    /** Reciprocal rank fusion: score = Σ weight / (k + rank) over the arms. */
    rrfK: number;
    weights: { dense: number; keyword: number; concept: number };
    /** Vector hits less similar than this are noise, not candidates (cosine similarity). */
    denseMinSimilarity: number;
    /** Concept-arm candidates must reach this share of the best concept score. */
    conceptMinShare: number;
    /** Candidates taken from each arm before fusion. */
    candidates: number;
  };
  llm: {
    /** undefined = provider `none`: generation and translation report themselves unavailable. */
    default?: LlmEndpointConfig;
    byOutputLang: Partial<Record<Lang, LlmEndpointConfig>>;
    timeoutMs: number;
    maxRetries: number;
    concurrency: number;
    maxTokens: number;
    extraBody: Record<string, unknown>;
    translationPivot: 'direct' | 'english';
    /** Per-direction overrides of translationPivot, e.g. { 'th-ja': 'english' } (LLM_TRANSLATION_PIVOT_PAIRS). */
    translationPivotPairs: Record<string, 'direct' | 'english'>;
    /** Backoff: base·2^attempt with full jitter, capped; a Retry-After header wins when it is longer. */
    retry: { baseDelayMs: number; maxDelayMs: number };
    /** Consecutive failures that open an endpoint's circuit, and how long it stays open before a probe. */
    circuit: { failureThreshold: number; cooldownMs: number };
    /**
     * Request starts per second per model (0 = no limit); Typhoon's API allows 5. The default endpoint's value;
     * each endpoint carries its own (`LlmEndpointConfig.maxRequestsPerSecond`).
     */
    maxRequestsPerSecond: number;
    /** Folder of the prompt files (default: prompts/ in the project). */
    promptsDir: string;
    /** Fill missing languages of saved profiles in the background (only when an LLM is configured). */
    autoTranslateProfiles: boolean;
    /** Read each profile into kinds of business and ja/th/en keywords, in the background (stored apart). */
    enrichProfiles: boolean;
    /** Ask the model for the kind of business of a request the rules read none from. */
    classifyRequests: boolean;
  };
  line: {
    channelSecret?: string;
    channelAccessToken?: string;
    apiBaseUrl: string;
    dataApiBaseUrl: string;
    /** Each LINE API call gives up after this long (then counts as a retryable failure). */
    apiTimeoutMs: number;
    /** Inbox events handled at once by this instance; 0 = this instance only receives webhooks. */
    workerConcurrency: number;
    /** Outbox sends in flight at once by this instance. */
    senderConcurrency: number;
    /** How often idle workers look for work another instance queued, or a retry that came due. */
    pollMs: number;
    /** A claimed row is someone else's to retry when its worker has not renewed the lease for this long. */
    leaseSeconds: number;
    /** Handling attempts per inbox event, and send attempts per outbox message, before they stay 'failed'. */
    inboxMaxAttempts: number;
    outboxMaxAttempts: number;
    /** Backoff: base·2^attempt with full jitter, capped; a Retry-After header wins when it is longer. */
    retry: { baseDelayMs: number; maxDelayMs: number };
    /** Reply tokens die after about a minute: older than this, push instead. */
    replyTokenMaxAgeSeconds: number;
    /** Loading animation length in 1:1 chats (5–60 s, rounded to a multiple of 5). */
    loadingSeconds: number;
    /** How long a user's profile language is trusted before it is fetched again (0 = every event). */
    profileRefreshHours: number;
    /**
     * Webhook acknowledgements before event handling: while webhooks keep arriving, workers wait until the
     * stream has been quiet for yieldMs (0 = never wait), but start one event at least every maxDeferMs.
     */
    ingressPriority: { yieldMs: number; maxDeferMs: number };
    /** Handled inbox events and sent messages are deleted after this many days (failed rows are kept). */
    retentionDays: number;
  };
  introductions: {
    /** A request not answered within this many hours expires (the requester is told). */
    ttlHours: number;
    /** Requests a chat user may send in any 24 hours. */
    ratePerDay: number;
    /**
     * Requests sent in any 24 hours from web sessions opened on one network (an IPv4 address, an IPv6 /64):
     * every new web session is a new chat user, so the per-user limit alone does not hold an anonymous sender.
     */
    ratePerNetworkPerDay: number;
  };
  alerts: {
    /** Searches one chat user may keep alerts for. */
    searchesPerUser: number;
    /**
     * Alert messages pushed to LINE users in any 24 hours, all users together (LINE counts pushes against the
     * plan's monthly quota); users past it get theirs the next day.
     */
    linePushesPerDay: number;
    /** How often the alert check runs besides after each index change (a user's next day comes without one). */
    checkMs: number;
  };
  registration: {
    /** Registrations one chat user may send for review in any 24 hours. */
    ratePerDay: number;
    /** Registrations sent in any 24 hours from web sessions opened on one network (as for introductions). */
    ratePerNetworkPerDay: number;
    /** A linked firm's edit of its own profile waits for staff approval (otherwise it is published at once). */
    editsNeedReview: boolean;
  };
  relay: {
    /**
     * No model can translate (an outage, an open circuit): relay the original with a short localized note, or
     * keep the message (and those after it in the room) until translation works again. With no LLM configured
     * at all the original is always relayed with the note.
     */
    withoutLlm: 'original-with-note' | 'wait';
    /** Largest file a widget user may upload to a room, and largest LINE content relayed. */
    uploadMaxBytes: number;
    /** Messages translated at once by this instance (0: this instance relays nothing). */
    workerConcurrency: number;
    /** How often idle relay workers look for work another instance queued, or a retry that came due. */
    pollMs: number;
    leaseSeconds: number;
    /** Backoff while waiting for a model (withoutLlm = wait) or retrying a LINE content fetch. */
    retry: { baseDelayMs: number; maxDelayMs: number };
    /** Lifetime of a code that invites a colleague into one side of a room. */
    inviteTtlHours: number;
  };
  webChat: {
    secret?: string;
    allowedOrigins: string[];
    identitySecret?: string;
    tokenTtlSeconds: number;
    /** Longest user message (characters); longer ones are refused with a localized note. */
    maxMessageChars: number;
    /** Largest socket.io packet (bytes); a client sending more is disconnected by the transport. */
    maxPayloadBytes: number;
    /** Per-socket token bucket: `rateBurst` messages at once, refilled at `ratePerMinute`. */
    rateBurst: number;
    ratePerMinute: number;
    /** Messages refused for rate in a row (without a pause) before the socket is disconnected. */
    floodStrikes: number;
    /** Sessions one network (IPv4 address, IPv6 /64) may open at once, refilled at `sessionsPerHour`. */
    sessionBurst: number;
    sessionsPerHour: number;
  };
  operations: {
    /** Set: `GET /metrics` requires `Authorization: Bearer <token>`. Unset: open (keep it off the public net). */
    metricsToken?: string;
    /** On SIGTERM, how long in-flight work and the outbox may take to finish before the process stops. */
    shutdownDrainMs: number;
    /** Cross-instance socket.io delivery: `auto` = the PostgreSQL adapter when DATABASE_URL is set. */
    webChatClusterAdapter: 'none' | 'postgres';
    /**
     * Where the token buckets of deployment-wide limits live (a model's requests per second, a visitor's
     * messages): `database` (table rate_limit_buckets, shared by every instance) or `memory` (this process only).
     * `auto` = database when DATABASE_URL is set, memory on the embedded database (one instance anyway).
     */
    rateLimitStore: 'memory' | 'database';
    /** Days kept (0 = forever); purged in batches every `intervalMinutes` (0 = no purge job). */
    retention: {
      conversationDays: number;
      llmCallDays: number;
      intervalMinutes: number;
      batchSize: number;
    };
  };
  console: {
    /** Absolute lifetime of a staff session, and how long it survives without use. */
    sessionTtlHours: number;
    sessionIdleMinutes: number;
    /** `auto`: Secure when the request came over TLS (see TRUST_PROXY) or PUBLIC_BASE_URL is https. */
    cookieSecure: 'auto' | 'always' | 'never';
    /** After `threshold` wrong passwords in a row, sign-in waits base·2^(n−threshold) seconds, at most max. */
    lockout: { threshold: number; baseSeconds: number; maxSeconds: number };
  };
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;

  const endpoint = (prefix: string, baseUrl?: string, model?: string, apiKey?: string) => {
    if (!baseUrl && !model) return undefined;
    if (!baseUrl) problems.push(`${prefix}_BASE_URL: required when ${prefix}_MODEL is set`);
    if (!model) problems.push(`${prefix}_MODEL: required when ${prefix}_BASE_URL is set`);
    return baseUrl && model ? { baseUrl, model, apiKey } : undefined;
  };
  const llmDefault = endpoint('LLM', e.LLM_BASE_URL, e.LLM_MODEL, e.LLM_API_KEY);
  // A language-specific model without its own base URL runs on the default server, with the default key.
  const llmTh = endpoint(
    'LLM_TH',
    e.LLM_TH_BASE_URL ?? (e.LLM_TH_MODEL ? llmDefault?.baseUrl : undefined),
    e.LLM_TH_MODEL,
    e.LLM_TH_API_KEY ?? (e.LLM_TH_BASE_URL ? undefined : llmDefault?.apiKey),
  );
  const llmJa = endpoint(
    'LLM_JA',
    e.LLM_JA_BASE_URL ?? (e.LLM_JA_MODEL ? llmDefault?.baseUrl : undefined),
    e.LLM_JA_MODEL,
    e.LLM_JA_API_KEY ?? (e.LLM_JA_BASE_URL ? undefined : llmDefault?.apiKey),
  );

  let extraBody: Record<string, unknown> = {};
  if (e.LLM_EXTRA_BODY) {
    try {
      const value: unknown = JSON.parse(e.LLM_EXTRA_BODY);
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new Error('not an object');
      extraBody = value as Record<string, unknown>;
    } catch {
      problems.push(
        'LLM_EXTRA_BODY: must be a JSON object, e.g. {"chat_template_kwargs":{"enable_thinking":false}}',
      );
    }
  }
  const jsonObject = (name: string, raw: string | undefined): Record<string, unknown> => {
    if (!raw) return {};
    try {
      const value: unknown = JSON.parse(raw);
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // reported below
    }
    problems.push(`${name}: must be a JSON object, e.g. {"chat_template_kwargs":{"enable_thinking":false}}`);
    return {};
  };
  const thExtraBody = jsonObject('LLM_TH_EXTRA_BODY', e.LLM_TH_EXTRA_BODY);
  const jaExtraBody = jsonObject('LLM_JA_EXTRA_BODY', e.LLM_JA_EXTRA_BODY);
  const translationPivotPairs: Record<string, 'direct' | 'english'> = {};
  for (const item of e.LLM_TRANSLATION_PIVOT_PAIRS) {
    const m = /^(ja|th|en)-(ja|th|en)[:=](direct|english)$/.exec(item);
    if (m) translationPivotPairs[`${m[1]}-${m[2]}`] = m[3] as 'direct' | 'english';
    else
      problems.push(
        `LLM_TRANSLATION_PIVOT_PAIRS: "${item}" is not FROM-TO:direct|english, e.g. th-ja:english,ja-th:direct`,
      );
  }
  if (e.LLM_RETRY_MAX_DELAY_MS < e.LLM_RETRY_BASE_MS)
    problems.push('LLM_RETRY_MAX_DELAY_MS: must be at least LLM_RETRY_BASE_MS');
  if (e.EMBEDDINGS_PROVIDER === 'openai') {
    if (!e.EMBEDDINGS_BASE_URL)
      problems.push('EMBEDDINGS_BASE_URL: required when EMBEDDINGS_PROVIDER=openai');
    if (!e.EMBEDDINGS_MODEL) problems.push('EMBEDDINGS_MODEL: required when EMBEDDINGS_PROVIDER=openai');
  }
  if (e.LINE_RETRY_MAX_DELAY_MS < e.LINE_RETRY_BASE_MS)
    problems.push('LINE_RETRY_MAX_DELAY_MS: must be at least LINE_RETRY_BASE_MS');
  if (e.RELAY_RETRY_MAX_DELAY_MS < e.RELAY_RETRY_BASE_MS)
    problems.push('RELAY_RETRY_MAX_DELAY_MS: must be at least RELAY_RETRY_BASE_MS');
  for (const origin of e.WEB_CHAT_ALLOWED_ORIGINS) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin))
      problems.push(
        `WEB_CHAT_ALLOWED_ORIGINS: "${origin}" is not an origin (scheme://host[:port], no path), or * for any`,
      );
  }
  if (e.LINE_CHANNEL_SECRET && !e.LINE_CHANNEL_ACCESS_TOKEN) {
    problems.push('LINE_CHANNEL_ACCESS_TOKEN: required when LINE_CHANNEL_SECRET is set');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: e.NODE_ENV,
    http: {
      port: e.PORT,
      host: e.HOST,
      publicBaseUrl: e.PUBLIC_BASE_URL,
      trustProxy: e.TRUST_PROXY,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      bodyLimit: e.API_BODY_LIMIT,
      importBodyLimit: e.IMPORT_BODY_LIMIT,
    },
    logLevel: e.LOG_LEVEL,
    database: {
      url: e.DATABASE_URL,
      poolSize: e.DATABASE_POOL_SIZE,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      dataDir: path.resolve(e.DATA_DIR),
      seedOnFirstStart: e.SEED_ON_FIRST_START,
    },
    auth: { adminApiToken: e.ADMIN_API_TOKEN },
    embeddings: {
      provider: e.EMBEDDINGS_PROVIDER,
      baseUrl: e.EMBEDDINGS_BASE_URL,
      model: e.EMBEDDINGS_MODEL,
      apiKey: e.EMBEDDINGS_API_KEY,
      dimensions: e.EMBEDDINGS_DIMENSIONS,
      batchSize: e.EMBEDDINGS_BATCH_SIZE,
      timeoutMs: e.EMBEDDINGS_TIMEOUT_MS,
      sendDimensions: e.EMBEDDINGS_SEND_DIMENSIONS,
    },
    matching: {
      rrfK: e.MATCH_RRF_K,
      weights: {
        dense: e.MATCH_WEIGHT_DENSE,
        keyword: e.MATCH_WEIGHT_KEYWORD,
        concept: e.MATCH_WEIGHT_CONCEPT,
      },
      denseMinSimilarity: e.MATCH_DENSE_MIN_SIMILARITY,
      conceptMinShare: e.MATCH_CONCEPT_MIN_SHARE,
      candidates: e.MATCH_CANDIDATES,
    },
    llm: {
      default: llmDefault
        ? { ...llmDefault, extraBody, maxRequestsPerSecond: e.LLM_MAX_REQUESTS_PER_SECOND }
        : undefined,
      byOutputLang: {
        ...(llmTh
          ? {
              th: {
                ...llmTh,
                extraBody: { ...extraBody, ...thExtraBody },
                maxRequestsPerSecond: e.LLM_TH_MAX_REQUESTS_PER_SECOND ?? e.LLM_MAX_REQUESTS_PER_SECOND,
              },
            }
          : {}),
        ...(llmJa
          ? {
              ja: {
                ...llmJa,
                extraBody: { ...extraBody, ...jaExtraBody },
                maxRequestsPerSecond: e.LLM_JA_MAX_REQUESTS_PER_SECOND ?? e.LLM_MAX_REQUESTS_PER_SECOND,
              },
            }
          : {}),
      },
      timeoutMs: e.LLM_TIMEOUT_MS,
      maxRetries: e.LLM_MAX_RETRIES,
      concurrency: e.LLM_CONCURRENCY,
      maxTokens: e.LLM_MAX_TOKENS,
      extraBody,
      translationPivot: e.LLM_TRANSLATION_PIVOT,
      translationPivotPairs,
      retry: { baseDelayMs: e.LLM_RETRY_BASE_MS, maxDelayMs: e.LLM_RETRY_MAX_DELAY_MS },
      circuit: { failureThreshold: e.LLM_CIRCUIT_FAILURE_THRESHOLD, cooldownMs: e.LLM_CIRCUIT_COOLDOWN_MS },
      maxRequestsPerSecond: e.LLM_MAX_REQUESTS_PER_SECOND,
      promptsDir: path.resolve(e.LLM_PROMPTS_DIR ?? projectPath('prompts')),
      autoTranslateProfiles: e.LLM_AUTO_TRANSLATE_PROFILES,
      enrichProfiles: e.LLM_ENRICH_PROFILES,
      classifyRequests: e.LLM_CLASSIFY_REQUESTS,
    },
    line: {
      channelSecret: e.LINE_CHANNEL_SECRET,
      channelAccessToken: e.LINE_CHANNEL_ACCESS_TOKEN,
      apiBaseUrl: e.LINE_API_BASE_URL.replace(/\/+$/, ''),
      dataApiBaseUrl: e.LINE_DATA_API_BASE_URL.replace(/\/+$/, ''),
      apiTimeoutMs: e.LINE_API_TIMEOUT_MS,
      workerConcurrency: e.LINE_WORKER_CONCURRENCY,
      senderConcurrency: e.LINE_SENDER_CONCURRENCY,
      pollMs: e.LINE_WORKER_POLL_MS,
      leaseSeconds: e.LINE_WORKER_LEASE_SECONDS,
      inboxMaxAttempts: e.LINE_INBOX_MAX_ATTEMPTS,
      outboxMaxAttempts: e.LINE_OUTBOX_MAX_ATTEMPTS,
      retry: { baseDelayMs: e.LINE_RETRY_BASE_MS, maxDelayMs: e.LINE_RETRY_MAX_DELAY_MS },
      replyTokenMaxAgeSeconds: e.LINE_REPLY_TOKEN_MAX_AGE_SECONDS,
      loadingSeconds: Math.min(60, Math.max(5, Math.round(e.LINE_LOADING_SECONDS / 5) * 5)),
      profileRefreshHours: e.LINE_PROFILE_REFRESH_HOURS,
      ingressPriority: { yieldMs: e.LINE_WORKER_YIELD_MS, maxDeferMs: e.LINE_WORKER_MAX_DEFER_MS },
      retentionDays: e.LINE_RETENTION_DAYS,
    },
    introductions: {
      ttlHours: e.INTRODUCTION_TTL_HOURS,
      ratePerDay: e.INTRODUCTION_RATE_PER_DAY,
      ratePerNetworkPerDay: e.INTRODUCTION_RATE_PER_NETWORK_PER_DAY,
    },
    alerts: {
      searchesPerUser: e.ALERT_SEARCHES_PER_USER,
      linePushesPerDay: e.ALERT_LINE_PUSHES_PER_DAY,
      checkMs: e.ALERT_CHECK_MS,
    },
    registration: {
      ratePerDay: e.REGISTRATION_RATE_PER_DAY,
      ratePerNetworkPerDay: e.REGISTRATION_RATE_PER_NETWORK_PER_DAY,
      editsNeedReview: e.REGISTRATION_EDITS_NEED_REVIEW,
    },
    relay: {
      withoutLlm: e.RELAY_WITHOUT_LLM,
      uploadMaxBytes: e.RELAY_UPLOAD_MAX_BYTES,
      workerConcurrency: e.RELAY_WORKER_CONCURRENCY,
      pollMs: e.RELAY_POLL_MS,
      leaseSeconds: e.RELAY_LEASE_SECONDS,
      retry: { baseDelayMs: e.RELAY_RETRY_BASE_MS, maxDelayMs: e.RELAY_RETRY_MAX_DELAY_MS },
      inviteTtlHours: e.ROOM_INVITE_TTL_HOURS,
    },
    webChat: {
      secret: e.WEB_CHAT_SECRET,
      allowedOrigins: e.WEB_CHAT_ALLOWED_ORIGINS,
      identitySecret: e.WEB_CHAT_IDENTITY_SECRET,
      tokenTtlSeconds: e.WEB_CHAT_TOKEN_TTL_SECONDS,
      maxMessageChars: e.WEB_CHAT_MAX_MESSAGE_CHARS,
      maxPayloadBytes: e.WEB_CHAT_MAX_PAYLOAD_BYTES,
      rateBurst: e.WEB_CHAT_RATE_BURST,
      ratePerMinute: e.WEB_CHAT_RATE_PER_MINUTE,
      sessionBurst: e.WEB_CHAT_SESSION_BURST,
      sessionsPerHour: e.WEB_CHAT_SESSIONS_PER_HOUR,
      floodStrikes: e.WEB_CHAT_FLOOD_STRIKES,
    },
    operations: {
      metricsToken: e.METRICS_TOKEN,
      shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
      webChatClusterAdapter:
        e.WEB_CHAT_CLUSTER_ADAPTER === 'auto'
          ? e.DATABASE_URL
            ? 'postgres'
            : 'none'
          : e.WEB_CHAT_CLUSTER_ADAPTER,
      rateLimitStore:
        e.RATE_LIMIT_STORE === 'auto' ? (e.DATABASE_URL ? 'database' : 'memory') : e.RATE_LIMIT_STORE,
      retention: {
        conversationDays: e.RETENTION_CONVERSATION_DAYS,
        llmCallDays: e.RETENTION_LLM_CALL_DAYS,
        intervalMinutes: e.RETENTION_INTERVAL_MINUTES,
        batchSize: e.RETENTION_BATCH_SIZE,
      },
    },
    console: {
      sessionTtlHours: e.CONSOLE_SESSION_TTL_HOURS,
      sessionIdleMinutes: e.CONSOLE_SESSION_IDLE_MINUTES,
      cookieSecure:
        e.CONSOLE_COOKIE_SECURE === 'true'
          ? 'always'
          : e.CONSOLE_COOKIE_SECURE === 'false'
            ? 'never'
            : 'auto',
      lockout: {
        threshold: e.CONSOLE_LOCKOUT_THRESHOLD,
        baseSeconds: e.CONSOLE_LOCKOUT_BASE_SECONDS,
        maxSeconds: e.CONSOLE_LOCKOUT_MAX_SECONDS,
      },
    },
  };
}

/** Injection token for the config object (a plain interface cannot be a Nest token). */
export const APP_CONFIG = Symbol('APP_CONFIG');
