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
