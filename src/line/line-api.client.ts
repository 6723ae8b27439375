import { Inject, Injectable } from '@nestjs/common';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { parseRetryAfter } from '../llm/resilience/backoff';

/**
 * The only file that knows `@line/bot-sdk`. It speaks the product's terms (reply, push with a retry key,
 * loading animation, profile language, rich menus) and turns every failure into a `LineApiError` the workers
 * can act on (status, Retry-After).
 *
 * Why the SDK and not plain fetch: `MessagingApiClient` (10.x, fetch-based) takes a base URL, sends
 * `X-Line-Retry-Key` on push, and raises `HTTPFetchError` with the status and headers, which is all the
 * outbox needs; its types keep the Flex JSON we build honest. What it lacks is a per-call timeout (it accepts
 * no AbortSignal), so each call races a timer here: a call that outlives it counts as a retryable failure, and
 * a retried push carries the same retry key, so LINE delivers it once even if the slow call got through.
 */

export type LineMessage = messagingApi.Message;
export type LineFlexBubble = messagingApi.FlexBubble;
export type LineFlexComponent = messagingApi.FlexComponent;
export type LineAction = messagingApi.Action;
export type LineQuickReplyItem = messagingApi.QuickReplyItem;
export type LineRichMenu = messagingApi.RichMenuRequest;

export class LineApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; undefined for network failures and timeouts. */
    readonly status: number | undefined,
    readonly kind: 'http' | 'network' | 'timeout',
    /** Retry-After in milliseconds, when LINE sent one. */
    readonly retryAfterMs?: number,
    /** LINE's x-line-request-id, for support requests. */
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'LineApiError';
  }

  /** Worth trying again later: rate limits, server errors, network failures and timeouts. */
  get retryable(): boolean {
    return this.status === undefined || this.status === 429 || this.status >= 500;
  }
}

export interface LineProfile {
  displayName?: string;
  /** Present only when the user consented to share it (e.g. "ja", "th", "en", "zh-Hant"). */
  language?: string;
}

@Injectable()
export class LineApiClient {
  private readonly api: messagingApi.MessagingApiClient;
  private readonly blob: messagingApi.MessagingApiBlobClient;
  private readonly timeoutMs: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const channelAccessToken = config.line.channelAccessToken ?? '';
    this.api = new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: config.line.apiBaseUrl });
    this.blob = new messagingApi.MessagingApiBlobClient({
      channelAccessToken,
      baseURL: config.line.dataApiBaseUrl,
    });
    this.timeoutMs = config.line.apiTimeoutMs;
  }

  /** Answers an event with its reply token (free of charge; the token works once, for about a minute). */
  async reply(replyToken: string, messages: LineMessage[]): Promise<void> {
    await this.call('reply', () => this.api.replyMessage({ replyToken, messages }));
  }

  /**
   * Sends to a user, group or room. `retryKey` (a UUID) makes the call idempotent at LINE: a repeat within
   * 24 hours is answered 409 instead of being delivered again.
   */
  async pushMessages(to: string, messages: LineMessage[], retryKey: string): Promise<void> {
    await this.call('push', () => this.api.pushMessage({ to, messages }, retryKey));
  }

  /** The typing-dots animation in a 1:1 chat; it ends by itself or when our next message arrives. */
  async showLoading(userId: string, seconds: number): Promise<void> {
    await this.call('loading', () =>
      this.api.showLoadingAnimation({ chatId: userId, loadingSeconds: seconds }),
    );
  }

  /** A user's profile, or undefined when LINE has none for us (the user blocked the bot or never added it). */
  async getProfile(userId: string): Promise<LineProfile | undefined> {
    try {
      const profile = await this.call('profile', () => this.api.getProfile(encodeURIComponent(userId)));
      return { displayName: profile.displayName, language: profile.language };
    } catch (err) {
      if (err instanceof LineApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  /**
   * The bytes of an image, video, audio or file a user sent (LINE keeps them for a limited time). Refuses
   * content larger than `maxBytes` with a non-retryable 413.
   */
  async getMessageContent(
    messageId: string,
    maxBytes: number,
  ): Promise<{ bytes: Buffer; contentType: string }> {
    return this.call('content', async () => {
      const { httpResponse, body } = await this.blob.getMessageContentWithHttpInfo(messageId);
      const declared = Number(httpResponse.headers.get('content-length') ?? 0);
      if (declared > maxBytes) {
        body.destroy();
        throw new LineApiError(`LINE content: ${declared} bytes is over the limit`, 413, 'http');
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of body) {
        const piece = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        size += piece.length;
        if (size > maxBytes) {
          body.destroy();
          throw new LineApiError(`LINE content: more than ${maxBytes} bytes`, 413, 'http');
        }
        chunks.push(piece);
      }
      const contentType = httpResponse.headers.get('content-type') ?? 'application/octet-stream';
      return { bytes: Buffer.concat(chunks), contentType };
    });
  }

  async createRichMenu(menu: LineRichMenu): Promise<string> {
    const created = await this.call('richmenu', () => this.api.createRichMenu(menu));
    return created.richMenuId;
  }

  async setRichMenuImage(
    richMenuId: string,
    image: Buffer,
    contentType: 'image/png' | 'image/jpeg',
  ): Promise<void> {
    const blob = new Blob([new Uint8Array(image)], { type: contentType });
    await this.call('richmenu-image', () => this.blob.setRichMenuImage(richMenuId, blob));
  }

  /** Points an alias at a menu (a rich-menu switch action names the alias), replacing an older target. */
  async setRichMenuAlias(aliasId: string, richMenuId: string): Promise<void> {
    try {
      await this.call('richmenu-alias', () =>
        this.api.createRichMenuAlias({ richMenuAliasId: aliasId, richMenuId }),
      );
    } catch (err) {
      if (!(err instanceof LineApiError) || err.status !== 400) throw err;
      // 400 here means the alias exists: move it instead.
      await this.call('richmenu-alias', () => this.api.updateRichMenuAlias(aliasId, { richMenuId }));
    }
  }

  async setDefaultRichMenu(richMenuId: string): Promise<void> {
    await this.call('richmenu-default', () => this.api.setDefaultRichMenu(richMenuId));
  }

  /** Rich menus whose name starts with `prefix` (the script replaces its own menus, never others). */
  async listRichMenus(prefix: string): Promise<Array<{ richMenuId: string; name: string }>> {
    const list = await this.call('richmenu-list', () => this.api.getRichMenuList());
    return list.richmenus
      .filter((m) => m.name.startsWith(prefix))
      .map((m) => ({ richMenuId: m.richMenuId, name: m.name }));
  }

  async deleteRichMenu(richMenuId: string): Promise<void> {
    await this.call('richmenu-delete', () => this.api.deleteRichMenu(richMenuId));
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new LineApiError(`LINE ${what}: no answer within ${this.timeoutMs} ms`, undefined, 'timeout'),
          ),
        this.timeoutMs,
      );
      timer.unref();
    });
    try {
      return await Promise.race([fn(), timeout]);
    } catch (err) {
      throw toLineApiError(what, err);
    } finally {
      clearTimeout(timer);
    }
  }
}

function toLineApiError(what: string, err: unknown): LineApiError {
  if (err instanceof LineApiError) return err;
  if (err instanceof HTTPFetchError) {
    const retryAfterMs = parseRetryAfter(err.headers.get('retry-after'));
    const requestId = err.headers.get('x-line-request-id') ?? undefined;
    // The body is LINE's error description (no message content); keep it short for the row's last_error.
    const detail = err.body ? `: ${err.body.slice(0, 300)}` : '';
    return new LineApiError(
      `LINE ${what} ${err.status}${detail}`,
      err.status,
      'http',
      retryAfterMs,
      requestId,
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new LineApiError(`LINE ${what}: ${message}`, undefined, 'network');
}
