import { passwordWeakness } from './password-policy';

describe('staff password policy', () => {
  it.each([
    'password1234',
    'Password2024!',
    'qwertyuiop12',
    '123456789012',
    'abcabcabcabc',
    'aaaaaaaaaaaa',
    'abcdefghijkl',
    'kakehashi123',
    'ababababcdcd',
    'qwertyuiopas',
    'asdfghjkl;99',
    'zxcvbnm,./12',
    '1qaz2wsx3edc',
    'poiuytrewq!!',
  ])('refuses %s', (pw) => expect(passwordWeakness(pw)).toBeDefined());

  it.each([
    'correct horse battery staple',
    'ทุเรียนหมอนทอง2567',
    'kaizen-at-rayong-plant',
    '金型の試作は三週間',
    'typewriter-quota-2026',
  ])('accepts %s', (pw) => expect(passwordWeakness(pw)).toBeUndefined());
});
