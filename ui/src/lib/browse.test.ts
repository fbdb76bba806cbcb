import { describe, expect, it } from 'vitest';
import type { BrowsePageDto } from './api/types';
import { PageCache, gradeName, pagesFor, stateLabel, visibleRange } from './browse';

describe('visibleRange', () => {
  it('renders the rows in view and a few around them', () => {
    expect(visibleRange(0, 400, 50, 100_000, 2)).toEqual({ start: 0, end: 10 });
    expect(visibleRange(5000, 400, 50, 100_000, 2)).toEqual({ start: 98, end: 110 });
    expect(visibleRange(4_999_700, 400, 50, 100_000, 2)).toEqual({ start: 99_992, end: 100_000 });
  });
  it('is empty for no rows', () => {
    expect(visibleRange(0, 400, 50, 0)).toEqual({ start: 0, end: 0 });
  });
});

describe('pagesFor', () => {
  it('names every page the rows touch', () => {
    expect(pagesFor(0, 10, 200)).toEqual([0]);
    expect(pagesFor(190, 210, 200)).toEqual([0, 1]);
    expect(pagesFor(5, 5, 200)).toEqual([]);
  });
});

describe('PageCache', () => {
  it('fetches each page once, even when asked twice at once', async () => {
    const asked: number[] = [];
    const cache = new PageCache(async (offset, limit): Promise<BrowsePageDto> => {
      asked.push(offset);
      return { total: 450, offset, cards: Array.from({ length: Math.min(limit, 450 - offset) }, (_, i) => ({ id: `c${offset + i}` }) as never) };
    }, 200);
    await Promise.all([cache.load(1), cache.load(1), cache.load(2)]);
    await cache.load(1);
    expect(asked).toEqual([200, 400]);
    expect(cache.total).toBe(450);
    expect(cache.at(449)?.id).toBe('c449');
    expect(cache.at(0)).toBeUndefined();
  });
});

describe('labels', () => {
  it('names grades and states', () => {
    expect([0, 1, 2, 3, 4, 5].map(gradeName)).toEqual(['Again', 'Again', 'Again', 'Hard', 'Good', 'Easy']);
    expect(stateLabel({ state: 'review', suspended: true, buried_until: null, leech: true })).toBe('Leech, suspended');
    expect(stateLabel({ state: 'new', suspended: false, buried_until: '2026-03-03', leech: false })).toBe('Buried');
    expect(stateLabel({ state: 'learning', suspended: false, buried_until: null, leech: false })).toBe('Learning');
  });
});
