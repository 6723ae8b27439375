import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hasShared, sharedPath } from '../../../test/support/shared-data';
import { Lexicon } from '../lexicon/lexicon';
import { readSeedLexicon, unknownBusinessCodes } from '../lexicon/lexicon.service';
import { BusinessTaxonomy, readSeedTaxonomy } from './business-taxonomy';

const labels = (en: string) => ({ ja: en, th: en, en });

describe('business taxonomy', () => {
  const taxonomy = new BusinessTaxonomy([
    { code: 'C', labels: labels('Manufacturing'), divisions: '10-33' },
    { code: '29', labels: labels('Motor vehicles') },
    { code: '2930', labels: labels('Parts for motor vehicles') },
    { code: '29302', labels: labels('Electrical equipment for motor vehicles') },
    { code: '2910', labels: labels('Motor vehicles') },
  ]);

  it('finds a code’s parent as the longest listed code that starts it, and a division’s section', () => {
    expect(taxonomy.parent('29302')).toBe('2930');
    // 293 is not listed: the class hangs on the division.
    expect(taxonomy.parent('2930')).toBe('29');
    expect(taxonomy.parent('29')).toBe('C');
    expect(taxonomy.parent('C')).toBeUndefined();
    expect(taxonomy.lineage('29302')).toEqual(['29302', '2930', '29', 'C']);
  });

  it('tells whether a code lies within another', () => {
    expect(taxonomy.isWithin('29302', '29')).toBe(true);
    expect(taxonomy.isWithin('2910', '2930')).toBe(false);
    expect(taxonomy.isWithin('29', '29302')).toBe(false);
  });

  it('labels codes in each language, and changes version with its content', () => {
    expect(taxonomy.label('2930', 'en')).toBe('Parts for motor vehicles');
    expect(new BusinessTaxonomy([...taxonomy.codes].reverse()).version).toBe(taxonomy.version);
    expect(new BusinessTaxonomy(taxonomy.codes.slice(1)).version).not.toBe(taxonomy.version);
  });

  it('refuses a seed folder with duplicates, bad codes and divisions no section holds, listing each', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxonomy-'));
    fs.writeFileSync(
      path.join(dir, 'a.json'),
      JSON.stringify([
        { code: 'C', labels: labels('Manufacturing'), divisions: '10-33' },
        { code: '29', labels: labels('Motor vehicles') },
        { code: '29', labels: labels('Again') },
        { code: '2x', labels: labels('Bad') },
        { code: '45', labels: labels('Trade') },
      ]),
    );
    expect(() => readSeedTaxonomy(dir)).toThrow(
      /\[3\]\.code: must be[\s\S]*duplicate code 29[\s\S]*45: no section/,
    );
  });

  it('ships a valid taxonomy whose every code has a label in ja, th and en', () => {
    const seeds = readSeedTaxonomy();
    expect(seeds.size).toBeGreaterThan(1000);
    for (const c of seeds.codes) expect(c.labels.ja && c.labels.th && c.labels.en).toBeTruthy();
  });

  it('ships a lexicon whose every business code is in the taxonomy', () => {
    const seeds = readSeedTaxonomy();
    expect(unknownBusinessCodes(new Lexicon(readSeedLexicon(), seeds).concepts, seeds)).toEqual([]);
  });

  (hasShared('data', 'taxonomy', 'tsic-2009-th.csv') ? it : it.skip)(
    'holds exactly the codes of the official TSIC 2009 list (and its sections)',
    () => {
      const official = fs
        .readFileSync(sharedPath('data', 'taxonomy', 'tsic-2009-th.csv'), 'utf8')
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[0])
        .filter((code) => /^\d{2,5}$/.test(code));
      const seeds = readSeedTaxonomy();
      const ours = seeds.codes.map((c) => c.code).filter((c) => /^\d/.test(c));
      // Every official code is here ("300" in the file is the end of 2594's name broken onto a line of its own,
      // not a code), and every code here is official or a division the list leaves implicit (it names 170 and
      // 9900, not 17 and 99), never an invented one.
      expect(official.filter((c) => !seeds.has(c) && c !== '300')).toEqual([]);
      expect(ours.filter((c) => !official.includes(c) && !official.some((o) => o.startsWith(c)))).toEqual([]);
    },
  );
});
