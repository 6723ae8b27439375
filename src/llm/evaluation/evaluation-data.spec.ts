import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  EvaluationDataError,
  REPLY_REQUESTS,
  deterministicSample,
  loadTalpco,
  loadUnderstandingCases,
} from './evaluation-data';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-data-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('loadTalpco', () => {
  it('pairs sentences by ID and removes the spaces between Japanese phrases', () => {
    fs.writeFileSync(path.join(dir, 'talpco-ja.txt'), '1176\t田中さんは 学生では ありません。\n9\tだけ\n');
    fs.writeFileSync(path.join(dir, 'talpco-th.txt'), '1176\tคุณทานากะไม่ใช่นักเรียนครับ\n');
    expect(loadTalpco(dir)).toEqual([
      { id: '1176', ja: '田中さんは学生ではありません。', th: 'คุณทานากะไม่ใช่นักเรียนครับ' },
    ]);
  });

  it('says which file is missing', () => {
    expect(() => loadTalpco(path.join(dir, 'nowhere'))).toThrow(EvaluationDataError);
  });
});

describe('deterministicSample', () => {
  const items = Array.from({ length: 200 }, (_, i) => String(i));
  it('takes the same items every time, in their order, and all of them without n', () => {
    const a = deterministicSample(items, 20, (x) => x);
    expect(a).toHaveLength(20);
    expect(deterministicSample(items, 20, (x) => x)).toEqual(a);
    expect([...a].sort((x, y) => Number(x) - Number(y))).toEqual(a);
    expect(deterministicSample(items, undefined, (x) => x)).toEqual(items);
    expect(deterministicSample(items, 500, (x) => x)).toEqual(items);
  });
});

describe('loadUnderstandingCases', () => {
  it('derives the target country and whether it is named, with the hand-labelled facets', () => {
    const file = path.join(dir, 'eval.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        name: 'x',
        queries: [
          { id: 'sme-ja-hotel-phuket', lang: 'ja', seekerCountry: 'JP', text: 'プーケットのホテル' },
          {
            id: 'sme-ja-cosmetics-oem',
            lang: 'ja',
            seekerCountry: 'JP',
            text: '化粧品のOEM生産を委託できるタイの会社',
          },
          { id: 'dev-th-retail', lang: 'th', seekerCountry: 'TH', text: 'ร้านค้าปลีกญี่ปุ่นที่อยากขยายมาไทย' },
        ],
      }),
    );
    const [hotel, oem, retail] = loadUnderstandingCases([file]);
    expect(hotel).toMatchObject({
      targetCountry: 'TH',
      namesCountry: false,
      province: 'Phuket',
      partnership: null,
    });
    expect(oem).toMatchObject({
      targetCountry: 'TH',
      namesCountry: true,
      province: undefined,
      partnership: 'oem',
    });
    expect(retail).toMatchObject({ targetCountry: 'JP', namesCountry: true, partnership: undefined });
    expect(() => loadUnderstandingCases([path.join(dir, 'none.json')])).toThrow(/does not exist/);
  });

  it('has reply requests in all three languages', () => {
    expect(new Set(REPLY_REQUESTS.map((r) => r.lang))).toEqual(new Set(['ja', 'th', 'en']));
  });
});
