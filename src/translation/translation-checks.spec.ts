import type { AppliedTerm } from '../glossary/glossary-matcher';
import { checkTranslation, correctionsFor } from './translation-checks';

const kinds = (source: string, output: string, to: 'ja' | 'th' | 'en', applied: AppliedTerm[] = []) =>
  checkTranslation(source, output, to, applied).map((v) => `${v.kind}:${v.expected}`);

describe('checkTranslation', () => {
  it('passes a faithful translation', () => {
    expect(
      kinds(
        '2024年4月1日までに1億2000万円の見積もりを info@acme.co.jp へ送ってください。詳細は https://acme.co.jp/rfq 参照。',
        'Please send the quotation of 120 million yen to info@acme.co.jp by April 1, 2024. Details: https://acme.co.jp/rfq',
        'en',
      ),
    ).toEqual([]);
  });

  it('glossary: every source term must appear in its target form', () => {
    const applied: AppliedTerm[] = [
      { id: '1', source: '販売代理店', target: 'ตัวแทนจำหน่าย', doNotTranslate: false },
      { id: '2', source: 'INPEX', target: 'INPEX', doNotTranslate: true },
    ];
    expect(kinds('INPEXの販売代理店', 'ผู้จัดจำหน่ายของ อินเพ็กซ์', 'th', applied)).toEqual([
      'glossary:ตัวแทนจำหน่าย',
      'glossary:INPEX',
    ]);
    expect(kinds('INPEXの販売代理店', 'ตัวแทนจำหน่ายของ INPEX', 'th', applied)).toEqual([]);
  });

  it('numbers: a changed or missing value is caught; the same value in another form is not', () => {
    expect(kinds('単価は1,500円です', 'ราคาต่อหน่วย 1,600 เยน', 'th')).toEqual(['number:1,500']);
    expect(kinds('売上高は3億円', 'ยอดขาย 300 ล้านเยน', 'th')).toEqual([]);
    expect(kinds('従業員5人', 'five employees', 'en')).toEqual([]);
    expect(kinds('ก่อตั้งปี 2567', 'Founded in 2024', 'en')).toEqual([]);
    expect(kinds('๑๒๐ ชิ้น', '120 pieces', 'en')).toEqual([]);
  });

  it('dates: checked as dates across formats and eras', () => {
    expect(kinds('納期は2024年4月1日', 'กำหนดส่ง 1 เมษายน 2567', 'th')).toEqual([]);
    expect(kinds('納期は2024年4月1日', 'Delivery by 1 April 2024', 'en')).toEqual([]);
    expect(kinds('納期は2024年4月1日', 'Delivery by 2 April 2024', 'en')).toEqual(['date:2024年4月1日']);
    expect(kinds('Meeting on 15/03/2025', '2025年3月15日に会議', 'ja')).toEqual([]);
    expect(kinds('令和6年4月1日から', 'from April 1, 2024', 'en')).toEqual([]);
  });

  it('units: the unit must survive, in any language', () => {
    expect(kinds('最大積載量10トン、500kg', 'รับน้ำหนักสูงสุด 10 ตัน, 500 กิโลกรัม', 'th')).toEqual([]);
    expect(kinds('Price: ฿5,000', '価格：5,000バーツ', 'ja')).toEqual([]);
    expect(kinds('Price: 5,000 baht', '価格：5,000円', 'ja')).toEqual(['unit:THB']);
    expect(kinds('成長率15%', 'อัตราการเติบโต 15 เปอร์เซ็นต์', 'th')).toEqual([]);
  });

  it('e-mails and URLs must survive verbatim', () => {
    expect(kinds('連絡先: sales@siam.co.th', 'ติดต่อ: ฝ่ายขาย', 'th')).toEqual(['email:sales@siam.co.th']);
    expect(kinds('See www.siam.co.th/en.', 'ดูที่ www.siam.co.th', 'th')).toEqual(['url:www.siam.co.th/en']);
  });

  it('language: the output must be in the target language; kept names do not count', () => {
    expect(
      kinds('タイの販売代理店を探しています', 'We are looking for a distributor in Thailand', 'th'),
    ).toEqual(['language:th']);
    const kept: AppliedTerm[] = [
      { id: 'x', source: 'Toyota Tsusho', target: 'Toyota Tsusho', doNotTranslate: true },
    ];
    expect(kinds('Toyota Tsushoと提携', 'ร่วมมือกับ Toyota Tsusho', 'th', kept)).toEqual([]);
    expect(kinds('こんにちは', '', 'th')).toEqual(['empty:']);
  });

  it('names the problems for the retry prompt', () => {
    const v = checkTranslation('単価は1,500円', '1,600', 'th', []);
    expect(correctionsFor(v)).toMatch(/the number 1,500 is missing or changed/);
    expect(correctionsFor([])).toBe('(none)');
  });
});
