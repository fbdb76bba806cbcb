import { describe, expect, it, vi } from 'vitest';
import { createPerf, perfTarget, startTime, type NotedeckPerf, type PerfClock } from './perf';

/** A clock whose frames and later tasks run when the test says so. */
function fakeClock(start = 100) {
  let now = start;
  const frames: (() => void)[] = [];
  const tasks: (() => void)[] = [];
  const clock: PerfClock = {
    now: () => now,
    nextFrame: (cb) => void frames.push(cb),
    later: (cb) => void tasks.push(cb),
  };
  return {
    clock,
    advance: (ms: number) => (now += ms),
    frame: () => frames.splice(0).forEach((cb) => cb()),
    task: () => tasks.splice(0).forEach((cb) => cb()),
    pendingFrames: () => frames.length,
  };
}

const empty = (): NotedeckPerf => ({ firstCardMs: null, launchMs: null, nextCardMs: [] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('perf', () => {
  it('times the first card at the next frame, then asks for the launch time once, after the frame', async () => {
    const t = fakeClock(100);
    const target = empty();
    const askLaunch = vi.fn(async () => 1234);
    const perf = createPerf(target, t.clock, askLaunch);
    perf.cardShown();
    expect(target.firstCardMs).toBeNull();
    t.advance(7);
    t.frame();
    expect(target.firstCardMs).toBe(107);
    expect(askLaunch).not.toHaveBeenCalled();
    t.task();
    await settle();
    expect(askLaunch).toHaveBeenCalledOnce();
    expect(target.launchMs).toBe(1234);
    perf.cardShown();
    t.frame();
    t.task();
    expect(askLaunch).toHaveBeenCalledOnce();
    expect(target.firstCardMs).toBe(107);
    expect(target.nextCardMs).toEqual([]);
  });

  it("times the card browser's first rows at the next frame, once", () => {
    const t = fakeClock(50);
    const target = empty();
    const perf = createPerf(target, t.clock, async () => null);
    perf.rowsShown();
    expect(target.firstRowsMs).toBeUndefined();
    t.advance(9);
    t.frame();
    expect(target.firstRowsMs).toBe(59);
    perf.rowsShown();
    t.advance(100);
    t.frame();
    expect(target.firstRowsMs).toBe(59);
    expect(t.pendingFrames()).toBe(0);
  });

  it('leaves launchMs null when the question fails or has no answer', async () => {
    for (const askLaunch of [async () => null, () => Promise.reject(new Error('unknown command'))]) {
      const t = fakeClock();
      const target = empty();
      createPerf(target, t.clock, askLaunch).cardShown();
      t.frame();
      t.task();
      await settle();
      expect(target.launchMs).toBeNull();
      expect(target.firstCardMs).not.toBeNull();
    }
  });

  it('times each answer from its event to the frame after the next card', () => {
    const t = fakeClock(1000);
    const target = empty();
    const perf = createPerf(target, t.clock, async () => null);
    perf.cardShown();
    t.frame();
    t.advance(500);
    perf.answered(1495); // the key went down 5 ms ago
    t.advance(2);
    perf.cardShown();
    t.advance(9);
    t.frame();
    expect(target.nextCardMs).toEqual([16]);
    perf.answered(undefined);
    perf.cardShown();
    t.advance(4);
    t.frame();
    expect(target.nextCardMs).toEqual([16, 4]);
  });

  it('does not time an answer that ends the day, nor a card shown without an answer', () => {
    const t = fakeClock();
    const target = empty();
    const perf = createPerf(target, t.clock, async () => null);
    perf.cardShown();
    t.frame();
    perf.answered(t.clock.now());
    perf.noNextCard();
    perf.cardShown();
    expect(t.pendingFrames()).toBe(0);
    expect(target.nextCardMs).toEqual([]);
  });

  it('uses now for event times that are not performance.now() readings', () => {
    expect(startTime(50, 100)).toBe(50);
    expect(startTime(undefined, 100)).toBe(100);
    expect(startTime(0, 100)).toBe(100);
    expect(startTime(1.7e12, 100)).toBe(100);
    expect(startTime(Number.NaN, 100)).toBe(100);
  });

  it('keeps one object on the window', () => {
    const win: { __notedeckPerf?: NotedeckPerf } = {};
    const target = perfTarget(win);
    expect(win.__notedeckPerf).toBe(target);
    expect(perfTarget(win)).toBe(target);
    expect(target).toEqual({ firstCardMs: null, launchMs: null, nextCardMs: [] });
    expect(perfTarget(undefined)).toEqual(empty());
  });
});
