import { checkGrounding } from './grounding';

describe('checkGrounding', () => {
  const allowed = [
    'บริษัท สึบาเมะ ฟู้ด แมชชีนเนอรี่ จำกัด',
    'Tsubame Food Machinery Co., Ltd.',
    '燕フードマシナリー株式会社',
  ];

  it('accepts a reply naming only result companies, in any of their languages', () => {
    expect(checkGrounding({ text: 'ขอแนะนำ บริษัท สึบาเมะ ฟู้ด แมชชีนเนอรี่ จำกัด', allowed, known: [] }).ok).toBe(
      true,
    );
    expect(
      checkGrounding({ text: 'I suggest Tsubame Food Machinery Co., Ltd. first.', allowed, known: [] }).ok,
    ).toBe(true);
    expect(
      checkGrounding({
        text: '燕フードマシナリー株式会社がおすすめです。候補は3社です。',
        allowed,
        known: [],
      }).ok,
    ).toBe(true);
  });

  it('rejects an invented company in Thai, Japanese or English', () => {
    expect(
      checkGrounding({ text: 'ขอแนะนำ บริษัท โตโยต้า มอเตอร์ จำกัด ซึ่งเหมาะกับท่าน', allowed, known: [] }),
    ).toEqual({
      ok: false,
      unknown: ['บริษัท โตโยต้า มอเตอร์ จำกัด'],
    });
    expect(checkGrounding({ text: '山田製作所株式会社がよいでしょう。', allowed, known: [] }).ok).toBe(false);
    expect(checkGrounding({ text: 'Try Acme Widgets Co., Ltd. instead.', allowed, known: [] }).ok).toBe(
      false,
    );
  });

  it('rejects a real company that is not among the results', () => {
    expect(
      checkGrounding({
        text: 'Hakata Seasoning is also good.',
        allowed,
        known: ['Hakata Seasoning Co., Ltd.'],
      }).ok,
    ).toBe(false);
  });
});
