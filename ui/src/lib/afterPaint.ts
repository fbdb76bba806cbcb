// Work a key press starts that need not delay the frame it changes: the
// review screen shows the next card at once, and sends the answer to
// notedeck (a request the page must prepare on its main thread) just after
// that frame is painted. The answer is kept in the page's storage before
// anything else (see outbox), so waiting a frame risks nothing.

/** What `afterNextPaint` needs of the page. */
export interface FrameClock {
  /** False when the page is hidden: no frame comes then. */
  visible(): boolean;
  /** Runs `callback` before the next frame is painted. */
  nextFrame(callback: () => void): void;
  /** Runs `callback` in a task of its own after `ms`. */
  later(callback: () => void, ms: number): void;
}

/** The page's own clock (none outside a browser: nothing waits then). */
export const pageClock: FrameClock | null =
  typeof window === 'undefined' || typeof window.requestAnimationFrame !== 'function'
    ? null
    : {
        visible: () => document.visibilityState === 'visible',
        nextFrame: (callback) => window.requestAnimationFrame(() => callback()),
        later: (callback, ms) => void window.setTimeout(callback, ms),
      };

/**
 * Resolves in the first task after the next frame is painted; at once when
 * the page is hidden or there is no clock, and after `limitMs` at the
 * latest (a frame that never comes must not hold an answer back).
 */
export function afterNextPaint(clock: FrameClock | null = pageClock, limitMs = 100): Promise<void> {
  if (clock === null || !clock.visible()) return Promise.resolve();
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve();
    };
    clock.nextFrame(() => clock.later(finish, 0));
    clock.later(finish, limitMs);
  });
}
