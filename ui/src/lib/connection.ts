// Waiting for the network to come back: how long before an answer that
// could not reach notedeck is tried again. The wait grows (1 s, 2 s, 4 s …
// up to 30 s) and ends early when the browser says it is online again or
// the learner asks to try now.

import { isBackendError } from './api/backend';

/** The longest wait between two tries. */
export const MAX_RETRY_MS = 30_000;

/** The wait before try `attempt` (from 1): doubling from 1 s, at most 30 s. */
export function retryDelay(attempt: number): number {
  return Math.min(MAX_RETRY_MS, 1000 * 2 ** Math.max(0, Math.min(attempt - 1, 15)));
}

/** True for a failure to wait out: notedeck could not be reached (or the reply was lost). */
export function isUnreachable(error: unknown): boolean {
  return isBackendError(error) && error.code === 'network';
}

/** Wakes every wait at once (the network is back, or "Try now"). */
export function createWaker() {
  let sleepers: (() => void)[] = [];
  return {
    /** Resolves after `ms`, or sooner when woken. */
    sleep(ms: number): Promise<void> {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          sleepers = sleepers.filter((s) => s !== done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        sleepers.push(done);
      });
    },
    /** Ends every sleep now. */
    wake(): void {
      for (const done of [...sleepers]) done();
    },
  };
}
