import type { Server as HttpServer } from 'node:http';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { Server, type ServerOptions } from 'socket.io';

export interface ChatIoOptions {
  /** Largest packet a client may send; the transport drops a connection that sends more. */
  maxPayloadBytes: number;
  /** Cross-origin polling requests (browsers): which page origins may use the polling transport. */
  corsOrigin: (origin: string | undefined) => boolean;
}

/**
 * The socket.io server of the web chat, with the product's limits. Registered by WebChatModule before the app
 * initialises, so the HTTP server it attaches to is resolved lazily (it exists by the time gateways connect).
 * A multi-instance deployment sets a socket.io adapter (e.g. @socket.io/postgres-adapter) here.
 */
export class ChatIoAdapter extends IoAdapter {
  constructor(
    private readonly resolveHttpServer: () => HttpServer | undefined,
    private readonly chat: ChatIoOptions,
  ) {
    super();
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const merged: Partial<ServerOptions> = {
      ...options,
      serveClient: false,
      maxHttpBufferSize: this.chat.maxPayloadBytes,
      pingInterval: 25_000,
      pingTimeout: 20_000,
      connectTimeout: 10_000,
      cors: {
        origin: (origin, callback) => callback(null, this.chat.corsOrigin(origin)),
        methods: ['GET', 'POST'],
      },
    };
    const httpServer = this.resolveHttpServer();
    if (httpServer && port === 0) return new Server(httpServer, merged);
    return new Server(port, merged);
  }
}
