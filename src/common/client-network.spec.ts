import { networkKey, networkOf } from './client-network';

describe('client network', () => {
  it('keeps an IPv4 address whole, including one mapped into IPv6', () => {
    expect(networkOf('203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('groups IPv6 addresses by their /64, however they are written', () => {
    const a = networkOf('2001:db8:1:2::1');
    expect(a).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(a);
    expect(networkOf('2001:db8:1:3::1')).not.toBe(a);
    expect(networkOf('::1')).toBe('0:0:0:0::/64');
    expect(networkOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('has no network for what is not an address', () => {
    expect(networkOf(undefined)).toBeUndefined();
    expect(networkOf('')).toBeUndefined();
    expect(networkOf('not-an-ip')).toBeUndefined();
  });

  it('keys a network without showing the address, differently under another secret', () => {
    const key = networkKey('secret-1', '203.0.113.7')!;
    expect(key).toMatch(/^[\w-]{22}$/);
    expect(key).not.toContain('203');
    expect(networkKey('secret-1', '::ffff:203.0.113.7')).toBe(key);
    expect(networkKey('secret-2', '203.0.113.7')).not.toBe(key);
    expect(networkKey('secret-1', '203.0.113.8')).not.toBe(key);
  });
});
