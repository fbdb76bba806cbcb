// The card doctor's findings, as the Card health screen shows them.

import type { DoctorPageDto, DoctorRule, FindingDto } from './api/types';
import { formatCount } from './format';

/** Each rule's name on screen and why it matters (one for every rule: the compiler checks). */
export const RULES: Record<DoctorRule, { title: string; why: string }> = {
  too_long: { title: 'Too long', why: 'One card, one fact: long answers are half-remembered and dreaded.' },
  enumeration: { title: 'Lists to memorise', why: 'Long lists are hard to recall whole; learn them item by item.' },
  vague_front: { title: 'Vague headings', why: 'A heading like “Overview” asks nothing on its own.' },
  answer_in_front: { title: 'Answer on the front', why: 'The front already tells what the back asks for.' },
  near_duplicate: { title: 'Near-duplicates', why: 'Nearly the same card in two notes: they interfere.' },
  leech: { title: 'Leeches', why: 'Forgotten again and again: rewrite them rather than fail them again.' },
  link_only: { title: 'Only a link', why: 'Nothing to recall but a link or a file.' },
};

/** The order rules are shown in. */
const ORDER: DoctorRule[] = ['too_long', 'enumeration', 'vague_front', 'answer_in_front', 'near_duplicate', 'leech', 'link_only'];

/** Findings grouped by rule, in the screen's order. */
export function groupFindings(findings: FindingDto[]): { rule: DoctorRule; findings: FindingDto[] }[] {
  const byRule = new Map<DoctorRule, FindingDto[]>();
  for (const finding of findings) {
    const found = byRule.get(finding.rule);
    if (found) found.push(finding);
    else byRule.set(finding.rule, [finding]);
  }
  const rank = (rule: DoctorRule) => (ORDER.includes(rule) ? ORDER.indexOf(rule) : ORDER.length);
  return [...byRule.entries()].sort((a, b) => rank(a[0]) - rank(b[0])).map(([rule, found]) => ({ rule, findings: found }));
}

/** What was measured, in words. */
export function describeValue(finding: FindingDto): string {
  const n = (value: number) => formatCount(value);
  switch (finding.rule) {
    case 'too_long':
      return finding.threshold >= 100
        ? `${n(finding.value)} characters of text (limit ${n(finding.threshold)})`
        : `${n(finding.value)} separate facts (limit ${n(finding.threshold)})`;
    case 'enumeration':
      return `a list of ${n(finding.value)} items (from ${n(finding.threshold)})`;
    case 'answer_in_front':
      return `${Math.round(finding.value * 100)} % of the answer is on the front`;
    case 'near_duplicate':
      return `${Math.round(finding.value * 100)} % alike`;
    case 'leech':
      return `forgotten ${n(finding.value)} times (from ${n(finding.threshold)})`;
    default:
      return '';
  }
}

/** The findings loaded of each rule. */
export type LoadedFindings = Partial<Record<DoctorRule, FindingDto[]>>;

/** A page's findings by rule. */
export function loadedOf(findings: FindingDto[]): LoadedFindings {
  const loaded: LoadedFindings = {};
  for (const { rule, findings: found } of groupFindings(findings)) loaded[rule] = found;
  return loaded;
}

/** Each rule with findings, in the screen's order: how many it has, and those loaded. */
export function ruleGroups(page: DoctorPageDto, loaded: LoadedFindings): { rule: DoctorRule; total: number; findings: FindingDto[] }[] {
  return page.rules.map(({ rule, findings }) => ({ rule, total: findings, findings: loaded[rule] ?? [] }));
}

/**
 * The page and the loaded findings without those `gone` (dismissed, or
 * of a card now read): counts go down at once; the cards' count waits
 * for the next page from notedeck.
 */
export function without(page: DoctorPageDto, loaded: LoadedFindings, gone: (f: FindingDto) => boolean): { page: DoctorPageDto; loaded: LoadedFindings } {
  const next: LoadedFindings = {};
  const removed = new Map<DoctorRule, number>();
  for (const [rule, found] of Object.entries(loaded) as [DoctorRule, FindingDto[]][]) {
    const kept = found.filter((f) => !gone(f));
    removed.set(rule, found.length - kept.length);
    next[rule] = kept;
  }
  const rules = page.rules
    .map(({ rule, findings }) => ({ rule, findings: findings - (removed.get(rule) ?? 0) }))
    .filter((r) => r.findings > 0);
  return { page: { ...page, rules }, loaded: next };
}
