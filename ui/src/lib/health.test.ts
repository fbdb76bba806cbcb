import { describe, expect, it } from 'vitest';
import type { DoctorPageDto, DoctorRule, FindingDto } from './api/types';
import { describeValue, groupFindings, loadedOf, ruleGroups, without } from './health';

const finding = (rule: DoctorRule, value: number, threshold: number): FindingDto => ({
  card_id: `${rule}-${value}`,
  note: '/v/n.md',
  line: 3,
  front: 'A question',
  rule,
  value,
  threshold,
  fix: 'fix it',
});

describe('health', () => {
  it('groups findings by rule in a fixed order', () => {
    const groups = groupFindings([finding('leech', 9, 8), finding('too_long', 900, 800), finding('leech', 12, 8)]);
    expect(groups.map((g) => [g.rule, g.findings.length])).toEqual([
      ['too_long', 1],
      ['leech', 2],
    ]);
  });

  it('shows each rule with its count and the findings fetched so far', () => {
    const page: DoctorPageDto = {
      rules: [
        { rule: 'too_long', findings: 120 },
        { rule: 'leech', findings: 2 },
      ],
      cards: 121,
      findings: [finding('too_long', 900, 800), finding('leech', 9, 8), finding('leech', 12, 8)],
    };
    const loaded = loadedOf(page.findings);
    expect(ruleGroups(page, loaded).map((g) => [g.rule, g.total, g.findings.length])).toEqual([
      ['too_long', 120, 1],
      ['leech', 2, 2],
    ]);
    // A dismissal: gone from the list and from its rule's count at once;
    // a rule left with none is left out.
    const after = without(page, loaded, (f) => f.rule === 'leech');
    expect(ruleGroups(after.page, after.loaded).map((g) => [g.rule, g.total, g.findings.length])).toEqual([['too_long', 120, 1]]);
    const one = without(page, loaded, (f) => f.card_id === 'leech-9');
    expect(ruleGroups(one.page, one.loaded).map((g) => [g.rule, g.total, g.findings.length])).toEqual([
      ['too_long', 120, 1],
      ['leech', 1, 1],
    ]);
    expect(page.rules[1].findings).toBe(2);
  });

  it('says what was measured', () => {
    expect(describeValue(finding('too_long', 2317, 800))).toBe('2,317 characters of text (limit 800)');
    expect(describeValue(finding('too_long', 9, 6))).toBe('9 separate facts (limit 6)');
    expect(describeValue(finding('near_duplicate', 0.92, 0.8))).toBe('92 % alike');
    expect(describeValue(finding('vague_front', 1, 1))).toBe('');
  });
});
