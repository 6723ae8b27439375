import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Lang } from '../companies/company-profile.schema';

/**
 * Web chat visitor tokens and host-site identities. Pure functions (no Nest), so they are easy to test and to
 * reuse from scripts.
 *
 * A visitor token is `v1.<payload>.<signature>`: the payload is base64url JSON `{ vid, lang?, cid?, net?, iat, exp }`,
 * the signature base64url HMAC-SHA256 over `v1.<payload>` with WEB_CHAT_SECRET. It is checked in constant time
 * and expires; nothing is stored server-side, so any instance can check it.
 *
 * A host-site identity lets a partner site (a bank, a chamber of commerce) vouch that the visitor represents one
 * of the companies it knows: `{ company, user?, expires, signature }` where `signature` is the hex
 * HMAC-SHA256 of `${company}|${user ?? ''}|${expires}` with WEB_CHAT_IDENTITY_SECRET (expires: Unix seconds).
 */

export interface VisitorClaims {
  /** Visitor id: the web channel's user id and conversation id. */
  vid: string;
  lang?: Lang;
  /** externalId of a company the host site vouched for. */
  cid?: string;
  /** Keyed hash of the network the session was opened from (see client-network.ts): per-network limits. */
  net?: string;
  iat: number;
  exp: number;
}

export type TokenCheck =
  | { ok: true; claims: VisitorClaims }
  | { ok: false; code: 'token-missing' | 'token-invalid' | 'token-expired' };

const PREFIX = 'v1';
const MAX_TOKEN_LENGTH = 2048;

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function sign(secret: string, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

export function issueVisitorToken(
  secret: string,
  claims: Omit<VisitorClaims, 'iat' | 'exp'>,
  ttlSeconds: number,
  now = Date.now(),
): { token: string; claims: VisitorClaims } {
  const iat = Math.floor(now / 1000);
  const full: VisitorClaims = { ...claims, iat, exp: iat + ttlSeconds };
  const payload = b64url(JSON.stringify(full));
  const signature = b64url(sign(secret, `${PREFIX}.${payload}`));
  return { token: `${PREFIX}.${payload}.${signature}`, claims: full };
}

export function verifyVisitorToken(secret: string, token: unknown, now = Date.now()): TokenCheck {
  if (typeof token !== 'string' || token.length === 0) return { ok: false, code: 'token-missing' };
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, code: 'token-invalid' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return { ok: false, code: 'token-invalid' };
  const expected = sign(secret, `${parts[0]}.${parts[1]}`);
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, code: 'token-invalid' };
  let claims: VisitorClaims;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as VisitorClaims;
  } catch {
    return { ok: false, code: 'token-invalid' };
  }
  if (typeof claims.vid !== 'string' || typeof claims.exp !== 'number')
    return { ok: false, code: 'token-invalid' };
  if (claims.exp * 1000 <= now) return { ok: false, code: 'token-expired' };
  return { ok: true, claims };
}

export interface HostIdentity {
  company: string;
  user?: string;
  expires: number;
  signature: string;
}

export type IdentityCheck = { ok: true; company: string; user?: string } | { ok: false; reason: string };

export function identitySignature(secret: string, identity: Omit<HostIdentity, 'signature'>): string {
  return createHmac('sha256', secret)
    .update(`${identity.company}|${identity.user ?? ''}|${identity.expires}`)
    .digest('hex');
}

export function verifyHostIdentity(
  secret: string | undefined,
  identity: HostIdentity,
  now = Date.now(),
): IdentityCheck {
  if (!secret) return { ok: false, reason: 'this server does not accept host-site identities' };
  const expected = Buffer.from(identitySignature(secret, identity), 'hex');
  const given = /^[0-9a-f]{64}$/i.test(identity.signature)
    ? Buffer.from(identity.signature, 'hex')
    : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'the identity signature does not match' };
  if (identity.expires * 1000 <= now) return { ok: false, reason: 'the identity has expired' };
  return { ok: true, company: identity.company, user: identity.user };
}

/** A stable visitor id for a vouched-for user (same person, same thread), else a fresh random one. */
export function visitorIdFor(identity?: { company: string; user?: string }): string {
  if (identity?.user) {
    return `h-${createHash('sha256').update(`${identity.company}|${identity.user}`).digest('hex').slice(0, 32)}`;
  }
  return `w-${randomUUID()}`;
}
