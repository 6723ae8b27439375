import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { RelayReader } from './relay-reader.service';
import { type RoomNamespace, RelayWebSink } from './relay-web.sink';

/** The parts of a socket the relay reads (structural: socket.io stays in the web-chat adapter). */
interface RelaySocket {
  data: unknown;
  handshake: { auth?: unknown };
  emit(event: string, payload: unknown): unknown;
}

/**
 * Deal-room events on the web chat's socket.io namespace `/chat` (the web chat gateway checks the handshake and
 * puts each socket in its visitor's room; this gateway only adds room traffic). Server → client: `room_message`
 * (a relayed message in the reader's language, with the original), `room_state` (the visitor's open rooms).
 * Client → server: `room_resume` { lastRelayId } — also read from the handshake's auth on connect — replays what
 * the visitor's widget missed, in order.
 */
@WebSocketGateway({ namespace: '/chat' })
export class RelayWebGateway implements OnGatewayInit<RoomNamespace>, OnGatewayConnection<RelaySocket> {
  private readonly logger = new Logger('RelayWeb');

  constructor(
    private readonly sink: RelayWebSink,
    private readonly reader: RelayReader,
  ) {}

  afterInit(namespace: RoomNamespace): void {
    this.sink.attach(namespace);
  }

  async handleConnection(socket: RelaySocket): Promise<void> {
    const vid = visitorOf(socket);
    if (!vid) return;
    const auth = socket.handshake.auth as { lastRelayId?: unknown } | undefined;
    try {
      await this.reader.resumeWeb(vid, auth?.lastRelayId, (event, payload) => socket.emit(event, payload));
    } catch (err) {
      this.logger.warn({ msg: 'room resume failed', visitorId: vid, error: (err as Error).name });
    }
  }

  @SubscribeMessage('room_resume')
  async onResume(
    @ConnectedSocket() socket: RelaySocket,
    @MessageBody() body: unknown,
  ): Promise<{ ok: boolean; replayed?: number }> {
    const vid = visitorOf(socket);
    if (!vid) return { ok: false };
    const lastRelayId = (body as { lastRelayId?: unknown } | undefined)?.lastRelayId;
    const replayed = await this.reader.resumeWeb(vid, lastRelayId, (event, payload) =>
      socket.emit(event, payload),
    );
    return { ok: true, replayed };
  }
}

function visitorOf(socket: RelaySocket): string | undefined {
  const visitor = (socket.data as { visitor?: { vid?: unknown } } | undefined)?.visitor;
  return typeof visitor?.vid === 'string' ? visitor.vid : undefined;
}
