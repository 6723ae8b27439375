import type { GlossaryTerm } from './glossary.model';
import { containsForm, findTerms, glossaryLines, normalizeForMatch } from './glossary-matcher';

const term = (id: string, t: Partial<GlossaryTerm>): GlossaryTerm => ({
  id,
  doNotTranslate: false,
  version: 1,
  createdAt: '',
  updatedAt: '',
  ...t,
});

const terms = [
  term('1', { ja: 'ブレーキ部品', th: 'ชิ้นส่วนเบรก', en: 'brake components' }),
  term('2', { ja: '部品', th: 'ชิ้นส่วน', en: 'parts' }),
  term('3', { en: 'INPEX', doNotTranslate: true }),
  term('4', { ja: '販売代理店', th: 'ตัวแทนจำหน่าย', en: 'distributor' }),
  term('5', { ja: '金型', en: 'mold' }),
];

describe('findTerms', () => {
  it('finds source-language forms, longest first, with their target forms', () => {
    const found = findTerms('ブレーキ部品の販売代理店を探しています', 'ja', 'th', terms);
    expect(found.map((f) => [f.source, f.target])).toEqual([
      ['ブレーキ部品', 'ชิ้นส่วนเบรก'],
      ['販売代理店', 'ตัวแทนจำหน่าย'],
    ]);
  });

  it('keeps a shorter term that also occurs on its own', () => {
    const found = findTerms('ブレーキ部品と電子部品', 'ja', 'en', terms);
    expect(found.map((f) => f.target)).toEqual(['brake components', 'parts']);
  });

  it('matches do-not-translate names in any script width, as whole words in Latin text', () => {
    expect(findTerms('ＩＮＰＥＸとの取引', 'ja', 'th', terms)).toEqual([
      { id: '3', source: 'INPEX', target: 'INPEX', doNotTranslate: true },
    ]);
    expect(findTerms('We sell molds and INPEXO', 'en', 'ja', terms)).toEqual([]);
  });

  it('skips terms with no form in the target language', () => {
    expect(findTerms('金型メーカー', 'ja', 'th', terms)).toEqual([]);
  });

  it('renders the prompt block', () => {
    expect(glossaryLines(findTerms('INPEX parts', 'en', 'ja', terms))).toBe(
      '- INPEX → INPEX (keep)\n- parts → 部品',
    );
    expect(glossaryLines([])).toMatch(/no glossary terms/);
  });
});

describe('containsForm', () => {
  it('is case- and width-insensitive', () => {
    expect(containsForm(normalizeForMatch('Brake Components Ltd'), 'brake components')).toBe(true);
    expect(containsForm(normalizeForMatch('บริษัทชิ้นส่วนเบรก'), 'ชิ้นส่วนเบรก')).toBe(true);
  });
});
