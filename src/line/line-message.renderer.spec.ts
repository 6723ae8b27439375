import type { BotReply, ReplyCard } from '../conversation/conversation.types';
import { fitGraphemes, fitUtf16, LINE_LIMITS, packTexts, renderBotReply } from './line-message.renderer';

const card = (i: number, over: Partial<ReplyCard> = {}): ReplyCard => ({
  externalId: `th-${i}`,
  title: `サイアム部品 ${i} 社`,
  subtitle: '自動車部品 · チョンブリ県',
  text: 'ブレーキ部品を製造し、日本の技術パートナーを探しています。',
  country: 'TH',
  buttons: [
    { label: '詳細', postback: `action=details&id=th-${i}`, displayText: `詳細: サイアム部品 ${i} 社` },
    { label: '紹介を依頼', postback: `action=intro&id=th-${i}` },
  ],
  ...over,
});

const graphemeCount = (s: string) =>
  [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].length;

describe('renderBotReply', () => {
  it('texts first, then the cards as one Flex carousel with a plain-text altText; quick replies on the last message', () => {
    const reply: BotReply = {
      lang: 'ja',
      texts: ['タイの候補企業を2社見つけました。'],
      cards: [card(1), card(2)],
      quickReplies: [{ label: 'OEMのみ', postback: 'action=refine&partnership=oem' }],
    };
    const messages = renderBotReply(reply) as any[];
    expect(messages.map((m) => m.type)).toEqual(['text', 'flex']);
    const flex = messages[1];
    expect(flex.contents.type).toBe('carousel');
    expect(flex.contents.contents).toHaveLength(2);
    expect(flex.altText).toContain('1. サイアム部品 1 社 (自動車部品 · チョンブリ県, タイ)');
    const bubble = flex.contents.contents[0];
    const texts = bubble.body.contents.filter((c: any) => c.type === 'text').map((c: any) => c.text);
    expect(texts).toEqual([
      'サイアム部品 1 社',
      '自動車部品 · チョンブリ県',
      'タイ',
      'ブレーキ部品を製造し、日本の技術パートナーを探しています。',
    ]);
    expect(bubble.footer.contents.map((b: any) => b.action)).toEqual([
      {
        type: 'postback',
        label: '詳細',
        data: 'action=details&id=th-1',
        displayText: '詳細: サイアム部品 1 社',
      },
      { type: 'postback', label: '紹介を依頼', data: 'action=intro&id=th-1', displayText: '紹介を依頼' },
    ]);
    expect(messages[0].quickReply).toBeUndefined();
    expect(messages[1].quickReply.items).toEqual([
      {
        type: 'action',
        action: {
          type: 'postback',
          label: 'OEMのみ',
          data: 'action=refine&partnership=oem',
          displayText: 'OEMのみ',
        },
      },
    ]);
  });

  it('cards without buttons get localized Details and Request-introduction postbacks', () => {
    const [flex] = renderBotReply({ lang: 'th', texts: [], cards: [card(1, { buttons: [] })] }) as any[];
    const actions = flex.contents.contents[0].footer.contents.map((b: any) => b.action);
    expect(actions.map((a: any) => [a.label, a.data])).toEqual([
      ['รายละเอียด', 'action=details&id=th-1'],
      ['ขอการแนะนำ', 'action=intro&id=th-1'],
    ]);
  });

  it("keeps to LINE's limits: 5 messages, 12 bubbles, 13 quick replies, 20-character labels, 300-character data", () => {
    const reply: BotReply = {
      lang: 'en',
      texts: Array.from({ length: 9 }, (_, i) => `Paragraph ${i}`),
      cards: Array.from({ length: 20 }, (_, i) => card(i)),
      quickReplies: [
        ...Array.from({ length: 20 }, (_, i) => ({
          label: `Option number ${i} with a long label`,
          postback: `a=${i}`,
        })),
      ],
    };
    const messages = renderBotReply(reply) as any[];
    expect(messages).toHaveLength(LINE_LIMITS.messagesPerRequest);
    expect(messages.slice(0, 4).map((m) => m.type)).toEqual(['text', 'text', 'text', 'text']);
    // Nothing is lost: surplus paragraphs are joined into the last text bubbles.
    expect(
      messages
        .slice(0, 4)
        .map((m) => m.text)
        .join('\n\n'),
    ).toBe(reply.texts.join('\n\n'));
    expect(messages[4].contents.contents).toHaveLength(12);
    const items = messages[4].quickReply.items;
    expect(items).toHaveLength(13);
    for (const item of items) expect(graphemeCount(item.action.label)).toBeLessThanOrEqual(20);
    expect(items[0].action.label).toBe('Option number 0 wit…');

    const tooLong = renderBotReply({
      lang: 'en',
      texts: ['x'],
      quickReplies: [
        { label: 'ok', postback: 'a'.repeat(301) },
        { label: 'fine', postback: 'b' },
      ],
    }) as any[];
    expect(tooLong[0].quickReply.items.map((i: any) => i.action.label)).toEqual(['fine']);
  });

  it('counts Thai labels in grapheme clusters and never splits a cluster', () => {
    const thai = 'ขอการแนะนำบริษัทผู้ผลิตชิ้นส่วนยานยนต์'; // consonants with combining vowels and tones
    const label = fitGraphemes(thai, 20);
    expect(graphemeCount(label)).toBe(20);
    expect(label.endsWith('…')).toBe(true);
    expect(thai.startsWith(label.slice(0, -1))).toBe(true);
    expect(fitGraphemes('詳細', 20)).toBe('詳細');
  });

  it('splits a text over 5,000 UTF-16 units at a line end, and never splits a surrogate pair', () => {
    const long = `${'あ'.repeat(3000)}\n${'い'.repeat(3000)}`;
    const messages = renderBotReply({ lang: 'ja', texts: [long] }) as any[];
    expect(messages.map((m) => m.text.length)).toEqual([3000, 3000]);
    const emoji = '😄'.repeat(3000); // 6,000 UTF-16 units
    for (const m of renderBotReply({ lang: 'ja', texts: [emoji] }) as any[]) {
      expect(m.text.length).toBeLessThanOrEqual(LINE_LIMITS.text);
      expect(m.text).not.toMatch(/[\ud800-\udbff]$/);
    }
    expect(fitUtf16('😄😄😄', 4)).toBe('😄…');
  });

  it('altText stays within 1,500 characters; an empty reply renders to nothing; quick replies alone ride on a prompt', () => {
    const [flex] = renderBotReply({
      lang: 'en',
      texts: [],
      cards: Array.from({ length: 12 }, (_, i) =>
        card(i, { title: 'N'.repeat(300), subtitle: 'S'.repeat(300) }),
      ),
    }) as any[];
    expect(flex.altText.length).toBeLessThanOrEqual(LINE_LIMITS.altText);
    expect(renderBotReply({ lang: 'en', texts: [] })).toEqual([]);
    const [prompt] = renderBotReply({
      lang: 'th',
      texts: [' '],
      quickReplies: [{ label: 'ไทย', postback: 'x' }],
    }) as any[];
    expect(prompt.text).toBe('กรุณาเลือกค่ะ');
    expect(prompt.quickReply.items).toHaveLength(1);
  });

  it('url buttons become uri actions only for schemes LINE opens; label-only buttons send their text', () => {
    const messages = renderBotReply({
      lang: 'en',
      texts: ['x'],
      quickReplies: [
        { label: 'Site', url: 'https://example.com' },
        { label: 'Bad', url: 'javascript:alert(1)' },
        { label: 'Help', displayText: 'help' },
      ],
    }) as any[];
    expect(messages[0].quickReply.items.map((i: any) => i.action)).toEqual([
      { type: 'uri', label: 'Site', uri: 'https://example.com' },
      { type: 'message', label: 'Help', text: 'help' },
    ]);
  });
});

describe('packTexts', () => {
  it('joins neighbours only when there are more pieces than slots', () => {
    expect(packTexts(['a', 'b'], 5)).toEqual(['a', 'b']);
    expect(packTexts(['a', 'b', 'c'], 2)).toEqual(['a\n\nb', 'c']);
    expect(packTexts(['', '  '], 5)).toEqual([]);
  });
});
