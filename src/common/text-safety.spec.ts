import { isStorableText, storableText, unstorableTextAt, withStorableText } from './text-safety';

describe('text PostgreSQL can store', () => {
  it('tells NUL characters and lone surrogates from ordinary Thai, Japanese and emoji text', () => {
    expect(isStorableText('ผลิตชิ้นส่วน 自動車部品 🚗')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('a\uD800b')).toBe(false);
    expect(isStorableText('a\uDC00')).toBe(false);
  });

  it('keeps what it can of a chat message', () => {
    expect(storableText('hi\u0000 there\uD800!')).toBe('hi there\uFFFD!');
    expect(storableText('🚗')).toBe('🚗');
  });

  it('finds where in a body the bad text is, and cleans a whole body', () => {
    expect(unstorableTextAt({ names: { en: 'ok', th: 'x\u0000' } })).toBe('names.th');
    expect(unstorableTextAt([{ a: 'ok' }, { b: ['\uD800'] }])).toBe('1.b.0');
    expect(unstorableTextAt({ ok: ['fine', 1, null] })).toBeUndefined();
    expect(withStorableText({ events: [{ text: 'a\u0000' }] })).toEqual({ events: [{ text: 'a' }] });
    // A body nested 200,000 levels deep is walked without overflowing the stack.
    const deep = JSON.parse(`${'['.repeat(200000)}"x\\u0000"${']'.repeat(200000)}`) as unknown;
    expect(unstorableTextAt(deep)).toMatch(/^0(\.0)+$/);
  });
});
