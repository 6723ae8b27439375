import { Lexicon } from '../lexicon/lexicon';
import { readSeedLexicon } from '../lexicon/lexicon.service';
import { readSeedTaxonomy } from './business-taxonomy';
import { industryLabel, localizedIndustries } from './industry-labels';

const THAI = /[\u0e00-\u0e7f]/;
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('industry labels in the reader’s language', () => {
  const lexicon = new Lexicon(readSeedLexicon(), readSeedTaxonomy());

  it('names a classification code by the classification, whatever language the label was curated in', () => {
    const cutlery = { scheme: 'ISIC', code: '2593', label: { en: 'Manufacture of cutlery, hand tools' } };
    expect(industryLabel(cutlery, 'th', lexicon)).toMatch(THAI);
    expect(industryLabel(cutlery, 'en', lexicon)).toBe('Manufacture of cutlery, hand tools');
  });

  it('names a label in one language by the concepts it says', () => {
    const metal = { scheme: 'JPX33', label: { ja: '金属製品' } };
    expect(industryLabel(metal, 'ja', lexicon)).toBe('金属製品');
    expect(industryLabel(metal, 'th', lexicon)).toMatch(THAI);
    expect(industryLabel(metal, 'en', lexicon)).not.toMatch(JAPANESE);
    const [automotive] = localizedIndustries([{ scheme: 'SET', label: { en: 'Automotive' } }], lexicon);
    expect(automotive.label?.ja).toMatch(JAPANESE);
    expect(automotive.label?.th).toMatch(THAI);
  });

  it('shows the label as written when nothing knows it', () => {
    const unknown = { scheme: 'house', label: { en: 'Zqxv widgets' } };
    expect(industryLabel(unknown, 'ja', lexicon)).toBe('Zqxv widgets');
  });
});
