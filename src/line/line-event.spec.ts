import {
  canonicalJson,
  chatTarget,
  conversationKey,
  eventKey,
  mentionsBot,
  parseWebhookBody,
  textWithoutBotMention,
} from './line-event';

const BOT = 'Ubot';

describe('eventKey', () => {
  it("is LINE's webhookEventId when there is one", () => {
    expect(eventKey({ type: 'message', webhookEventId: '01G2KZKG2DS765NMRH3GZFD8AP' })).toBe(
      '01G2KZKG2DS765NMRH3GZFD8AP',
    );
  });

  it('otherwise hashes the content: stable across key order and redelivery flags, different for other content', () => {
    const a = { type: 'message', timestamp: 1, source: { type: 'user', userId: 'U1' }, message: { id: '1' } };
    const reordered = {
      message: { id: '1' },
      source: { userId: 'U1', type: 'user' },
      timestamp: 1,
      type: 'message',
    };
    const redelivered = { ...a, deliveryContext: { isRedelivery: true } };
    expect(eventKey(a)).toMatch(/^sha256:[\w-]{43}$/);
    expect(eventKey(reordered)).toBe(eventKey(a));
    expect(eventKey(redelivered)).toBe(eventKey(a));
    expect(eventKey({ ...a, message: { id: '2' } })).not.toBe(eventKey(a));
  });

  it('canonical JSON sorts keys at every level and keeps arrays in order', () => {
    expect(canonicalJson({ b: [2, { y: 1, x: 2 }], a: 'é' })).toBe('{"a":"é","b":[2,{"x":2,"y":1}]}');
  });
});

describe('conversation keys and chat targets', () => {
  it('a group or room wins over the user in it; sources without ids have no target', () => {
    expect(conversationKey({ type: 'user', userId: 'U1' })).toBe('user:U1');
    expect(conversationKey({ type: 'group', groupId: 'C1', userId: 'U1' })).toBe('group:C1');
    expect(conversationKey({ type: 'room', roomId: 'R1', userId: 'U1' })).toBe('room:R1');
    expect(conversationKey({ type: 'unknownunknownuknown' })).toBe('none');
    expect(conversationKey(undefined)).toBe('none');
    expect(chatTarget({ type: 'group', groupId: 'C1' })).toEqual({ kind: 'group', id: 'C1' });
  });
});

describe('mentions', () => {
  const message = {
    type: 'text',
    text: '@Kakehashi タイの部品メーカー @Cony',
    mention: {
      mentionees: [
        { index: 0, length: 10, type: 'user', userId: BOT },
        { index: 21, length: 5, type: 'user', userId: 'Ucony' },
      ],
    },
  };

  it("recognises the bot by its user id (the webhook's destination) or isSelf", () => {
    expect(mentionsBot(message, BOT)).toBe(true);
    expect(mentionsBot(message, 'Uother')).toBe(false);
    expect(mentionsBot({ mention: { mentionees: [{ type: 'user', isSelf: true }] } }, undefined)).toBe(true);
    expect(mentionsBot({ mention: { mentionees: [{ type: 'all' }] } }, BOT)).toBe(false);
    expect(mentionsBot({ text: 'hi' }, BOT)).toBe(false);
  });

  it("removes only the bot's own mention from the text", () => {
    expect(textWithoutBotMention(message, BOT)).toBe('タイの部品メーカー @Cony');
  });
});

describe('parseWebhookBody', () => {
  const parse = (text: string) => parseWebhookBody(Buffer.from(text, 'utf8'));

  it('accepts an events array, including the empty one of the console "Verify" button', () => {
    expect(parse('{"destination":"U1","events":[]}')).toEqual({ destination: 'U1', events: [] });
  });

  it('explains what is wrong otherwise', () => {
    expect(parse('{"events":[')).toEqual({ error: 'The request body is not valid JSON.' });
    expect(parse('[]')).toEqual({ error: 'The request body must be a JSON object.' });
    expect(parse('{"destination":"U1"}')).toEqual({ error: 'The request body has no "events" array.' });
    expect(parse('{"events":[1]}')).toEqual({ error: 'Every element of "events" must be an object.' });
    expect(parse('{"events":[],"destination":5}')).toEqual({ error: '"destination" must be a string.' });
    // 20,000 levels deep: refused, without overflowing the stack.
    const deep = `{"events":[{"type":"message","x":${'['.repeat(20000)}${']'.repeat(20000)}}]}`;
    expect(parse(deep)).toEqual({ error: 'Events nested deeper than 32 levels are not LINE events.' });
    expect(parse('{"events":[{"type":"message","message":{"type":"text","text":"hi"}}]}')).not.toHaveProperty(
      'error',
    );
  });
});
