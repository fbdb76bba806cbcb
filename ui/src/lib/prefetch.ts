// The first review screen's data, asked for as soon as the code runs (before
// the app is mounted), so the first card does not wait for mounting first.
// Only for a start on `#/review`; taken once, by the first load of the queue.

import type { Backend } from './api/backend';
import type { DaySummaryDto, QueueCardDto } from './api/types';
import { parseHash } from './route';

type FirstQueue = Promise<[QueueCardDto[], DaySummaryDto]>;

let pending: { deck: string | null; data: FirstQueue } | null = null;

/** Starts loading today's queue when the page opens on the review screen. */
export function prefetchFirstQueue(hash: string, backend: Pick<Backend, 'due' | 'daySummary'>): void {
  const route = parseHash(hash);
  if (route.name !== 'review') return;
  const deck = route.params.deck || null;
  const data: FirstQueue = Promise.all([backend.due(deck), backend.daySummary(deck)]);
  // Unused or failed, it must not surface as an unhandled rejection.
  data.catch(() => {});
  pending = { deck, data };
}

/** The prefetched queue for `deck`, once; null when there is none. */
export function takeFirstQueue(deck: string | null): FirstQueue | null {
  const found = pending && pending.deck === deck ? pending.data : null;
  pending = null;
  return found;
}
