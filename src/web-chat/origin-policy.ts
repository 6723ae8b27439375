/**
 * Which pages may open the web chat (the socket.io handshake and POST /api/chat/sessions from a browser).
 *
 * - `WEB_CHAT_ALLOWED_ORIGINS` empty (the default): same origin only — the page must come from this server (its
 *   Host, or PUBLIC_BASE_URL). The demo page at `/` works; other sites cannot embed the widget.
 * - A list of origins (`https://bank.example,https://www.chamber.example`): those sites, plus the same origin.
 * - `*`: any site (for public demos; the visitor token is still required).
 *
 * A request without an Origin header is not from a browser page (browsers always send one on WebSocket and
 * cross-origin requests); it is let through to the token check, which it must pass like anyone else.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
  publicBaseUrl?: string,
): boolean {
  if (origin === undefined || origin === '') return true;
  if (allowed.includes('*')) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (host && parsed.host.toLowerCase() === host.toLowerCase()) return true;
  const normalized = `${parsed.protocol}//${parsed.host}`.toLowerCase();
  if (publicBaseUrl) {
    try {
      const base = new URL(publicBaseUrl);
      if (`${base.protocol}//${base.host}`.toLowerCase() === normalized) return true;
    } catch {
      // PUBLIC_BASE_URL is validated at boot; nothing to do here.
    }
  }
  return allowed.some((a) => a.replace(/\/+$/, '').toLowerCase() === normalized);
}
