import { type FakeReply, type RecordedRequest, allMessageText } from './fake-openai-server';

/**
 * A stand-in "model" for the fake OpenAI server that answers translation prompts plausibly: in the target
 * language named in the prompt, keeping the numbers, one line per item for list prompts. Enough for the
 * post-checks to pass, so tests exercise the whole path without a real model.
 */
const WORD: Record<string, string> = {
  Thai: 'ข้อความแปลภาษาไทย',
  Japanese: '日本語の翻訳文',
  English: 'translated text',
};

export function fakeTranslation(req: RecordedRequest): FakeReply {
  const text = allMessageText(req);
  const target = /into (Thai|Japanese|English)/.exec(text)?.[1];
  if (!target) return { content: 'OK' };
  const items = /<data name="items">\n([\s\S]*?)\n<\/data>/.exec(text)?.[1];
  if (items !== undefined) {
    return {
      content: items
        .split('\n')
        .map((line, i) => `${WORD[target]} ${i + 1}${numbers(line)}`)
        .join('\n'),
    };
  }
  const source = /<data name="text">\n([\s\S]*?)\n<\/data>/.exec(text)?.[1] ?? '';
  return { content: `${WORD[target]}${numbers(source)}` };
}

function numbers(s: string): string {
  const found = s.normalize('NFKC').match(/\d+(?:[.,]\d+)*/g);
  return found ? ` ${found.join(' ')}` : '';
}
