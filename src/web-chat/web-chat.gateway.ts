import { Inject, Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import type { RateBuckets } from '../observability/rate-buckets';
import {
  MessageRateLimiter,
  type RateDecision,
  WEB_CHAT_RATE_BUCKETS,
  visitorBucketKey,
} from './rate-limiter';
import type { VisitorClaims } from './visitor-token';
import { type Ack, type ChatSink, WebChatService } from './web-chat.service';

interface SocketData {
  visitor: VisitorClaims;
  limiter: MessageRateLimiter;
}

const room = (visitorId: string) => `v:${visitorId}`;

/**
 * socket.io namespace `/chat`. The handshake is checked in namespace middleware (origin allowlist, visitor token):
 * a failure is a `connect_error` with `data.code`, and no handler ever runs. Each visitor has a message rate
 * limit (RATE_LIMIT_STORE: across instances in the database); events are handed to WebChatService, which talks
 * to the conversation engine.
 *
 * Client → server: `user_message` { text, clientMessageId }, `postback` { data }, `hello`, `resume` { lastSeenId }.
 * Server → client: `bot_typing` { typing }, `bot_delta` { replyTo, text }, `bot_message` { id, text, texts, cards,
 * quickReplies, lang, generated, replyTo }, `throttled` { retryAfterMs }, `forgotten`.
 */
@WebSocketGateway({ namespace: '/chat' })
export class WebChatGateway implements OnGatewayInit<Namespace>, OnGatewayConnection<Socket> {
  private readonly logger = new Logger('WebChatGateway');
  private namespace?: Namespace;

  constructor(
    private readonly chat: WebChatService,
    @Inject(WEB_CHAT_RATE_BUCKETS) private readonly rateBuckets: RateBuckets,
  ) {}

  afterInit(namespace: Namespace): void {
    this.namespace = namespace;
    namespace.use((socket, next) => {
      const auth = socket.handshake.auth as { token?: unknown } | undefined;
      const check = this.chat.checkHandshake(
        auth?.token,
        socket.handshake.headers.origin,
        socket.handshake.headers.host,
      );
      if (!check.ok) {
        const err = new Error(check.message) as Error & { data?: unknown };
        err.data = { code: check.code };
        return next(err);
      }
      const { rateBurst, ratePerMinute, floodStrikes } = this.chat.limits;
      const data: SocketData = {
        visitor: check.visitor,
        // One bucket per visitor (all their tabs, on any instance when the store is the database).
        limiter: new MessageRateLimiter(rateBurst, ratePerMinute, floodStrikes, Date.now, {
          store: this.rateBuckets,
          key: visitorBucketKey(check.visitor.vid),
        }),
      };
      socket.data = data;
      next();
    });
  }

  async handleConnection(socket: Socket): Promise<void> {
    const { visitor } = socket.data as SocketData;
    await socket.join(room(visitor.vid));
    const auth = socket.handshake.auth as { lastSeenId?: unknown };
    if (auth.lastSeenId !== undefined) await this.chat.resume(visitor, auth.lastSeenId, this.sink(socket));
  }

  @SubscribeMessage('user_message')
  async onUserMessage(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    const limited = await this.limit(socket);
    if (limited) return limited;
    return this.chat.userMessage((socket.data as SocketData).visitor, body, this.sink(socket));
  }

  @SubscribeMessage('postback')
  async onPostback(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    const limited = await this.limit(socket);
    if (limited) return limited;
    return this.chat.postback((socket.data as SocketData).visitor, body, this.sink(socket));
  }

  @SubscribeMessage('hello')
  async onHello(@ConnectedSocket() socket: Socket): Promise<Ack> {
    const limited = await this.limit(socket);
    if (limited) return limited;
    this.chat.hello((socket.data as SocketData).visitor, this.sink(socket));
    return { ok: true };
  }

  @SubscribeMessage('resume')
  async onResume(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    const limited = await this.limit(socket);
    if (limited) return limited;
    const lastSeenId = (body as { lastSeenId?: unknown } | undefined)?.lastSeenId;
    await this.chat.resume((socket.data as SocketData).visitor, lastSeenId, this.sink(socket));
    return { ok: true };
  }

  // Operations hooks (metrics, graceful shutdown); they change nothing about how messages are handled.

  /**
   * Several instances: events to a visitor's room reach their sockets on every instance through this socket.io
   * adapter (set up by src/observability/web-chat-cluster.service.ts before any socket connects).
   */
  useClusterAdapter(adapter: Parameters<Namespace['server']['adapter']>[0]): boolean {
    if (!this.namespace) return false;
    this.namespace.server.adapter(adapter);
    return true;
  }

  /** Sockets connected to this instance. */
  connectedSockets(): number {
    return this.namespace?.sockets.size ?? 0;
  }

  /**
   * Shutdown: tells this instance's sockets to reconnect (`server_restarting`), then closes their transports
   * without a disconnect packet, so socket.io clients reconnect on their own (to another instance, or this one
   * after the restart) and resume from their last seen message.
   */
  closeForRestart(retryAfterMs: number): number {
    const sockets = [...(this.namespace?.sockets.values() ?? [])];
    for (const socket of sockets) {
      socket.emit('server_restarting', { reconnect: true, retryAfterMs });
      socket.conn.close();
    }
    return sockets.length;
  }

  /** Synchronous with the memory store (no I/O, as before); a promise with the database store. */
  private limit(socket: Socket): Ack | undefined | Promise<Ack | undefined> {
    const decision = (socket.data as SocketData).limiter.take();
    return decision instanceof Promise
      ? decision.then((d) => this.refuse(socket, d))
      : this.refuse(socket, decision);
  }

  private refuse(socket: Socket, decision: RateDecision): Ack | undefined {
    if (decision.allowed) return undefined;
    if (decision.disconnect) {
      this.logger.warn({
        msg: 'web chat flooder disconnected',
        visitorId: (socket.data as SocketData).visitor.vid,
      });
      socket.emit('throttled', { retryAfterMs: decision.retryAfterMs, disconnected: true });
      socket.disconnect(true);
    } else {
      socket.emit('throttled', { retryAfterMs: decision.retryAfterMs });
    }
    return { ok: false, error: 'rate-limited' };
  }

  private sink(socket: Socket): ChatSink {
    const vid = (socket.data as SocketData).visitor.vid;
    return {
      toVisitor: (event, payload) => {
        if (this.namespace) this.namespace.to(room(vid)).emit(event, payload);
        else socket.emit(event, payload);
      },
      toSocket: (event, payload) => socket.emit(event, payload),
    };
  }
}
