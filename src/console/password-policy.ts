/**
 * What makes a staff password easy to guess beyond its length (OWASP ASVS 2.1.7: refuse common passwords): a
 * well-known password or keyboard walk, optionally with digits or symbols added; one short unit repeated; a
 * run of consecutive characters; or too few different characters. A short bundled list, as the issue asked: the
 * lockout and argon2id carry the rest.
 */
const COMMON = [
  'password',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'qwerty',
  'qwertyuiop',
  'asdfgh',
  'asdfghjkl',
  'zxcvbnm',
  '1q2w3e4r',
  '1qaz2wsx',
  'zaq12wsx',
  'qazwsx',
  'letmein',
  'welcome',
  'admin',
  'administrator',
  'root',
  'iloveyou',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'sunshine',
  'princess',
  'trustno1',
  'abc123',
  'changeme',
  'secret',
  'master',
  'superman',
  'starwars',
  'whatever',
  'login',
  'hello',
  'freedom',
  'shadow',
  'michael',
  'computer',
  'internet',
  'default',
  'guest',
  'test',
  'testing',
  'kakehashi',
  'console',
  'staff',
  'company',
  'bangkok',
  'thailand',
  'japan',
  'tokyo',
  'sawasdee',
  'arigato',
];
const COMMON_SET = new Set(COMMON);
/** What people append to a common password to pass a length rule ("Password2024!"). */
const PADDING = /[\d\W_]*$/u;

/** Why a password is refused: the `reason` of the `weak_password` field error, which clients say in their language. */
export type PasswordWeakness = 'common' | 'repeated' | 'consecutive' | 'keyboard' | 'few-characters';

const WEAKNESS_MESSAGES: Record<PasswordWeakness, string> = {
  common: 'is a common password (or one with digits added): choose a phrase of your own',
  repeated: 'repeats a few characters: choose something less regular',
  consecutive: 'is a run of consecutive characters: choose something less regular',
  keyboard: 'is a walk along the keyboard: choose something less regular',
  'few-characters': 'uses too few different characters',
};

export function passwordWeaknessOf(password: string): PasswordWeakness | undefined {
  const p = password.normalize('NFKC').toLowerCase();
  const core = p.replace(PADDING, '');
  if (COMMON_SET.has(p) || COMMON_SET.has(core) || /^\d+$/.test(p)) return 'common';
  if (/^(.{1,4})\1+$/u.test(p)) return 'repeated';
  const codes = [...p].map((c) => c.codePointAt(0)!);
  let run = 1;
  for (let i = 1; i < codes.length; i++) {
    run = Math.abs(codes[i] - codes[i - 1]) === 1 ? run + 1 : 1;
    if (run >= 8) return 'consecutive';
  }
  if (longestKeyboardWalk(p) >= 8) return 'keyboard';
  if (new Set(p).size < 5) return 'few-characters';
  return undefined;
}

/** A weakness in English words (the staff:create script, the API's `message`). */
export const weaknessMessage = (weakness: PasswordWeakness): string => WEAKNESS_MESSAGES[weakness];

/** Why the password is refused, in English words; undefined when it is not. */
export function passwordWeakness(password: string): string | undefined {
  const weakness = passwordWeaknessOf(password);
  return weakness && weaknessMessage(weakness);
}

/** Rows and columns of a QWERTY keyboard, as typed in a walk across them (either way round). */
const KEYBOARD_WALKS = [
  'qwertyuiopasdfghjklzxcvbnm',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  '1234567890-=',
].flatMap((walk) => [walk, [...walk].reverse().join('')]);

/** The longest stretch of the password typed by walking along the keyboard ("qwertyuiopas" is 12). */
function longestKeyboardWalk(p: string): number {
  let longest = 0;
  for (let i = 0; i < p.length; i++) {
    let j = i + longest + 1;
    while (j <= p.length && KEYBOARD_WALKS.some((walk) => walk.includes(p.slice(i, j)))) {
      longest = j - i;
      j++;
    }
  }
  return longest;
}
