import { csvToProfiles, profilesToCsv, splitList } from './company-csv';
import { companyProfileSchema } from './company-profile.schema';
import { japaneseProfile, thaiProfile } from '../../test/fixtures/profiles';

describe('company CSV', () => {
  it('round-trips profiles exactly, including multi-language industry labels, lists and contacts', () => {
    const profiles = [
      thaiProfile('th:1', { offerings: { th: ['ผ้าเบรก | ชนิดพิเศษ', 'จานเบรก'] } }),
      japaneseProfile('jp:1'),
    ];
    const csv = profilesToCsv(profiles);
    const parsed = csvToProfiles(csv);
    expect(parsed.fileErrors).toEqual([]);
    expect(parsed.rows.map((r) => r.errors)).toEqual([[], []]);
    const back = parsed.rows.map((r) => companyProfileSchema.parse(r.value));
    expect(back).toEqual(profiles);
  });

  it('writes cells a spreadsheet would run as formulas as text, and reads them back unchanged', () => {
    const profiles = [
      thaiProfile('th:formula', {
        names: { en: '=HYPERLINK("https://phish.example","Click")', th: "+cmd|' /C calc'!A0" },
        summary: { en: "'=already quoted", th: '-2+3' },
        contact: { phone: '+66 2 123 4567', person: '@evil' },
      }),
    ];
    const csv = profilesToCsv(profiles);
    const cells = csvToProfiles(csv.replace(/'(?=[=+\-@])/g, 'QUOTE')).rows[0].value as Record<string, any>;
    // Every such cell starts with the apostrophe a spreadsheet shows as text, never with the formula sign.
    expect(cells.names.en).toMatch(/^QUOTE=HYPERLINK/);
    expect(cells.names.th).toMatch(/^QUOTE\+cmd/);
    expect(cells.summary.th).toBe('QUOTE-2+3');
    expect(cells.contact.phone).toBe('QUOTE+66 2 123 4567');
    const back = csvToProfiles(csv).rows.map((r) => companyProfileSchema.parse(r.value));
    expect(back).toEqual(profiles);
  });

  it('reads localized headers such as names.ja and list cells separated by |', () => {
    const csv =
      'externalId,country,names.ja,names.en,offerings.en,partnershipTypes,industries,employees\n' +
      'x:1,JP,山田製作所,Yamada Works,dies | moulds,oem | supplier,JPX33:3600,12\n';
    const { rows } = csvToProfiles(csv);
    expect(rows[0].value).toEqual({
      externalId: 'x:1',
      country: 'JP',
      names: { ja: '山田製作所', en: 'Yamada Works' },
      offerings: { en: ['dies', 'moulds'] },
      partnershipTypes: ['oem', 'supplier'],
      industries: [{ scheme: 'JPX33', code: '3600' }],
      employees: 12,
    });
  });

  it('reports unknown columns and missing required columns for the whole file', () => {
    const result = csvToProfiles('externalId,colour\nx,red\n');
    expect(result.fileErrors).toEqual([
      { path: 'colour', message: 'unknown column "colour"' },
      { path: 'country', message: 'missing required column "country"' },
    ]);
  });

  it('reports a non-numeric employees cell with its row number', () => {
    const { rows } = csvToProfiles('externalId,country,names.en,employees\na,TH,A,many\n');
    expect(rows[0].errors).toEqual([
      {
        path: 'employees',
        message: 'row 1: must be a whole number, got "many"',
        code: 'not_integer',
        params: { value: 'many' },
      },
    ]);
  });

  it('knows the line of the file each row starts on, past blank lines and line breaks inside cells', () => {
    const { rows } = csvToProfiles(
      'externalId,country,names.en,summary.en\na,TH,A,one\n\nb,TH,B,"two\nlines"\nc,TH,C,three\n',
    );
    expect(rows.map((r) => [r.row, r.line])).toEqual([
      [1, 2],
      [2, 4],
      [3, 6],
    ]);
  });

  it('splits lists on unescaped bars only', () => {
    expect(splitList('a | b\\|c |  ')).toEqual(['a', 'b|c']);
  });
});
