// The first screen's data, asked for as soon as the code runs (before the
// app is mounted), so the first card or the card browser's first rows do not
// wait for mounting first. Only for a start on `#/review` or `#/browse`;
// taken once, by the screen's first load.

import type { Backend } from './api/backend';
import type { BrowsePageDto, BrowseRequest, DaySummaryDto, QueueCardDto } from './api/types';
import { PAGE_SIZE } from './browse';
import { parseHash } from './route';
import type { LaunchAnswers } from './launch';

/** The first queue and the day's summary, each on its own way: the first
 * card is shown as soon as the queue is in, the summary filled in when it
 * comes (it counts every deck's cards, and takes longer). */
export interface FirstQueue {
  queue: Promise<QueueCardDto[]>;
  summary: Promise<DaySummaryDto>;
}

let pending: { deck: string | null; data: FirstQueue } | null = null;

/**
 * The queue, then the summary once the queue is in: the summary counts
 * every deck's cards, and asked beside the queue it would take the
 * collection and the processor from it and hold the first card back.
 */
export function firstQueue(queue: Promise<QueueCardDto[]>, summary: () => Promise<DaySummaryDto>): FirstQueue {
  return { queue, summary: queue.then(summary, summary) };
}

/** Starts loading today's queue when the page opens on the review screen. */
export function prefetchFirstQueue(
  hash: string,
  backend: Pick<Backend, 'due' | 'daySummary'>,
  launch: Pick<LaunchAnswers, 'deck' | 'due' | 'summary'> | null = null,
): void {
  const route = parseHash(hash);
  if (route.name !== 'review') return;
  const deck = route.params.deck || null;
  // The desktop app's own answers for this deck, when it made them at
  // launch: then the page asks nothing while it loads.
  const made = launch && launch.deck === deck ? launch : null;
  const queue = made ? Promise.resolve(made.due) : backend.due({ deck });
  const summary = made?.summary;
  const data = firstQueue(queue, () => (summary ? Promise.resolve(summary) : backend.daySummary({ deck })));
  // Unused or failed, they must not surface as unhandled rejections.
  data.queue.catch(() => {});
  data.summary.catch(() => {});
  pending = { deck, data };
}

/** The prefetched queue for `deck`, once; null when there is none. */
export function takeFirstQueue(deck: string | null): FirstQueue | null {
  const found = pending && pending.deck === deck ? pending.data : null;
  pending = null;
  return found;
}

let pendingPage: { search: string; data: Promise<BrowsePageDto>; at: number } | null = null;

/** A first page older than this is not used (the cards may have changed). */
const FIRST_PAGE_FRESH_MS = 10_000;

/** The card browser's first request for `search`, in its first order. */
export function firstPageRequest(search: string): BrowseRequest {
  return { search, sort: 'note', descending: false, offset: 0, limit: PAGE_SIZE };
}

/** Starts loading the card browser's first page when the page opens on it. */
export function prefetchFirstPage(hash: string, backend: Pick<Backend, 'browse'>): void {
  const route = parseHash(hash);
  if (route.name !== 'browse') return;
  const search = route.params.q ?? '';
  const data = backend.browse(firstPageRequest(search));
  data.catch(() => {});
  pendingPage = { search, data, at: Date.now() };
}

/** The prefetched first page for `request`, once; null when there is none. */
export function takeFirstPage(request: BrowseRequest): Promise<BrowsePageDto> | null {
  const wanted = firstPageRequest(request.search ?? '');
  const same =
    pendingPage !== null &&
    Date.now() - pendingPage.at < FIRST_PAGE_FRESH_MS &&
    pendingPage.search === wanted.search &&
    request.sort === wanted.sort &&
    request.descending === wanted.descending &&
    request.offset === wanted.offset &&
    request.limit === wanted.limit;
  const found = same && pendingPage ? pendingPage.data : null;
  pendingPage = null;
  return found;
}
