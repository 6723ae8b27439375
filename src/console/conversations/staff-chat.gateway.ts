import { type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';

/** The part of the socket.io namespace staff delivery uses (structural: socket.io stays at the edge). */
export interface VisitorNamespace {
  to(room: string): { emit(event: string, payload: unknown): unknown };
}

/**
 * Binds staff delivery to the web chat's namespace `/chat`. It adds no handlers: the web chat gateway checks
 * every handshake and puts each socket in its visitor's room `v:<visitorId>`; this only emits into those rooms
 * (every tab, other instances through the cluster adapter).
 */
@WebSocketGateway({ namespace: '/chat' })
export class StaffChatGateway implements OnGatewayInit<VisitorNamespace> {
  private namespace?: VisitorNamespace;

  afterInit(namespace: VisitorNamespace): void {
    this.namespace = namespace;
  }

  /** False when the web chat is not running here (the widget replays stored messages when it connects). */
  toVisitor(visitorId: string, event: string, payload: unknown): boolean {
    if (!this.namespace) return false;
    this.namespace.to(`v:${visitorId}`).emit(event, payload);
    return true;
  }
}
