// Shapes statistics for the charts and tables.

import type { DayStatsDto, DeckNode } from './api/types';

export interface GradeSeries {
  labels: string[];
  again: number[];
  hard: number[];
  good: number[];
  easy: number[];
}

/**
 * Reviews per day by answer button: grades 0–2 are Again (below 3 fails),
 * 3 Hard, 4 Good, 5 Easy.
 */
export function reviewsByButton(days: DayStatsDto[]): GradeSeries {
  return {
    labels: days.map((d) => d.date),
    again: days.map((d) => d.by_grade[0] + d.by_grade[1] + d.by_grade[2]),
    hard: days.map((d) => d.by_grade[3]),
    good: days.map((d) => d.by_grade[4]),
    easy: days.map((d) => d.by_grade[5]),
  };
}

/** Daily retention as percentages, null on days without answers. */
export function retentionSeries(days: DayStatsDto[]): (number | null)[] {
  return days.map((d) => (d.retention.rate === null ? null : Math.round(d.retention.rate * 1000) / 10));
}

/** A short axis label for a `YYYY-MM-DD` day: "Nov 23". */
export function shortDay(day: string): string {
  const [, m, d] = day.split('-').map(Number);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${months[(m - 1) % 12]} ${d}`;
}

export interface FlatDeck {
  name: string;
  shortName: string;
  depth: number;
}

/** The deck tree in display order, for selectors. */
export function flattenDecks(tree: DeckNode[], depth = 0, out: FlatDeck[] = []): FlatDeck[] {
  for (const node of tree) {
    out.push({ name: node.name, shortName: node.short_name, depth });
    flattenDecks(node.children, depth + 1, out);
  }
  return out;
}

/** Decks a deck selector lists at most before it lists only the top two levels. */
export const MAX_DECK_CHOICES = 300;

/**
 * The decks a selector offers: all of them, or past [`MAX_DECK_CHOICES`] (a
 * deck per note makes thousands) the top-level decks and their sub-decks,
 * and `current` wherever it is. A deck's own menu still leads to any deck.
 */
export function deckChoices(flat: FlatDeck[], current: string | null = null): FlatDeck[] {
  if (flat.length <= MAX_DECK_CHOICES) return flat;
  return flat.filter((d) => d.depth <= 1 || d.name === current);
}

/** Sums over the top of the deck tree. */
export function deckTotals(tree: DeckNode[]): { total: number; new: number; due: number } {
  return tree.reduce(
    (acc, d) => ({ total: acc.total + d.total, new: acc.new + d.new, due: acc.due + d.due }),
    { total: 0, new: 0, due: 0 },
  );
}
