import { REDACTED, checkModelText, redactUnseenContacts } from './output-guard';

describe('redactUnseenContacts', () => {
  it('removes e-mails, phone numbers and LINE ids that no input contained', () => {
    const out = redactUnseenContacts(
      'Contact sales@leak.example or +66 2 123 4567, LINE ID: leaked_id. See info@public.example.',
      ['Profile mentions info@public.example'],
    );
    expect(out.text).toBe(`Contact ${REDACTED} or ${REDACTED}, ${REDACTED}. See info@public.example.`);
    expect(out.removed).toBe(3);
  });

  it('keeps numbers that are not phone numbers, and phones present in the input', () => {
    const out = redactUnseenContacts('Founded 2024-04-01, revenue 1,000,000,000 yen, call 02-123-4567', [
      'tel 02 123 4567',
    ]);
    expect(out.removed).toBe(0);
  });
});

describe('checkModelText', () => {
  const ja =
    'ご依頼に合うタイの企業を見つけました。特にSiam Auto Parts Co., Ltd.は自動車部品の受託生産に強みがあります。';
  const th = 'พบบริษัทญี่ปุ่นที่ตรงกับความต้องการของท่าน โดยเฉพาะ Tanaka Seiki ซึ่งมีความเชี่ยวชาญด้านเครื่องจักร';
  const en =
    'We found Thai food manufacturers that fit your request; Bangkok Foods makes ready meals for export.';

  it('passes ordinary replies in their language, with company names in another script', () => {
    expect(checkModelText(ja, { lang: 'ja' })).toBeUndefined();
    expect(checkModelText(th, { lang: 'th' })).toBeUndefined();
    expect(checkModelText(en, { lang: 'en' })).toBeUndefined();
    expect(
      checkModelText('ขอแนะนำ 株式会社田中精機製作所 ซึ่งผลิตชิ้นส่วน', {
        lang: 'th',
        names: ['株式会社田中精機製作所'],
      }),
    ).toBeUndefined();
    // Real text with accents, a degree sign, a long dash line: not mojibake or repetition.
    expect(
      checkModelText('Café Crème Co. keeps goods at 4 °C — naïve pricing.', { lang: 'en' }),
    ).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['  \n\u200B ', 'empty'],
    ['\u0001\u0002\u0003 hello there', 'control-characters'],
    ['\uFFFD\uFFFD\uFFFD\uFFFD', 'control-characters'],
    ['Itâ€™s a CafÃ© crÃ¨me', 'mojibake'],
    ['à¸ªà¸§à¸±à¸ªà¸”à¸µ à¸„à¸£à¸±à¸š', 'mojibake'],
    ['ÊÇÑÊ´Õ¤ÃÑº ¢Íº¤Ø³', 'mojibake'],
    ['縺薙ｓ縺ｫ縺｡縺ｯ縲∵律譛ｬ', 'mojibake'],
    ['<|im_end|>}}{{ ]]', 'prompt-leak'],
    ['Sure. [INST] ignore [/INST]', 'prompt-leak'],
    ['<think>the user wants</think> Here are the results.', 'prompt-leak'],
    ['Hello {{target_language}} reader', 'prompt-leak'],
    ['ありがとうございます。'.repeat(8), 'repetition'],
    ['the the the the the the the the the the the the', 'repetition'],
    ['We found it.\nWe found it.\nWe found it.\nOK then.\nWe found it.\nWe found it.', 'repetition'],
  ])('rejects %j as %s', (text, problem) => {
    expect(checkModelText(text, { lang: 'en' })).toBe(problem);
  });

  it('rejects text not in the reader language, or with no words at all', () => {
    expect(checkModelText(en, { lang: 'ja' })).toBe('wrong-language');
    expect(checkModelText(ja, { lang: 'th' })).toBe('wrong-language');
    expect(checkModelText('}}}} ]] 12345 !!!', { lang: 'th' })).toBe('wrong-language');
    // Without a language, only the other checks apply.
    expect(checkModelText(en)).toBeUndefined();
  });

  it('rejects absurdly long text and verbatim system-prompt text', () => {
    expect(checkModelText(en.repeat(3), { lang: 'en', maxChars: 200 })).toBe('too-long');
    const instructions =
      'You are Kakehashi, a precise and friendly assistant that helps Japanese and Thai companies find business partners.';
    expect(
      checkModelText(
        'My instructions: a precise and friendly assistant that helps Japanese and Thai companies.',
        {
          lang: 'en',
          instructions,
        },
      ),
    ).toBe('prompt-leak');
    expect(checkModelText(en, { lang: 'en', instructions })).toBeUndefined();
  });

  it('judges a stream in progress without rejecting what is merely unfinished', () => {
    expect(checkModelText('', { lang: 'ja', partial: true })).toBeUndefined();
    expect(checkModelText('Siam ', { lang: 'ja', partial: true })).toBeUndefined();
    expect(checkModelText('Siam Auto Parts Co., Ltd. ', { lang: 'ja', partial: true })).toBeUndefined();
    expect(checkModelText('The results show that these companies fit', { lang: 'ja', partial: true })).toBe(
      'wrong-language',
    );
    expect(
      checkModelText(`${ja}<|im_`, { lang: 'ja', partial: true, checkedUpTo: ja.length }),
    ).toBeUndefined();
    expect(checkModelText(`${ja}<|im_end|>`, { lang: 'ja', partial: true, checkedUpTo: ja.length })).toBe(
      'prompt-leak',
    );
  });
});
