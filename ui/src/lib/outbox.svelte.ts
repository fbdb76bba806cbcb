// The page's one line of writes to notedeck (answers, and the suspends and
// buries given between them), shared by every visit to the review screen
// so that leaving it never reorders or loses what is still being sent.
//
// When notedeck cannot be reached (a phone off the home network) the line
// waits and tries again; `outbox` says so, for the page to show. Answers
// are also kept in the page's storage until recorded, and those a closed
// tab left behind are sent when the page opens again. Each answer carries
// a key, so one sent twice is recorded once.

import { afterNextPaint } from './afterPaint';
import { backend } from './api/backend';
import type { AnswerDto, AnswerRequest, QueueCardDto } from './api/types';
import { createWaker, isUnreachable, retryDelay } from './connection';
import { reportError } from './errors.svelte';
import { forgetPending, keepPending, loadPending, newAnswerKey, pageStore, toSend, type PendingAnswer } from './pendingAnswers';
import { createWriteQueue } from './writeQueue';

/** What the page shows about writes not yet made. */
export const outbox: { waiting: number; offlineSince: number | null } = $state({ waiting: 0, offlineSince: null });

/** The card a write is about; null for an answer kept from an earlier visit. */
export type WriteTag = QueueCardDto | null;

type FailureHandler = (tag: WriteTag, error: unknown, cancelled: WriteTag[]) => void;
let failureHandler: FailureHandler | null = null;

const waker = createWaker();
if (typeof window !== 'undefined') window.addEventListener('online', () => waker.wake());

/** The one line of writes. */
export const writes = createWriteQueue<WriteTag>({
  retry: { transient: isUnreachable, wait: (attempt) => waker.sleep(retryDelay(attempt)) },
  onWaiting: (error) => (outbox.offlineSince = error === null ? null : (outbox.offlineSince ?? Date.now())),
  onSizeChange: (size) => (outbox.waiting = size),
  onFailure: (tag, error, cancelled) => {
    if (failureHandler) failureHandler(tag, error, cancelled);
    else reportError(error, 'An answer was not saved');
  },
});

/** Who hears of a write that failed for good (the review screen on show); null: the error banner. */
export function onWriteFailure(handler: FailureHandler | null): void {
  failureHandler = handler;
}

/** Tries every waiting write now instead of at the end of its wait. */
export function tryNow(): void {
  waker.wake();
}

/** Answer keys this page has put in line (so leftovers are not sent twice by it). */
const sentHere = new Set<string>();

function sendPending(tag: WriteTag, pending: PendingAnswer): Promise<AnswerDto> {
  const key = pending.request.answer_key;
  sentHere.add(key);
  // Sent just after the frame that shows the next card (see afterPaint):
  // in line at once, so an undo waits for it.
  const settled = writes.push(tag, () => afterNextPaint().then(() => backend.answer(toSend(pending, Date.now()))));
  // Recorded, or refused for good: no longer kept either way.
  void settled.then(
    () => forgetPending(pageStore(), key),
    (error) => {
      if (!isUnreachable(error)) forgetPending(pageStore(), key);
    },
  );
  return settled;
}

/** Puts an answer in line (kept in storage until recorded); resolves when notedeck has it. */
export function sendAnswer(card: QueueCardDto, request: Omit<AnswerRequest, 'answer_key' | 'waited_ms'>): Promise<AnswerDto> {
  const pending: PendingAnswer = { request: { ...request, answer_key: newAnswerKey() }, givenAt: Date.now() };
  keepPending(pageStore(), pending);
  return sendPending(card, pending);
}

/** Sends the answers an earlier visit left in storage (once per page); resolves when they are through. */
export function sendLeftovers(): Promise<void> {
  for (const pending of loadPending(pageStore())) {
    if (!sentHere.has(pending.request.answer_key)) void sendPending(null, pending).catch(() => {});
  }
  return writes.settled();
}
