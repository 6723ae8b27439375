import {
  identitySignature,
  issueVisitorToken,
  verifyHostIdentity,
  verifyVisitorToken,
} from './visitor-token';

const SECRET = 'unit-secret-0123456789abcdef';

describe('visitor tokens', () => {
  it('round-trips and expires', () => {
    const { token } = issueVisitorToken(SECRET, { vid: 'w-1', lang: 'th' }, 60, 1_000_000);
    expect(verifyVisitorToken(SECRET, token, 1_000_000 + 59_000)).toMatchObject({
      ok: true,
      claims: { vid: 'w-1', lang: 'th' },
    });
    expect(verifyVisitorToken(SECRET, token, 1_000_000 + 61_000)).toEqual({
      ok: false,
      code: 'token-expired',
    });
  });

  it('rejects forged, tampered and malformed tokens', () => {
    const { token } = issueVisitorToken(SECRET, { vid: 'w-1' }, 60);
    expect(verifyVisitorToken('other-secret-0123456789abcdef', token)).toEqual({
      ok: false,
      code: 'token-invalid',
    });
    const [v, payload, sig] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ vid: 'w-admin', iat: 0, exp: 9e9 })).toString(
      'base64url',
    );
    expect(verifyVisitorToken(SECRET, `${v}.${forgedPayload}.${sig}`)).toEqual({
      ok: false,
      code: 'token-invalid',
    });
    expect(verifyVisitorToken(SECRET, `${v}.${payload}`)).toEqual({ ok: false, code: 'token-invalid' });
    expect(verifyVisitorToken(SECRET, undefined)).toEqual({ ok: false, code: 'token-missing' });
    expect(verifyVisitorToken(SECRET, 'x'.repeat(5000))).toEqual({ ok: false, code: 'token-invalid' });
  });
});

describe('host identities', () => {
  const identity = { company: 'seed:th-001', user: 'u1', expires: 2_000_000 };
  it('accepts a correct signature before expiry only', () => {
    const signed = { ...identity, signature: identitySignature(SECRET, identity) };
    expect(verifyHostIdentity(SECRET, signed, 1_000_000)).toEqual({
      ok: true,
      company: 'seed:th-001',
      user: 'u1',
    });
    expect(verifyHostIdentity(SECRET, signed, 2_000_001_000)).toMatchObject({ ok: false });
    expect(verifyHostIdentity(SECRET, { ...signed, company: 'seed:th-002' }, 1_000_000)).toMatchObject({
      ok: false,
    });
    expect(verifyHostIdentity(undefined, signed, 1_000_000)).toMatchObject({ ok: false });
  });
});
