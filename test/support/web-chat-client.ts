import { io, type Socket } from 'socket.io-client';

/** A socket.io-client session against the booted app, recording every server event in arrival order. */
export interface ChatClient {
  socket: Socket;
  events: Array<{ event: string; payload: any }>;
  /** Resolves with the next event of that name (after those already seen, if `fresh`), or rejects on timeout. */
  next(event: string, timeoutMs?: number): Promise<any>;
  /** Emits with an acknowledgement and resolves with it. */
  request(event: string, payload?: unknown, timeoutMs?: number): Promise<any>;
  close(): void;
}

export async function createSession(
  baseUrl: string,
  body: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ token: string; expiresAt: string }> {
  const res = await fetch(`${baseUrl}/api/chat/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`session: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; expiresAt: string };
}

export function connectChat(
  baseUrl: string,
  auth: Record<string, unknown>,
  options: { origin?: string; transports?: string[] } = {},
): Promise<ChatClient> {
  const socket = io(`${baseUrl}/chat`, {
    auth,
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: options.origin ? { origin: options.origin } : undefined,
    timeout: 5000,
  });
  const events: Array<{ event: string; payload: any }> = [];
  const waiters: Array<{ event: string; resolve: (v: any) => void; from: number }> = [];
  let cursor = new Map<string, number>();
  socket.onAny((event: string, payload: unknown) => {
    events.push({ event, payload });
    for (const w of [...waiters]) {
      if (w.event === event) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(payload);
      }
    }
  });
  const client: ChatClient = {
    socket,
    events,
    next(event, timeoutMs = 10_000) {
      const seen = cursor.get(event) ?? 0;
      const already = events.filter((e) => e.event === event);
      if (already.length > seen) {
        cursor.set(event, seen + 1);
        return Promise.resolve(already[seen].payload);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          event,
          from: seen,
          resolve: (v) => {
            clearTimeout(timer);
            cursor.set(event, seen + 1);
            resolve(v);
          },
        });
      });
    },
    request(event, payload, timeoutMs = 15_000) {
      return socket.timeout(timeoutMs).emitWithAck(event, payload);
    },
    close() {
      cursor = new Map();
      socket.disconnect();
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', (err: Error & { data?: unknown }) => {
      socket.disconnect();
      reject(err);
    });
  });
}
