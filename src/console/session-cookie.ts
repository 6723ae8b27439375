import type { Request } from 'express';

export const SESSION_COOKIE = 'kkh_session';

/** Reads one cookie from the Cookie header (no cookie-parser needed for a single value). */
export function readCookie(req: Pick<Request, 'headers'>, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface CookieOptions {
  maxAgeSeconds: number;
  secure: boolean;
}

/**
 * The session cookie: HttpOnly (scripts never see it), SameSite=Strict (never sent on cross-site requests, the
 * first CSRF defence; the per-session CSRF token is the second), Secure behind TLS, whole-site path because the
 * console calls the /api routes with it.
 */
export function sessionCookie(value: string, options: CookieOptions): string {
  return [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', { maxAgeSeconds: 0, secure });
}
