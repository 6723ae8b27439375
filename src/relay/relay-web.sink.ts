import { Injectable } from '@nestjs/common';

/** The part of a socket.io namespace the relay uses (structural, so socket.io stays in the web-chat adapter). */
export interface RoomNamespace {
  to(room: string): { emit(event: string, payload: unknown): unknown };
}

/**
 * Pushes relay events to a web visitor's open sockets (every tab; other instances through the socket.io
 * adapter). Bound to the `/chat` namespace by RelayWebGateway; until then (no web chat) it drops events, which
 * is safe: the widget fetches what it missed when it connects.
 */
@Injectable()
export class RelayWebSink {
  private namespace?: RoomNamespace;

  attach(namespace: RoomNamespace): void {
    this.namespace = namespace;
  }

  /** The web chat gateway's room for a visitor (see WebChatGateway). */
  toVisitor(visitorId: string, event: string, payload: unknown): void {
    this.namespace?.to(`v:${visitorId}`).emit(event, payload);
  }
}
