import { lineSignature, verifyLineSignature } from './line-signature';

// LINE's own known-answer vector (line-bot-sdk-nodejs tests): these exact UTF-8 bytes, this secret, this signature.
const SECRET = 'test_channel_secret';
const BODY =
  '{"events":[{"message":{"id":"test_event_message_id","text":"this is test message.😄😅😢😞😄😅😢😞","type":"text"},"replyToken":"test_reply_token","source":{"groupId":"test_group_id","type":"group"},"timestamp":0,"mode":"active","type":"message"}],"destination":"Uaaaabbbbccccddddeeeeffff"}';
const SIGNATURE = 'GzU7H3qOXDzDD6cNcS/9otLzlLFxnYYriz62rNu5BDE=';

describe('verifyLineSignature', () => {
  it("accepts LINE's known-answer vector", () => {
    expect(lineSignature(Buffer.from(BODY, 'utf8'), SECRET)).toBe(SIGNATURE);
    expect(verifyLineSignature(Buffer.from(BODY, 'utf8'), SECRET, SIGNATURE)).toBe(true);
  });

  it('rejects the same object re-serialised (pretty-printed, \\u escapes)', () => {
    const pretty = JSON.stringify(JSON.parse(BODY), null, 2);
    const escaped = JSON.stringify(JSON.parse(BODY)).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    expect(escaped).not.toBe(BODY);
    for (const variant of [pretty, escaped])
      expect(verifyLineSignature(Buffer.from(variant, 'utf8'), SECRET, SIGNATURE)).toBe(false);
  });

  it('rejects a missing, wrong, truncated or padded signature, and the wrong secret', () => {
    const body = Buffer.from(BODY, 'utf8');
    expect(verifyLineSignature(body, SECRET, undefined)).toBe(false);
    expect(verifyLineSignature(body, SECRET, '')).toBe(false);
    expect(verifyLineSignature(body, SECRET, SIGNATURE.slice(0, -2))).toBe(false);
    // Base64 decoding would skip these extra characters; a text comparison does not.
    expect(verifyLineSignature(body, SECRET, `${SIGNATURE}!!`)).toBe(false);
    expect(verifyLineSignature(body, SECRET, SIGNATURE.toLowerCase())).toBe(false);
    expect(verifyLineSignature(body, 'another_secret', SIGNATURE)).toBe(false);
  });
});
