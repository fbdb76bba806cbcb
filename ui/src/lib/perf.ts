// Timings the benchmarks read from `window.__notedeckPerf`:
//
// - `firstCardMs`: `performance.now()` (ms since the page started loading)
//   in the first animation frame after the first card is in the DOM;
// - `nextCardMs`: for each answer followed by a card, ms from the answering
//   event's `timeStamp` (key or click) to the first animation frame after
//   the next card is in the DOM. An answer that leads to the end-of-day
//   screen is not timed;
// - `launchMs`: in the desktop app only, what `first_card_shown` answers (ms
//   since the desktop process started), asked once after the first card was
//   painted. Null in a browser or when the question fails;
// - `firstRowsMs`: `performance.now()` in the first animation frame after
//   the card browser's first rows are in the DOM (its first load only).

import { backend } from './api/backend';

export interface NotedeckPerf {
  firstCardMs: number | null;
  launchMs: number | null;
  nextCardMs: number[];
  firstRowsMs?: number | null;
}

declare global {
  interface Window {
    __notedeckPerf?: NotedeckPerf;
  }
}

export interface PerfClock {
  now(): number;
  /** Runs `callback` in the next animation frame (before it is painted). */
  nextFrame(callback: () => void): void;
  /** Runs `callback` soon after the current task (after the frame is painted). */
  later(callback: () => void): void;
}

export interface PerfRecorder {
  /** An answer was given by an event with this `timeStamp` (or now). */
  answered(eventTimeStamp?: number): void;
  /** A card is in the DOM: times it at the next frame. */
  cardShown(): void;
  /** No next card comes after the last answer (the end of the day). */
  noNextCard(): void;
  /** The card browser's rows are in the DOM: the first time, times them at the next frame. */
  rowsShown(): void;
}

/** The event's time when it is a usable `performance.now()` reading, else now. */
export function startTime(eventTimeStamp: number | undefined, now: number): number {
  return eventTimeStamp !== undefined && Number.isFinite(eventTimeStamp) && eventTimeStamp > 0 && eventTimeStamp <= now
    ? eventTimeStamp
    : now;
}

export function createPerf(
  target: NotedeckPerf,
  clock: PerfClock,
  askLaunch: () => Promise<number | null>,
): PerfRecorder {
  let pending: number | null = null;
  let firstTaken = target.firstCardMs !== null;
  let rowsTaken = target.firstRowsMs !== undefined && target.firstRowsMs !== null;

  return {
    answered(eventTimeStamp) {
      pending = startTime(eventTimeStamp, clock.now());
    },
    noNextCard() {
      pending = null;
    },
    rowsShown() {
      if (rowsTaken) return;
      rowsTaken = true;
      clock.nextFrame(() => {
        target.firstRowsMs = clock.now();
      });
    },
    cardShown() {
      const start = pending;
      pending = null;
      const first = !firstTaken;
      firstTaken = true;
      if (start === null && !first) return;
      clock.nextFrame(() => {
        const now = clock.now();
        if (start !== null) target.nextCardMs.push(now - start);
        if (!first) return;
        target.firstCardMs = now;
        clock.later(() => {
          askLaunch().then(
            (ms) => {
              if (typeof ms === 'number' && Number.isFinite(ms)) target.launchMs = ms;
            },
            () => {
              // Only the desktop app answers; a failure leaves launchMs null.
            },
          );
        });
      });
    },
  };
}

/** The `__notedeckPerf` object on `win`, created when missing. */
export function perfTarget(win: { __notedeckPerf?: NotedeckPerf } | undefined): NotedeckPerf {
  const fresh: NotedeckPerf = { firstCardMs: null, launchMs: null, nextCardMs: [] };
  if (!win) return fresh;
  win.__notedeckPerf ??= fresh;
  return win.__notedeckPerf;
}

const browserClock: PerfClock = {
  now: () => performance.now(),
  nextFrame: (callback) => {
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => callback());
    else setTimeout(callback, 0);
  },
  later: (callback) => setTimeout(callback, 0),
};

export const perf: PerfRecorder = createPerf(
  perfTarget(typeof window === 'undefined' ? undefined : window),
  browserClock,
  () => backend.firstCardShown(),
);
