// The deck list without decks that hold no card (a note whose sections
// all were skipped, or decks with no card of the tag asked for): a vault
// with one deck per note otherwise lists many empty rows.

import type { DeckNode } from './api/types';

/** `tree` without decks of no card (a deck with cards below it stays). */
export function withoutEmpty(tree: DeckNode[]): { tree: DeckNode[]; hidden: number } {
  let hidden = 0;
  const walk = (nodes: DeckNode[]): DeckNode[] =>
    nodes.flatMap((node) => {
      if (node.total === 0) {
        hidden += 1 + countAll(node.children);
        return [];
      }
      return [{ ...node, children: walk(node.children) }];
    });
  return { tree: walk(tree), hidden };
}

function countAll(nodes: DeckNode[]): number {
  return nodes.reduce((n, node) => n + 1 + countAll(node.children), 0);
}

/** Sub-decks a deck below the top may have and still start unfolded: past this (a folder of many notes, each a deck) it starts folded until opened. */
export const FOLD_OVER = 50;

/** Decks a list shows before "Show more" (a folder of thousands of notes). */
export const DECK_ROWS = 100;

/** True when `deck` starts folded: a sub-deck (a top-level deck always starts open) with more than [`FOLD_OVER`] sub-decks of its own. */
export function foldedAtFirst(deck: DeckNode): boolean {
  return deck.children.length > FOLD_OVER && deck.name.includes('::');
}
