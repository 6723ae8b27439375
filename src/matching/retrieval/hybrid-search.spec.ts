import { conceptCandidateIds, rankWithTies, toTsquery } from './hybrid-search.repository';

describe('hybrid search helpers', () => {
  it('ranks ties together (competition ranking)', () => {
    const ranked = rankWithTies(
      [
        { companyId: 'a', score: 3 },
        { companyId: 'b', score: 3 },
        { companyId: 'c', score: 2 },
      ],
      'concept',
    );
    expect(ranked.map((r) => r.rank)).toEqual([1, 1, 3]);
  });

  it('leaves out of the candidate scan only weak concepts that could never reach the cutoff together', () => {
    // manufacturing (0.3) + services (0.2) = 0.5 < 0.35 × 2.0 = 0.7: neither can qualify a profile alone.
    expect(conceptCandidateIds(['auto', 'mfg', 'svc'], [2.0, 0.3, 0.2], 0.35)).toEqual(['auto']);
    // Two weak ones that together could qualify: one of them stays in, so a profile with both is still found.
    const kept = conceptCandidateIds(['auto', 'mfg', 'svc'], [1.0, 0.3, 0.3], 0.35);
    expect(kept).toHaveLength(2);
    expect(kept).toContain('auto');
    expect(conceptCandidateIds(['only'], [1], 0.35)).toEqual(['only']);
  });

  it('quotes every token as a verbatim lexeme', () => {
    expect(toTsquery(['ยานยนต์', "o'hara", 'a\\b'])).toBe("'ยานยนต์' | 'o''hara' | 'a\\\\b'");
  });
});
