import { describe, expect, it } from 'vitest';
import { FOLD_OVER, foldedAtFirst, withoutEmpty } from './decks';
import type { DeckNode } from './api/types';

const deck = (name: string, total: number, children: DeckNode[] = []): DeckNode => ({
  name,
  short_name: name.split('::').pop() ?? name,
  total,
  new: total,
  due: 0,
  reading: 0,
  reading_today: 0,
  due_tomorrow: 0,
  new_today: total,
  due_today: 0,
  children,
});

describe('withoutEmpty', () => {
  it('hides decks of no card, with their empty sub-decks, and counts them', () => {
    const tree = [deck('a', 3, [deck('a::b', 3), deck('a::c', 0)]), deck('d', 0, [deck('d::e', 0)])];
    const { tree: shown, hidden } = withoutEmpty(tree);
    expect(shown.map((d) => d.name)).toEqual(['a']);
    expect(shown[0].children.map((d) => d.name)).toEqual(['a::b']);
    expect(hidden).toBe(3);
  });
});

describe('foldedAtFirst', () => {
  it('folds a sub-deck of many sub-decks only, never a top-level deck', () => {
    const children = (n: number) => Array.from({ length: n }, (_, i) => deck(`v::a::n${i}`, 1));
    expect(foldedAtFirst(deck('v::a', 1, children(FOLD_OVER)))).toBe(false);
    expect(foldedAtFirst(deck('v::a', 1, children(FOLD_OVER + 1)))).toBe(true);
    expect(foldedAtFirst(deck('v::a', 1))).toBe(false);
    expect(foldedAtFirst(deck('v', 1, children(FOLD_OVER + 1)))).toBe(false);
  });
});
