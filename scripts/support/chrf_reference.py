#!/usr/bin/env python3
"""Reference chrF++ values for src/llm/evaluation/chrf.spec.ts.

sacreBLEU cannot be installed on the build machines (no pip network, no Debian package), so this is a small,
independent re-statement of sacreBLEU 2.x's chrF (sacrebleu/metrics/chrf.py and helpers.py, read on GitHub) with
its chrF++ settings: CHRF(char_order=6, word_order=2, beta=2, lowercase=False, whitespace=False,
eps_smoothing=False). It uses only the standard library. Run it with

    python3 scripts/support/chrf_reference.py

and paste the printed numbers into the spec if a case is added. What it follows, step by step:

- character n-grams (n = 1..6) are taken from the segment with every whitespace character removed
  (''.join(line.split()): Python's notion of whitespace, which includes U+3000 and U+00A0), counted over Unicode
  code points;
- word n-grams (n = 1..2) are taken from line.split() after punctuation separation: a token longer than one
  character that ends with an ASCII punctuation mark is split into (token[:-1], mark); otherwise one that starts
  with one is split into (mark, token[1:]) -- only one mark per token, as in sacreBLEU;
- per order: hypothesis count (0 when the reference has no n-gram of that order), reference count, clipped matches;
- a corpus sums these statistics over segments before scoring;
- the score averages precision and recall over the orders where both counts are non-zero ("effective order"),
  then F-beta with beta = 2, times 100.
"""
from collections import Counter

CHAR_ORDER = 6
WORD_ORDER = 2
BETA = 2
PUNCTS = set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')


def char_ngrams(line, n):
    line = ''.join(line.split())
    return Counter(line[i:i + n] for i in range(len(line) - n + 1))


def words(line):
    out = []
    for w in line.split():
        if len(w) == 1:
            out.append(w)
        elif w[-1] in PUNCTS:
            out += [w[:-1], w[-1]]
        elif w[0] in PUNCTS:
            out += [w[0], w[1:]]
        else:
            out.append(w)
    return out


def word_ngrams(tokens, n):
    return Counter(' '.join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def all_ngrams(line):
    grams = [char_ngrams(line, n) for n in range(1, CHAR_ORDER + 1)]
    tokens = words(line)
    grams += [word_ngrams(tokens, n) for n in range(1, WORD_ORDER + 1)]
    return grams


def statistics(hyp, ref):
    stats = []
    for h, r in zip(all_ngrams(hyp), all_ngrams(ref)):
        matches = sum(min(c, r[g]) for g, c in h.items() if g in r)
        stats += [sum(h.values()) if r else 0, sum(r.values()), matches]
    return stats


def score(stats):
    factor = BETA ** 2
    prec = rec = 0.0
    effective = 0
    for i in range(CHAR_ORDER + WORD_ORDER):
        n_hyp, n_ref, n_match = stats[3 * i:3 * i + 3]
        if n_hyp > 0 and n_ref > 0:
            prec += n_match / n_hyp
            rec += n_match / n_ref
            effective += 1
    if effective == 0:
        return 0.0
    prec /= effective
    rec /= effective
    if prec + rec == 0:
        return 0.0
    return 100 * (1 + factor) * prec * rec / (factor * prec + rec)


def corpus(pairs):
    total = [0] * (3 * (CHAR_ORDER + WORD_ORDER))
    for hyp, ref in pairs:
        total = [a + b for a, b in zip(total, statistics(hyp, ref))]
    return score(total)


CASES = [
    ('identical', 'The cat sat on the mat.', 'The cat sat on the mat.'),
    ('disjoint', 'abc', 'xyz'),
    ('english', 'The cat is on the mat.', 'The cat sat on the mat.'),
    ('english punctuation', '(Hello), world!', 'Hello, world.'),
    ('japanese', '田中さんは学生じゃありません。', '田中さんは学生ではありません。'),
    ('japanese spaces', '田中さんは 学生では ありません。', '田中さんは学生ではありません。'),
    ('thai', 'คุณทานากะไม่ได้เป็นนักเรียนค่ะ', 'คุณทานากะไม่ใช่นักเรียนครับ'),
    ('thai phrases', 'ผมชอบกิน ข้าวมาก ครับ', 'ผมชอบกินข้าว มากครับ'),
    ('wide and no-break spaces', '東京\u3000大阪\u00a0名古屋', '東京 大阪 京都'),
    ('astral characters', '𠮷野家で食べた', '吉野家で食べた'),
    ('empty hypothesis', '', 'พ่อเป็นอาจารย์ครับ'),
]

if __name__ == '__main__':
    for name, hyp, ref in CASES:
        print(f'{name:28} {score(statistics(hyp, ref)):.10f}')
    mixed = [(h, r) for name, h, r in CASES if name in ('english', 'japanese', 'thai', 'thai phrases')]
    print(f'{"corpus (4 pairs)":28} {corpus(mixed):.10f}')
    print(f'{"mean of those 4 sentences":28} {sum(score(statistics(h, r)) for h, r in mixed) / 4:.10f}')
