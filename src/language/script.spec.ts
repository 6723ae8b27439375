import { scriptOf, splitScriptRuns } from './script';

describe('scriptOf', () => {
  it.each([
    ['a', 'en'],
    ['é', 'en'],
    ['Ｂ', 'en'],
    ['あ', 'ja'],
    ['ア', 'ja'],
    ['ｱ', 'ja'],
    ['ー', 'ja'],
    ['々', 'ja'],
    ['漢', 'ja'],
    ['𠮷', 'ja'],
    ['ก', 'th'],
    ['๕', 'th'],
    ['\u0E48', null], // Thai tone mark: belongs to its base letter
    ['1', null],
    ['、', null],
    ['😀', null],
  ] as const)('%s → %s', (ch, script) => {
    expect(scriptOf(ch.codePointAt(0) ?? 0)).toBe(script);
  });
});

describe('splitScriptRuns', () => {
  it('keeps digits, spaces and marks with the run they sit in', () => {
    expect(splitScriptRuns('3号機 iso9001 ที่ 2')).toEqual([
      { script: 'ja', text: '3号機 ' },
      { script: 'en', text: 'iso9001 ' },
      { script: 'th', text: 'ที่ 2' },
    ]);
  });

  it('breaks on whitespace and punctuation when asked, keeping digits', () => {
    expect(splitScriptRuns('ab, 12cd の部品。', true)).toEqual([
      { script: 'en', text: 'ab' },
      { script: 'en', text: '12cd' },
      { script: 'ja', text: 'の部品' },
    ]);
  });

  it('returns one script-less run for digits only, and nothing for empty text', () => {
    expect(splitScriptRuns('2024')).toEqual([{ script: null, text: '2024' }]);
    expect(splitScriptRuns('')).toEqual([]);
  });
});
