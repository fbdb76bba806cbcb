import { describe, expect, it, vi } from 'vitest';
import { firstPageRequest, firstQueue, prefetchFirstPage, prefetchFirstQueue, takeFirstPage, takeFirstQueue } from './prefetch';
import type { BrowsePageDto, DaySummaryDto } from './api/types';

const fakeBackend = () => ({
  due: vi.fn(async () => []),
  daySummary: vi.fn(async () => ({ day: '2026-03-01', answers: 0, cards: 0, again: 0, time_ms: 0, due_tomorrow: 0, new_waiting: 0, due_waiting: 0, reading_waiting: 0, held_back: null })),
});

describe('prefetchFirstQueue', () => {
  it('asks for the review queue of the deck in the address, once', async () => {
    const backend = fakeBackend();
    prefetchFirstQueue('#/review?deck=Exam', backend);
    expect(backend.due).toHaveBeenCalledWith({ deck: 'Exam' });
    expect(takeFirstQueue('Other')).toBeNull();
    prefetchFirstQueue('#/review?deck=Exam', backend);
    const data = takeFirstQueue('Exam');
    expect(data).not.toBeNull();
    expect(await data!.queue).toEqual([]);
    expect((await data!.summary).day).toBe('2026-03-01');
    expect(takeFirstQueue('Exam')).toBeNull();
  });

  it('asks for the summary only once the queue is in (or failed)', async () => {
    let release: (cards: never[]) => void = () => {};
    const queue = new Promise<never[]>((resolve) => (release = resolve));
    const summary = vi.fn(async () => fakeBackend().daySummary());
    const first = firstQueue(queue, summary);
    await Promise.resolve();
    expect(summary).not.toHaveBeenCalled();
    release([]);
    expect((await first.summary).day).toBe('2026-03-01');
    expect(summary).toHaveBeenCalledTimes(1);
    const failed = firstQueue(Promise.reject(new Error('gone')), summary);
    await expect(failed.queue).rejects.toThrow('gone');
    expect((await failed.summary).day).toBe('2026-03-01');
  });

  it("uses the desktop app's launch answer for the same deck instead of asking", async () => {
    const backend = fakeBackend();
    // The hash as the desktop app writes it (percent-encoded), the deck as it was given.
    prefetchFirstQueue('#/review?deck=Exam%20week%2B1', backend, { deck: 'Exam week+1', due: [] });
    expect(backend.due).not.toHaveBeenCalled();
    const data = takeFirstQueue('Exam week+1');
    expect(await data!.queue).toEqual([]);
    expect(backend.daySummary).toHaveBeenCalledWith({ deck: 'Exam week+1' });
    prefetchFirstQueue('#/review', backend, { deck: 'Exam week+1', due: [] });
    expect(backend.due).toHaveBeenCalledWith({ deck: null });
    takeFirstQueue(null);
  });

  it("asks nothing when the launch answers hold the day's summary too", async () => {
    const backend = fakeBackend();
    const summary = { day: '2026-04-02' } as DaySummaryDto;
    prefetchFirstQueue('#/review', backend, { deck: null, due: [], summary });
    const data = takeFirstQueue(null);
    expect(await data!.summary).toBe(summary);
    expect(backend.due).not.toHaveBeenCalled();
    expect(backend.daySummary).not.toHaveBeenCalled();
  });

  it('does nothing on other screens', () => {
    const backend = fakeBackend();
    prefetchFirstQueue('#/stats', backend);
    prefetchFirstQueue('', backend);
    expect(backend.due).not.toHaveBeenCalled();
    expect(takeFirstQueue(null)).toBeNull();
  });
});

describe('prefetchFirstPage', () => {
  const page: BrowsePageDto = { total: 0, offset: 0, cards: [] };

  it("asks for the card browser's first page of the search in the address, once", async () => {
    const backend = { browse: vi.fn(async () => page) };
    prefetchFirstPage('#/browse?q=state%3Anew', backend);
    expect(backend.browse).toHaveBeenCalledWith(firstPageRequest('state:new'));
    expect(takeFirstPage({ ...firstPageRequest('state:new'), sort: 'due' })).toBeNull();
    prefetchFirstPage('#/browse?q=state%3Anew', backend);
    const data = takeFirstPage(firstPageRequest('state:new'));
    expect(await data).toBe(page);
    expect(takeFirstPage(firstPageRequest('state:new'))).toBeNull();
  });

  it('does nothing on other screens', () => {
    const backend = { browse: vi.fn(async () => page) };
    prefetchFirstPage('#/review', backend);
    expect(backend.browse).not.toHaveBeenCalled();
    expect(takeFirstPage(firstPageRequest(''))).toBeNull();
  });
});
