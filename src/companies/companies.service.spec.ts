import { mergePatch } from './companies.service';
import { changedFields, toInterchange, toProfileWrite } from './company.model';
import { thaiProfile } from '../../test/fixtures/profiles';

describe('mergePatch (RFC 7396)', () => {
  it('merges nested objects, replaces arrays and removes fields set to null', () => {
    const target = { names: { th: 'ก', en: 'A' }, offerings: { en: ['x'] }, employees: 5 };
    expect(
      mergePatch(target, { names: { ja: 'エー', en: null }, offerings: { en: ['y'] }, employees: null }),
    ).toEqual({
      names: { th: 'ก', ja: 'エー' },
      offerings: { en: ['y'] },
    });
  });
});

describe('profile model', () => {
  it('stores and returns the same interchange object (contacts apart)', () => {
    const input = thaiProfile('t:1');
    const write = toProfileWrite(input);
    expect(write.contact).toEqual(input.contact);
    expect(JSON.stringify(write.profile)).not.toContain('somchai@');
    expect(toInterchange(write.profile, write.contact)).toEqual(input);
  });

  it('lists exactly the public fields that changed', () => {
    const a = toProfileWrite(thaiProfile('t:1')).profile;
    const b = toProfileWrite(thaiProfile('t:1', { employees: 500, names: { th: 'ใหม่' } })).profile;
    expect(changedFields(a, b)).toEqual(['names', 'employees']);
    expect(changedFields(a, a)).toEqual([]);
  });
});
