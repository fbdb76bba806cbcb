// The review screen's local queue: answers take the card off at once, and a
// fresh queue from notedeck (fetched in the background after each saved
// answer) is merged in without taking away the card being looked at.

/**
 * The queue to show after a refresh: `fresh` in notedeck's order, with the
 * card on screen kept at the front (as the object already shown, so nothing
 * on screen changes) while notedeck still has it due. A shown card that is
 * no longer due gives way to the fresh queue's first card.
 */
export function mergeQueue<T extends { id: string }>(shown: T | null, fresh: readonly T[]): T[] {
  if (shown === null || !fresh.some((card) => card.id === shown.id)) return [...fresh];
  return [shown, ...fresh.filter((card) => card.id !== shown.id)];
}

/** `queue` with the card `id` moved to the front, when it is there. */
export function preferCard<T extends { id: string }>(queue: readonly T[], id: string | null | undefined): T[] {
  const at = id ? queue.findIndex((card) => card.id === id) : -1;
  if (at <= 0) return [...queue];
  return [queue[at], ...queue.slice(0, at), ...queue.slice(at + 1)];
}

/**
 * The queue after a failed answer: the cards whose answers were not saved
 * (the failed one first, then the ones dropped behind it) go back to the
 * front, ahead of everything else, each once.
 */
export function putBack<T extends { id: string }>(queue: readonly T[], unsaved: readonly T[]): T[] {
  const ids = new Set<string>();
  const front: T[] = [];
  for (const card of unsaved) {
    if (ids.has(card.id)) continue;
    ids.add(card.id);
    front.push(card);
  }
  return [...front, ...queue.filter((card) => !ids.has(card.id))];
}

/** Answers after which the queue is refreshed anyway (other devices, edits). */
export const REFRESH_EVERY = 20;

/**
 * Whether an answer may leave the local queue short of cards notedeck has:
 * an Again or Hard answer brings its card back later today, and a short
 * local queue may need the server's repeats. Such a refresh is wanted until
 * one gets through.
 */
export function repeatsWanted(grade: 'again' | 'hard' | 'good' | 'easy', left: number): boolean {
  return grade === 'again' || grade === 'hard' || left <= 3;
}

/**
 * Whether a saved answer calls for fetching the queue again: when repeats
 * are wanted (`repeatsWanted`), and now and then anyway, counting the
 * answers since the latest refresh began (one overtaken by an answer is not
 * begun again after every later answer: each took time from a next card's
 * frame). Otherwise the local queue is right, and refreshing after every
 * answer would only take time from the next card's frame.
 */
export function refreshNeeded(grade: 'again' | 'hard' | 'good' | 'easy', left: number, answersSinceRefresh: number): boolean {
  return repeatsWanted(grade, left) || answersSinceRefresh >= REFRESH_EVERY;
}
