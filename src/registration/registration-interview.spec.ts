import {
  asksForOwnCompany,
  asksToRegister,
  contactIn,
  countryIn,
  employeesIn,
  interviewCommandIn,
  listOf,
  parseAnswer,
  profileFrom,
  websiteIn,
} from './registration-interview';
import { nameKey } from './registration.repository';

describe('registration interview', () => {
  it('hears "register my company" in Japanese, Thai and English, and not a search for registered firms', () => {
    for (const said of [
      'うちの会社を登録したい',
      '弊社を掲載してほしい',
      '会社登録',
      '登録したいです',
      '自社の情報を登録',
      'อยากลงทะเบียนบริษัท',
      'ลงทะเบียน',
      'สมัครสมาชิก',
      'เพิ่มบริษัทของเรา',
      'I want to register my company',
      'Can I list our business here?',
      'register',
      'Sign up',
    ])
      expect([said, asksToRegister(said)]).toEqual([said, true]);
    for (const said of [
      '登録されているタイの会社を探したい',
      '掲載企業を探す',
      'タイの自動車部品メーカーを探しています',
      'registered exporters of rubber in Thailand',
      'หาโรงงานผลิตชิ้นส่วนรถยนต์',
      'สมัครงาน',
      'We are a Japanese maker looking for a Thai distributor for our company products in the Bangkok area and beyond, ideally with a registered warehouse',
    ])
      expect([said, asksToRegister(said)]).toEqual([said, false]);
  });

  it('hears "my company"', () => {
    expect(asksForOwnCompany('自社情報')).toBe(true);
    expect(asksForOwnCompany('บริษัทของเรา')).toBe(true);
    expect(asksForOwnCompany('My company')).toBe(true);
    expect(asksForOwnCompany('my company makes brakes')).toBe(false);
  });

  it('reads the words that steer the interview', () => {
    expect(interviewCommandIn('戻る')).toBe('back');
    expect(interviewCommandIn('ย้อนกลับ')).toBe('back');
    expect(interviewCommandIn('Skip')).toBe('skip');
    expect(interviewCommandIn('特になし')).toBe('skip');
    expect(interviewCommandIn('ไม่มี')).toBe('skip');
    expect(interviewCommandIn('キャンセル')).toBe('cancel');
    expect(interviewCommandIn('あとで')).toBe('later');
    expect(interviewCommandIn('ไว้ทีหลัง')).toBe('later');
    expect(interviewCommandIn('完了')).toBe('done');
    expect(interviewCommandIn('送信')).toBe('submit');
    expect(interviewCommandIn('自動車部品の製造')).toBeUndefined();
  });

  it('reads a country, a head count, a web address and a contact as firms type them', () => {
    expect(countryIn('日本です')).toBe('JP');
    expect(countryIn('ไทย')).toBe('TH');
    expect(countryIn('thailand')).toBe('TH');
    expect(countryIn('日本とタイ')).toBeUndefined();
    expect(employeesIn('約120人')).toBe(120);
    expect(employeesIn('ประมาณ 1,200 คน')).toBe(1200);
    expect(employeesIn('50-100')).toBe(100);
    expect(employeesIn('たくさん')).toBeUndefined();
    expect(websiteIn('example.co.th')).toBe('https://example.co.th/');
    expect(websiteIn('https://www.tanaka-seiki.co.jp/en')).toBe('https://www.tanaka-seiki.co.jp/en');
    expect(websiteIn('ไม่มีเว็บ')).toBeUndefined();
    expect(websiteIn('www.chonburi plastic')).toBeUndefined();
    expect(websiteIn('javascript:alert(1)')).toBeUndefined();
    expect(contactIn('営業部 鈴木 suzuki@owari-gear.example')).toEqual({
      email: 'suzuki@owari-gear.example',
      person: '営業部 鈴木',
    });
    expect(contactIn('คุณสมศรี โทร 081-234-5678')).toEqual({ phone: '0812345678', person: 'คุณสมศรี' });
    expect(contactIn('+66 2 123 4567, Somsri')).toEqual({ phone: '+6621234567', person: 'Somsri' });
    expect(contactIn('鈴木です')).toBeUndefined();
  });

  it('says why an answer is refused, in the firm’s language', () => {
    expect(parseAnswer('size', 'たくさん', {}, 'ja')).toEqual({
      ok: false,
      problem: '人数を数字でお答えください（例：120）。',
    });
    expect(parseAnswer('website', 'no', {}, 'th')).toMatchObject({ ok: false, problem: /อ่าน URL ไม่ได้/ });
    expect(parseAnswer('name', 'x'.repeat(201), {}, 'en')).toMatchObject({ ok: false, problem: /200/ });
  });

  it('takes partnership types from words, adding to those chosen by button', () => {
    const parsed = parseAnswer('partnership', '販売代理店と技術提携', { partnershipTypes: ['oem'] }, 'ja');
    expect(parsed).toEqual({
      ok: true,
      answers: { partnershipTypes: ['distributor', 'oem', 'technology_transfer'] },
    });
  });

  it('makes a profile in the interchange format, in the firm’s language', () => {
    expect(listOf('ブレーキパッド、クラッチ板・ゴム部品')).toEqual([
      'ブレーキパッド',
      'クラッチ板',
      'ゴム部品',
    ]);
    expect(listOf('ผลิตชิ้นส่วนพลาสติก')).toEqual(['ผลิตชิ้นส่วนพลาสติก']);
    expect(
      profileFrom(
        {
          country: 'TH',
          name: 'บริษัท ชลบุรี พลาสติก จำกัด',
          offers: 'ชิ้นส่วนพลาสติก, แม่พิมพ์',
          region: 'ชลบุรี',
          employees: 120,
          contact: { email: 'a@b.example' },
        },
        'th',
        'reg-1',
      ),
    ).toEqual({
      externalId: 'reg-1',
      country: 'TH',
      names: { th: 'บริษัท ชลบุรี พลาสติก จำกัด' },
      summary: { th: 'ชิ้นส่วนพลาสติก, แม่พิมพ์' },
      offerings: { th: ['ชิ้นส่วนพลาสติก', 'แม่พิมพ์'] },
      location: { th: 'ชลบุรี' },
      employees: 120,
      languages: ['th'],
      contact: { email: 'a@b.example' },
      status: 'published',
    });
  });

  it('compares company names without legal forms, spaces or case', () => {
    expect(nameKey('尾張ギア工業株式会社')).toBe(nameKey('尾張ギア工業'));
    expect(nameKey('Owari Gear Works Co., Ltd.')).toBe(nameKey('owari gear works'));
    expect(nameKey('บริษัท ทานากะ เซกิ จำกัด')).toBe(nameKey('ทานากะ เซกิ'));
    expect(nameKey('Cobalt Inc.')).toBe('cobalt');
  });
});
