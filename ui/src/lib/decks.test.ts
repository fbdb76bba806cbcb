import { describe, expect, it } from 'vitest';
import { withoutEmpty } from './decks';
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
