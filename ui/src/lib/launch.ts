// What the desktop app answered for the review page while its window was
// being built (`--review`): the settings, today's first queue and the day's
// summary, left on `window.__notedeckLaunch` by an initialization script,
// so the page asks nothing while it loads. The script runs again on every
// load of the page, so its answers are taken once per tab (a reload asks
// afresh) and only within seconds of when they were made.

import type { DaySummaryDto, QueueCardDto, SettingsDto } from './api/types';

/** The answers as the desktop app leaves them. */
export interface LaunchAnswers {
  /** When they were made, in ms since the epoch. */
  at: number;
  /** The deck of `--review DECK` (null: every deck). */
  deck: string | null;
  settings: SettingsDto;
  due: QueueCardDto[];
  /** The day's summary of that deck (absent when the app did not make it). */
  summary?: DaySummaryDto;
}

/** Answers older than this are not used (the page was slow to load). */
export const LAUNCH_FRESH_MS = 10_000;

/** The session storage key that marks the answers as taken in this tab. */
const TAKEN_KEY = 'notedeck-launch-taken';

declare global {
  interface Window {
    __notedeckLaunch?: unknown;
  }
}

interface LaunchWindow {
  __notedeckLaunch?: unknown;
}

/** The launch answers, once per tab and only fresh; null otherwise. */
export function takeLaunchAnswers(win: LaunchWindow, storage: Pick<Storage, 'getItem' | 'setItem'> | null, now: number): LaunchAnswers | null {
  const found = win.__notedeckLaunch as Partial<LaunchAnswers> | undefined;
  delete win.__notedeckLaunch;
  if (!found || typeof found.at !== 'number' || !Array.isArray(found.due) || typeof found.settings !== 'object' || found.settings === null) return null;
  if (now - found.at > LAUNCH_FRESH_MS || found.at - now > LAUNCH_FRESH_MS) return null;
  try {
    if (!storage || storage.getItem(TAKEN_KEY) !== null) return null;
    storage.setItem(TAKEN_KEY, String(found.at));
  } catch {
    return null;
  }
  const summary = typeof found.summary === 'object' && found.summary !== null ? found.summary : undefined;
  return { at: found.at, deck: typeof found.deck === 'string' ? found.deck : null, settings: found.settings, due: found.due, summary };
}
