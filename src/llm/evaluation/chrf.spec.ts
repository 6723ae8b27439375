import { chrfWords, corpusChrf, sentenceChrf } from './chrf';

/**
 * Expected values come from scripts/support/chrf_reference.py: an independent Python re-statement of sacreBLEU
 * 2.x's chrF++ (CHRF(char_order=6, word_order=2, beta=2), read from sacrebleu/metrics/chrf.py and helpers.py),
 * since sacrebleu itself cannot be installed here. `python3 scripts/support/chrf_reference.py` prints them again;
 * the same pairs are listed there. They agree to 1e-9.
 */
const CASES: Array<[string, string, string, number]> = [
  ['english', 'The cat is on the mat.', 'The cat sat on the mat.', 67.4930122138],
  ['english punctuation', '(Hello), world!', 'Hello, world.', 52.6425053566],
  ['japanese', '田中さんは学生じゃありません。', '田中さんは学生ではありません。', 52.6081061795],
  ['japanese spaces', '田中さんは 学生では ありません。', '田中さんは学生ではありません。', 85.7142857143],
  ['thai', 'คุณทานากะไม่ได้เป็นนักเรียนค่ะ', 'คุณทานากะไม่ใช่นักเรียนครับ', 54.6116559093],
  ['thai phrases', 'ผมชอบกิน ข้าวมาก ครับ', 'ผมชอบกินข้าว มากครับ', 75.0],
  ['wide and no-break spaces', '東京\u3000大阪\u00a0名古屋', '東京 大阪 京都', 39.7901938732],
  ['astral characters', '𠮷野家で食べた', '吉野家で食べた', 62.9591836735],
];

describe('chrF++ (sacreBLEU definition)', () => {
  it.each(CASES)('%s', (_name, hypothesis, reference, expected) => {
    expect(sentenceChrf(hypothesis, reference)).toBeCloseTo(expected, 8);
  });

  it('scores a corpus from summed statistics, not as a mean of sentence scores', () => {
    const pairs = CASES.filter(([name]) => ['english', 'japanese', 'thai', 'thai phrases'].includes(name));
    const score = corpusChrf(
      pairs.map((p) => p[1]),
      pairs.map((p) => p[2]),
    );
    expect(score).toBeCloseTo(67.7884388289, 8);
    expect(score).not.toBeCloseTo(62.4281935757, 2); // the mean of the four sentence scores
  });

  it('gives 100 to an identical sentence and 0 to a disjoint or missing one', () => {
    expect(sentenceChrf('The cat sat on the mat.', 'The cat sat on the mat.')).toBe(100);
    expect(sentenceChrf('พ่อเป็นอาจารย์ครับ', 'พ่อเป็นอาจารย์ครับ')).toBe(100);
    expect(sentenceChrf('abc', 'xyz')).toBe(0);
    expect(sentenceChrf('', 'พ่อเป็นอาจารย์ครับ')).toBe(0);
  });

  it('separates one ASCII punctuation mark per word, as sacreBLEU does', () => {
    expect(chrfWords('(hi) there, you!')).toEqual(['(hi', ')', 'there', ',', 'you', '!']);
    expect(chrfWords('。 x\u3000y')).toEqual(['。', 'x', 'y']);
  });

  it('refuses corpora of different lengths', () => {
    expect(() => corpusChrf(['a'], [])).toThrow(/1 hypotheses for 0 references/);
  });
});
