import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks `X-Line-Signature`: base64 of HMAC-SHA256 over the raw request bytes, keyed with the channel secret.
 * The bytes must be exactly the ones LINE sent (re-serialised JSON does not verify), and the comparison is
 * constant-time so the check leaks nothing about the expected value. The header is compared as text, so a
 * signature with extra characters that base64 decoding would silently skip is rejected too.
 */
export function verifyLineSignature(
  rawBody: Buffer,
  channelSecret: string,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const expected = Buffer.from(lineSignature(rawBody, channelSecret), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The signature LINE would send for these bytes (tests and the webhook benchmark sign with it). */
export function lineSignature(rawBody: Buffer | string, channelSecret: string): string {
  return createHmac('sha256', channelSecret).update(rawBody).digest('base64');
}
