import type { CompanyRecord } from '../companies/company.model';
import { planFills } from './profile-translation.worker';

const record = (over: Partial<CompanyRecord>): CompanyRecord => ({
  id: 'id',
  externalId: 'x',
  country: 'JP',
  status: 'published',
  names: { ja: '株式会社テスト' },
  industries: [],
  partnershipTypes: [],
  certifications: [],
  languages: [],
  machineTranslated: [],
  version: 1,
  createdAt: '',
  updatedAt: '',
  ...over,
});

describe('planFills', () => {
  it('plans every missing language of every localized field, from the native language first', () => {
    const plan = planFills(
      record({
        names: { ja: '株式会社テスト', en: 'Test Co., Ltd.' },
        summary: { en: 'Makes parts.' },
        offerings: { ja: ['金型', '部品'] },
      }),
    );
    expect(plan.map((p) => `${p.field}.${p.lang}<${p.sourceLang}`)).toEqual([
      'names.th<ja',
      'summary.ja<en',
      'summary.th<en',
      'offerings.th<ja',
      'offerings.en<ja',
    ]);
    expect(plan[3].source).toEqual(['金型', '部品']);
  });

  it('prefers a human-written source over a machine translation', () => {
    const plan = planFills(
      record({ country: 'TH', names: { th: 'บริษัท ทดสอบ', en: 'Test' }, machineTranslated: ['names.th'] }),
    );
    expect(plan).toEqual([{ field: 'names', lang: 'ja', sourceLang: 'en', source: 'Test' }]);
  });

  it('plans nothing for a complete profile', () => {
    expect(planFills(record({ names: { ja: 'a', th: 'b', en: 'c' } }))).toEqual([]);
  });
});
