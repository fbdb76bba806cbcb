// Answers not yet known to be recorded, kept in the page's storage so that
// a phone whose browser drops the tab while offline still sends them when
// the page is opened again. Each carries the key that makes sending it
// twice harmless, and the wall-clock time it was given (the server records
// it then, `waited_ms` before it arrives).

import type { AnswerRequest } from './api/types';

/** An answer kept until notedeck has it. */
export interface PendingAnswer {
  /** The answer, its `answer_key` set; `waited_ms` is filled in when sent. */
  request: AnswerRequest & { answer_key: string };
  /** When it was given (ms since the epoch, this device's clock). */
  givenAt: number;
}

/** The part of `localStorage` used (a map in unit tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const STORAGE_KEY = 'notedeck.pendingAnswers';

/** At most this many answers are kept (the oldest are let go first). */
export const MAX_PENDING = 2000;

/** A new answer key: 128 random bits as 32 hex digits (no secure context needed). */
export function newAnswerKey(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  return Array.from(random(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The request to send for `pending` at `now`: with how long it waited. */
export function toSend(pending: PendingAnswer, now: number): AnswerRequest {
  return { ...pending.request, waited_ms: Math.max(0, Math.round(now - pending.givenAt)) };
}

/** The kept answers, in the order they were given; nothing when storage is unusable. */
export function loadPending(store: KeyValueStore | null): PendingAnswer[] {
  try {
    const parsed: unknown = JSON.parse(store?.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isPending) : [];
  } catch {
    return [];
  }
}

/** Keeps `pending` after those already kept. */
export function keepPending(store: KeyValueStore | null, pending: PendingAnswer): void {
  save(store, [...loadPending(store), pending].slice(-MAX_PENDING));
}

/** Lets go of the answer with `key` (recorded, or refused for good). */
export function forgetPending(store: KeyValueStore | null, key: string): void {
  const kept = loadPending(store);
  const left = kept.filter((p) => p.request.answer_key !== key);
  if (left.length !== kept.length) save(store, left);
}

function save(store: KeyValueStore | null, pending: PendingAnswer[]): void {
  try {
    if (pending.length === 0) store?.removeItem(STORAGE_KEY);
    else store?.setItem(STORAGE_KEY, JSON.stringify(pending));
  } catch {
    // Storage full or blocked: the answer is still kept in the page.
  }
}

function isPending(value: unknown): value is PendingAnswer {
  const p = value as PendingAnswer;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.givenAt === 'number' &&
    typeof p.request === 'object' &&
    p.request !== null &&
    typeof p.request.card_id === 'string' &&
    typeof p.request.answer_key === 'string'
  );
}

/** The page's own storage, or null where it cannot be used. */
export function pageStore(): KeyValueStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
