import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network a request came from, for limits that must hold across anonymous sessions: an IPv4 address, or the
 * /64 of an IPv6 one (one subscriber's or one office's block; a host can pick any address inside it). Behind a
 * reverse proxy the address is the client's only when TRUST_PROXY is set (Express reads X-Forwarded-For then).
 */
export function networkOf(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return undefined;
  return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
}

/**
 * A keyed hash of the request's network: what limits are counted under and what is stored with a session, so
 * no address (personal data) is kept, and the small IPv4 space cannot be enumerated back without the key.
 */
export function networkKey(secret: string, ip: string | undefined): string | undefined {
  const network = networkOf(ip);
  if (!network) return undefined;
  return createHmac('sha256', secret).update(`network|${network}`).digest('base64url').slice(0, 22);
}

/** The eight 16-bit groups of an IPv6 address, `::` expanded (an embedded IPv4 tail becomes two groups). */
function expandIPv6(ip: string): string[] {
  let address = ip.split('%')[0].toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    address = `${address.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => g.replace(/^0+(?=.)/, ''));
}
