import { Lexicon } from '../../matching/lexicon/lexicon';
import type { ConversationState } from '../conversation-state';
import { intentOfPostback, understandByRules } from './rule-understanding';

const lexicon = new Lexicon([]);
const withResults: ConversationState = {
  search: { text: 'x', lang: 'ja', filters: {}, shown: ['a', 'b'], hasMore: true },
  lastResults: [
    {
      externalId: 'seed:th-001',
      names: { ja: 'サイアム・プレシジョン・スタンピング社', en: 'Siam Precision Stamping Co., Ltd.' },
    },
    {
      externalId: 'seed:th-002',
      names: { en: 'Rayong Brake Parts Co., Ltd.', th: 'บริษัท ระยอง เบรก พาร์ท จำกัด' },
    },
  ],
};
const rules = (text: string, state: ConversationState = {}) => understandByRules({ text, state, lexicon });

describe('understandByRules', () => {
  it.each([
    ['ヘルプ', 'help'],
    ['ช่วยเหลือ', 'help'],
    ['help', 'help'],
    ['こんにちは', 'greeting'],
    ['สวัสดี', 'greeting'],
    ['担当者と話したい', 'human'],
    ['ขอคุยกับเจ้าหน้าที่', 'human'],
    ['talk to a human', 'human'],
    ['データを削除してください', 'forget'],
    ['ลบข้อมูลของฉัน', 'forget'],
    ['forget me', 'forget'],
    ['もっと', 'more'],
    ['เพิ่มเติม', 'more'],
    ['more', 'more'],
    ['新しく探す', 'new-search'],
  ])('%s → %s', (text, kind) => expect(rules(text).kind).toBe(kind));

  it('reads a search with its partnership type and region, and asks nothing when the subject is there', () => {
    expect(rules('タイで自動車部品の販売代理店を探しています')).toEqual({
      kind: 'search',
      slots: expect.objectContaining({
        partnershipType: 'distributor',
        subject: expect.stringContaining('自動車'),
      }),
    });
    expect(rules('パートナーを探しています')).toEqual({ kind: 'search', slots: {} });
  });

  it('refines an active search: "only OEM", "Bangkok area", "แถวกรุงเทพ"', () => {
    expect(rules('OEMだけ', withResults)).toEqual({ kind: 'refine', slots: { partnershipType: 'oem' } });
    expect(rules('only OEM', withResults)).toEqual({ kind: 'refine', slots: { partnershipType: 'oem' } });
    expect(rules('Bangkok area', withResults)).toEqual({ kind: 'refine', slots: { regionWords: 'bangkok' } });
    expect(rules('แถวกรุงเทพ', withResults)).toEqual({ kind: 'refine', slots: { regionWords: 'bangkok' } });
  });

  it('points at listed companies by number or name', () => {
    expect(rules('2番の詳細', withResults)).toEqual({ kind: 'details', ref: { index: 2 } });
    expect(rules('2', withResults)).toEqual({ kind: 'details', ref: { index: 2 } });
    expect(rules('รายละเอียดบริษัทที่ 1', withResults)).toEqual({ kind: 'details', ref: { index: 1 } });
    expect(rules('tell me about Rayong Brake', withResults)).toEqual({
      kind: 'details',
      ref: { externalId: 'seed:th-002' },
    });
    expect(rules('サイアム・プレシジョン・スタンピングを紹介してください', withResults)).toEqual({
      kind: 'introduce',
      ref: { externalId: 'seed:th-001' },
    });
  });

  it('switches language and translates with a target', () => {
    expect(rules('日本語で')).toEqual({ kind: 'switch-language', lang: 'ja' });
    expect(rules('ภาษาไทย')).toEqual({ kind: 'switch-language', lang: 'th' });
    expect(rules('change language')).toEqual({ kind: 'switch-language' });
    expect(rules('タイ語に翻訳: はじめまして')).toEqual({
      kind: 'translate',
      text: 'はじめまして',
      to: 'th',
    });
    expect(rules('translate to Japanese: nice to meet you')).toEqual({
      kind: 'translate',
      text: 'nice to meet you',
      to: 'ja',
    });
    expect(rules('แปลเป็นภาษาญี่ปุ่น: ยินดีที่ได้รู้จัก')).toEqual({ kind: 'translate', text: 'ยินดีที่ได้รู้จัก', to: 'ja' });
  });

  it('confirms "forget me" only while the question is pending', () => {
    const pending: ConversationState = { pending: { kind: 'confirm-forget' } };
    expect(rules('はい', pending).kind).toBe('forget-confirm');
    expect(rules('ยกเลิก', pending).kind).toBe('forget-cancel');
    expect(rules('はい').kind).not.toBe('forget-confirm');
  });

  it('reads button postbacks exactly', () => {
    expect(intentOfPostback('action=details&id=seed%3Ath-001')).toEqual({
      kind: 'details',
      ref: { externalId: 'seed:th-001' },
    });
    expect(intentOfPostback('action=lang&lang=th')).toEqual({ kind: 'switch-language', lang: 'th' });
    expect(intentOfPostback('action=refine&partnership=any')).toEqual({
      kind: 'refine',
      slots: { anyPartnership: true },
    });
    expect(intentOfPostback('action=nonsense').kind).toBe('unknown');
  });
});
