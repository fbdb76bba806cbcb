// The card browser's list: which rows a scrolled viewport shows and which
// pages of results hold them, so 100,000 cards scroll as smoothly as 100.

import type { BrowsePageDto, CardSummaryDto } from './api/types';

/** Cards fetched per request. */
export const PAGE_SIZE = 200;

/** The rows to render for a viewport: [start, end), with some overscan. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  total: number,
  overscan = 8,
): { start: number; end: number } {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const count = Math.ceil(Math.max(0, viewportHeight) / rowHeight);
  const start = Math.max(0, Math.min(total, first - overscan));
  const end = Math.max(start, Math.min(total, first + count + overscan));
  return { start, end };
}

/** The page numbers holding rows [start, end). */
export function pagesFor(start: number, end: number, pageSize = PAGE_SIZE): number[] {
  if (end <= start) return [];
  const pages: number[] = [];
  for (let page = Math.floor(start / pageSize); page * pageSize < end; page++) pages.push(page);
  return pages;
}

/** Pages of one search's results, fetched once each. */
export class PageCache {
  private pages = new Map<number, CardSummaryDto[]>();
  private pending = new Map<number, Promise<void>>();
  total: number | null = null;

  constructor(
    private fetchPage: (offset: number, limit: number) => Promise<BrowsePageDto>,
    private pageSize = PAGE_SIZE,
  ) {}

  /** The card at `index`, if its page is here. */
  at(index: number): CardSummaryDto | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Fetches page `page` unless it is here or on its way. */
  load(page: number): Promise<void> {
    if (this.pages.has(page)) return Promise.resolve();
    const running = this.pending.get(page);
    if (running) return running;
    const promise = this.fetchPage(page * this.pageSize, this.pageSize)
      .then((result) => {
        this.total = result.total;
        this.pages.set(page, result.cards);
      })
      .finally(() => this.pending.delete(page));
    this.pending.set(page, promise);
    return promise;
  }
}

/** A grade as its answer button's name (0–2 Again, 3 Hard, 4 Good, 5 Easy). */
export function gradeName(grade: number): string {
  return grade <= 2 ? 'Again' : grade === 3 ? 'Hard' : grade === 4 ? 'Good' : 'Easy';
}

/** The words of a card's state for the list: suspended and buried first. */
export function stateLabel(card: Pick<CardSummaryDto, 'state' | 'suspended' | 'buried_until' | 'leech'>): string {
  if (card.suspended) return card.leech ? 'Leech, suspended' : 'Suspended';
  if (card.buried_until) return 'Buried';
  if (card.leech) return 'Leech';
  return { new: 'New', learning: 'Learning', review: 'Review', retired: 'Retired' }[card.state] ?? card.state;
}
