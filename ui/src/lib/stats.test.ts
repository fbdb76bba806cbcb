import { describe, expect, it } from 'vitest';
import type { DayStatsDto, DeckNode } from './api/types';
import { MAX_DECK_CHOICES, deckChoices, deckTotals, flattenDecks, retentionSeries, reviewsByButton, shortDay } from './stats';

function day(date: string, by_grade: DayStatsDto['by_grade'], rate: number | null): DayStatsDto {
  const none = { answers: 0, passed: 0, rate: null };
  return {
    date,
    reviews: by_grade.reduce((a, b) => a + b, 0),
    by_grade,
    by_kind: { learn: 0, review: 0, relearn: 0, repeat: 0, cram: 0, read: 0 },
    time_ms: 0,
    retention: { answers: 1, passed: 1, rate },
    retention_young: none,
    retention_mature: none,
    new_learned: 0,
  };
}

describe('reviewsByButton', () => {
  it('groups grades 0–2 as Again, 3 Hard, 4 Good, 5 Easy', () => {
    const s = reviewsByButton([day('2026-11-22', [1, 2, 3, 4, 5, 6], null), day('2026-11-23', [0, 0, 0, 0, 1, 0], 1)]);
    expect(s).toEqual({
      labels: ['2026-11-22', '2026-11-23'],
      again: [6, 0],
      hard: [4, 0],
      good: [5, 1],
      easy: [6, 0],
    });
  });
});

describe('retentionSeries', () => {
  it('gives percentages and gaps', () => {
    expect(retentionSeries([day('2026-11-22', [0, 0, 0, 0, 0, 0], null), day('2026-11-23', [0, 0, 0, 0, 0, 0], 0.8765)])).toEqual([null, 87.7]);
  });
});

describe('decks', () => {
  const tree: DeckNode[] = [
    {
      name: 'a',
      short_name: 'a',
      total: 5,
      new: 2,
      due: 1,
      reading: 0,
      reading_today: 0,
      due_tomorrow: 0,
      new_today: 2,
      due_today: 1,
      children: [{ name: 'a::b', short_name: 'b', total: 5, new: 2, due: 1, reading: 0, reading_today: 0, due_tomorrow: 0, new_today: 2, due_today: 1, children: [] }],
    },
    { name: 'c', short_name: 'c', total: 1, new: 1, due: 0, reading: 0, reading_today: 0, due_tomorrow: 0, new_today: 1, due_today: 0, children: [] },
  ];

  it('flattens the tree in display order with depths', () => {
    expect(flattenDecks(tree)).toEqual([
      { name: 'a', shortName: 'a', depth: 0 },
      { name: 'a::b', shortName: 'b', depth: 1 },
      { name: 'c', shortName: 'c', depth: 0 },
    ]);
  });

  it('sums the top level only (counts include sub-decks)', () => {
    expect(deckTotals(tree)).toEqual({ total: 6, new: 3, due: 1 });
  });

  it('shortens days for axes', () => {
    expect(shortDay('2026-11-03')).toBe('Nov 3');
  });
});

describe('deckChoices', () => {
  const flat = (n: number) => [
    { name: 'v', shortName: 'v', depth: 0 },
    { name: 'v::f', shortName: 'f', depth: 1 },
    ...Array.from({ length: n }, (_, i) => ({ name: `v::f::n${i}`, shortName: `n${i}`, depth: 2 })),
  ];

  it('offers every deck of a collection of few', () => {
    expect(deckChoices(flat(MAX_DECK_CHOICES - 2))).toHaveLength(MAX_DECK_CHOICES);
  });

  it('offers the top two levels of thousands, and the deck chosen now', () => {
    expect(deckChoices(flat(5000)).map((d) => d.name)).toEqual(['v', 'v::f']);
    expect(deckChoices(flat(5000), 'v::f::n42').map((d) => d.name)).toEqual(['v', 'v::f', 'v::f::n42']);
  });
});
