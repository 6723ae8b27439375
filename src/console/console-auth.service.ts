import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Request } from 'express';
import type { Pool } from 'pg';
import { AuditRepository } from '../audit/audit.repository';
import { AuthService } from '../auth/auth.service';
import type { Principal } from '../auth/principal';
import { ProblemException } from '../common/problem';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PG_POOL } from '../database/database.tokens';
import type { UiLang } from './console.types';
import { burnVerifyTime, verifyPassword } from './password-hasher';
import { SESSION_COOKIE, clearedSessionCookie, readCookie, sessionCookie } from './session-cookie';
import { type LiveSession, StaffSessionRepository } from './staff-session.repository';
import { StaffRepository } from './staff.repository';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

export interface SessionView {
  staff: LiveSession['staff'];
  csrfToken: string;
  expiresAt: string;
}

/** What a controller sends back: a body and, when the session changed, the Set-Cookie header. */
export interface WithCookie<T> {
  body: T;
  setCookie: string;
}

/**
 * Console sign-in and sessions. A session is an opaque random cookie whose SHA-256 is stored; the account is
 * re-read on every request, so disabling an account or changing its role takes effect at once. Every
 * state-changing request made with the cookie must also carry the session's CSRF token and must not come from
 * another site.
 */
@Injectable()
export class ConsoleAuthService implements OnModuleInit {
  /** The session a request was authenticated with (set by authenticate, read by the session endpoints). */
  private readonly sessionOf = new WeakMap<Request, LiveSession>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly auth: AuthService,
    private readonly staff: StaffRepository,
    private readonly sessions: StaffSessionRepository,
    private readonly audit: AuditRepository,
  ) {}

  /** Lets the existing @Auth guard (profiles, glossary, matching…) accept a signed-in staff member too. */
  onModuleInit(): void {
    this.auth.registerAuthenticator((req) => this.authenticate(req));
  }

  async signIn(
    req: Request,
    credentials: { email: string; password: string },
  ): Promise<WithCookie<SessionView>> {
    this.rejectCrossSite(req);
    const email = credentials.email.trim().toLowerCase();
    const lockout = this.config.console.lockout;
    // Counted before the password is checked: of guesses sent together only `threshold` are ever checked.
    const attempt = await this.staff.claimSignInAttempt(email, lockout);
    if (attempt.refusedFor > 0) throw tooManyAttempts(attempt.refusedFor);

    const found = await this.staff.findCredentials(email);
    const ok =
      found && !found.account.disabled
        ? await verifyPassword(found.passwordHash, credentials.password)
        : (await burnVerifyTime(credentials.password), false);
    if (!found || !ok) {
      if (attempt.lockedFor > 0) throw tooManyAttempts(attempt.lockedFor);
      throw new ProblemException(
        401,
        'sign-in-failed',
        'Sign-in failed',
        'The e-mail address or password is wrong, or the account is disabled.',
      );
    }
    await this.staff.clearFailures(email);
    await this.sessions.deleteExpired();

    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const ttlSeconds = this.config.console.sessionTtlHours * 3600;
    const created = await this.sessions.create({
      staffId: found.account.id,
      tokenHash: sha256(token),
      csrfToken,
      ttlSeconds,
      userAgent: req.headers['user-agent'],
      ip: req.ip,
    });
    await this.staff.markSignedIn(found.account.id);
    const a = found.account;
    return {
      body: {
        staff: { id: a.id, email: a.email, displayName: a.displayName, role: a.role, uiLang: a.uiLang },
        csrfToken,
        expiresAt: created.expiresAt,
      },
      setCookie: sessionCookie(token, { maxAgeSeconds: ttlSeconds, secure: this.secureCookies(req) }),
    };
  }

  /** The signed-in staff member's session (the console reads its CSRF token and UI language here). */
  current(req: Request): SessionView {
    const s = this.requireSession(req);
    return { staff: s.staff, csrfToken: s.csrfToken, expiresAt: s.expiresAt };
  }

  /** The session behind this request's cookie, or none: never a 401 (the console asks this at start). */
  async status(req: Request): Promise<SessionView | { staff: null }> {
    return (await this.authenticate(req)) ? this.current(req) : { staff: null };
  }

  async signOut(req: Request): Promise<WithCookie<{ signedOut: number }>> {
    const s = this.requireSession(req);
    await this.sessions.delete(s.sessionId);
    return { body: { signedOut: 1 }, setCookie: clearedSessionCookie(this.secureCookies(req)) };
  }

  /** Ends every session of this account (a lost laptop, a shared computer left signed in). */
  async signOutEverywhere(req: Request): Promise<WithCookie<{ signedOut: number }>> {
    const s = this.requireSession(req);
    const n = await this.sessions.deleteAllFor(s.staff.id);
    await this.audit.record(this.pool, [
      {
        entityType: 'staff',
        entityId: s.staff.id,
        action: 'sign-out-everywhere',
        actor: `session:${s.staff.email}`,
        changedFields: ['sessions'],
      },
    ]);
    return { body: { signedOut: n }, setCookie: clearedSessionCookie(this.secureCookies(req)) };
  }

  async setUiLang(req: Request, uiLang: UiLang): Promise<SessionView> {
    const s = this.requireSession(req);
    await this.staff.update(this.pool, s.staff.id, { uiLang });
    return { staff: { ...s.staff, uiLang }, csrfToken: s.csrfToken, expiresAt: s.expiresAt };
  }

  /**
   * The authenticator registered with AuthService: a valid session cookie → the staff principal. An unsafe
   * method additionally needs the CSRF token and a same-site origin, else 403 (not a silent 401, so the
   * console can tell the user what happened).
   */
  async authenticate(req: Request): Promise<Principal | undefined> {
    const token = readCookie(req, SESSION_COOKIE);
    if (!token) return undefined;
    const session = await this.sessions.findLive(sha256(token), this.config.console.sessionIdleMinutes * 60);
    if (!session) return undefined;
    if (!SAFE_METHODS.has(req.method)) {
      this.rejectCrossSite(req);
      if (!sameSecret(req.header(CSRF_HEADER), session.csrfToken)) {
        throw new ProblemException(
          403,
          'csrf',
          'CSRF token missing or wrong',
          `Changes made with a console session must send the session's CSRF token in the ${CSRF_HEADER} header.`,
        );
      }
    }
    if (session.stale) await this.sessions.touch(session.sessionId);
    this.sessionOf.set(req, session);
    return { kind: 'session', id: session.staff.id, name: session.staff.email, role: session.staff.role };
  }

  /** For server-rendered console pages: is there a live session behind this request's cookie? */
  async hasSession(req: Request): Promise<boolean> {
    const token = readCookie(req, SESSION_COOKIE);
    if (!token) return false;
    return (
      (await this.sessions.findLive(sha256(token), this.config.console.sessionIdleMinutes * 60)) !== undefined
    );
  }

  private requireSession(req: Request): LiveSession {
    const s = this.sessionOf.get(req);
    if (!s) {
      throw new ProblemException(
        401,
        'unauthenticated',
        'Console session required',
        'This endpoint belongs to the console: sign in at /console (API tokens cannot use it).',
      );
    }
    return s;
  }

  /** Browsers send Sec-Fetch-Site and Origin on cross-site requests; either one naming another site is refused. */
  private rejectCrossSite(req: Request): void {
    const site = req.header('sec-fetch-site');
    const origin = req.header('origin');
    const allowed = new Set([`${req.protocol}://${req.get('host') ?? ''}`]);
    if (this.config.http.publicBaseUrl) allowed.add(new URL(this.config.http.publicBaseUrl).origin);
    if (site === 'cross-site' || (origin !== undefined && origin !== 'null' && !allowed.has(origin))) {
      throw new ProblemException(403, 'cross-site', 'Cross-site request refused', 'Use the console itself.');
    }
  }

  private secureCookies(req: Request): boolean {
    const mode = this.config.console.cookieSecure;
    if (mode !== 'auto') return mode === 'always';
    return req.secure || (this.config.http.publicBaseUrl?.startsWith('https://') ?? false);
  }
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function tooManyAttempts(seconds: number): ProblemException {
  return new ProblemException(
    429,
    'sign-in-locked',
    'Too many failed sign-ins',
    `Sign-in for this address is paused for ${seconds} s after repeated wrong passwords.`,
    { retryAfterSeconds: seconds },
  );
}
