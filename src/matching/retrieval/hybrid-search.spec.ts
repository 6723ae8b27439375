import { conceptCandidateIds, rankWithTies } from './hybrid-search.repository';

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

  it('scans only for concepts that carry a real share of the request on their own', () => {
    expect(conceptCandidateIds(['food', 'mfg', 'partner'], [1.6, 0.37, 0.21], 0.35)).toEqual(['food']);
    expect(conceptCandidateIds(['auto', 'transport'], [2.4, 1.2], 0.35)).toEqual(['auto', 'transport']);
    expect(conceptCandidateIds([], [], 0.35)).toEqual([]);
  });
});
