import { describe, expect, it } from 'vitest';
import { LAUNCH_FRESH_MS, takeLaunchAnswers } from './launch';

const storage = () => {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
};
const answers = (at: number) => ({ at, deck: 'Exam', settings: { remote_images: false }, due: [] });

describe('takeLaunchAnswers', () => {
  it('takes fresh answers once per tab, and leaves nothing on the window', () => {
    const tab = storage();
    const win: { __notedeckLaunch?: unknown } = { __notedeckLaunch: answers(1_000) };
    const taken = takeLaunchAnswers(win, tab, 1_500);
    expect(taken?.deck).toBe('Exam');
    expect(taken?.due).toEqual([]);
    expect(taken?.summary).toBeUndefined();
    expect(win.__notedeckLaunch).toBeUndefined();
    // A reload runs the app's script again: the same tab asks afresh.
    win.__notedeckLaunch = answers(1_000);
    expect(takeLaunchAnswers(win, tab, 2_000)).toBeNull();
  });

  it('takes the day summary when the app made one', () => {
    const summary = { day: '2026-03-01' };
    const taken = takeLaunchAnswers({ __notedeckLaunch: { ...answers(1_000), summary } }, storage(), 1_000);
    expect(taken?.summary).toEqual(summary);
  });

  it('leaves stale, malformed or absent answers, and works without storage only by asking', () => {
    expect(takeLaunchAnswers({ __notedeckLaunch: answers(1_000) }, storage(), 1_000 + LAUNCH_FRESH_MS + 1)).toBeNull();
    expect(takeLaunchAnswers({ __notedeckLaunch: { at: 1_000, due: 'x', settings: {} } }, storage(), 1_000)).toBeNull();
    expect(takeLaunchAnswers({}, storage(), 1_000)).toBeNull();
    expect(takeLaunchAnswers({ __notedeckLaunch: answers(1_000) }, null, 1_000)).toBeNull();
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => {} };
    expect(takeLaunchAnswers({ __notedeckLaunch: answers(1_000) }, broken, 1_000)).toBeNull();
  });
});
