import { ReplyStreamGate, chatReplyJudge, inventsContacts } from './reply-check';

describe('chatReplyJudge', () => {
  const instructions =
    'You are Kakehashi, a precise and friendly assistant that helps Japanese and Thai companies.';

  it('accepts a reply in the reader language as it streams and when complete', () => {
    const judge = chatReplyJudge('th', ['Tanaka Seiki Co., Ltd.']);
    const reply = 'พบบริษัทญี่ปุ่นที่ตรงกับความต้องการ โดยเฉพาะ Tanaka Seiki Co., Ltd. ซึ่งเชี่ยวชาญด้านเครื่องจักร';
    for (let i = 1; i <= reply.length; i += 7)
      expect(judge(reply.slice(0, i), false, instructions)).toBeUndefined();
    expect(judge(reply, true, instructions)).toBeUndefined();
  });

  it('rejects garbage, a reply in another language, and one reciting its instructions', () => {
    expect(chatReplyJudge('ja', [])('<|im_end|>}}{{ ]]', true, instructions)).toBe('prompt-leak');
    expect(chatReplyJudge('ja', [])('   ', true, instructions)).toBe('empty');
    expect(chatReplyJudge('ja', [])('We found several Thai companies for you.', true, instructions)).toBe(
      'wrong-language',
    );
    expect(
      chatReplyJudge('en', [])(
        'Sure. You are Kakehashi, a precise and friendly assistant that helps Japanese and Thai companies.',
        true,
        instructions,
      ),
    ).toBe('prompt-leak');
    expect(chatReplyJudge('en', [])('x'.repeat(100), true, instructions)).toBe('repetition');
    expect(chatReplyJudge('en', [])('We found it. '.repeat(1) + 'a b '.repeat(400), true, '')).toBe(
      'too-long',
    );
  });
});

describe('ReplyStreamGate', () => {
  function run(pieces: string[], mayShow?: (t: string) => boolean) {
    const shown: string[] = [];
    const gate = new ReplyStreamGate((d) => shown.push(d), mayShow);
    let text = '';
    for (const p of pieces) {
      text += p;
      if (!gate.offer(text)) return { shown, refused: true, gate };
    }
    return { shown, refused: false, gate, text };
  }

  it('shows nothing until a first stretch has been judged with text after it', () => {
    const { shown, gate } = run(['ご依頼に合う', 'タイの企業を見つけました。']);
    expect(shown).toEqual([]);
    expect(gate.started).toBe(false);
  });

  it('always holds the last characters back, and sends the rest (trimmed) at the end', () => {
    const reply =
      '  ご依頼に合うタイの企業を見つけました。特に田中精機は自動車部品の受託生産に強みがあります。カードから詳細をご覧ください。ほかの候補も条件を変えてお探しできます。\n';
    const pieces = reply.match(/[\s\S]{1,5}/g)!;
    const shown: string[] = [];
    const gate = new ReplyStreamGate((d) => shown.push(d));
    let text = '';
    for (const p of pieces) {
      text += p;
      gate.offer(text);
      // Everything shown so far was followed by at least 24 received characters.
      const seen = shown.join('').length;
      if (seen > 0) expect(text.length - 2 - seen).toBeGreaterThanOrEqual(24);
    }
    expect(shown.length).toBeGreaterThan(1);
    gate.finish(text);
    expect(shown.join('')).toBe(reply.trim());
  });

  it('a chat-template token split across deltas is never shown', () => {
    const good = 'พบบริษัทญี่ปุ่นที่ตรงกับความต้องการของท่านหลายแห่ง ';
    const { shown } = run([good, '<|im', '_end|>', 'assistant']);
    expect(shown.join('')).not.toContain('<');
  });

  it('stops when the last look refuses the text', () => {
    const { shown, refused } = run(
      ['We found three Thai makers that fit. ', 'Call them at +66 2 123 4567 today, they are great.'],
      (t) => !inventsContacts(t, []),
    );
    expect(refused).toBe(true);
    expect(shown.join('')).not.toMatch(/\d{3}/);
  });

  it('without a channel that streams, it only waits for the end', () => {
    const gate = new ReplyStreamGate(undefined);
    expect(gate.offer('x'.repeat(200))).toBe(true);
    expect(gate.started).toBe(false);
  });
});
