import { describe, expect, it } from 'vitest';
import { afterNextPaint, type FrameClock } from './afterPaint';

/** A clock whose frames and timers run when the test says. */
function fakeClock(visible = true) {
  const frames: (() => void)[] = [];
  const timers: { at: number; run: () => void }[] = [];
  let now = 0;
  const clock: FrameClock = {
    visible: () => visible,
    nextFrame: (callback) => frames.push(callback),
    later: (callback, ms) => timers.push({ at: now + ms, run: callback }),
  };
  return {
    clock,
    frame() {
      for (const callback of frames.splice(0)) callback();
    },
    advance(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      for (const t of due) timers.splice(timers.indexOf(t), 1);
      for (const t of due) t.run();
    },
  };
}

async function settledYet(promise: Promise<void>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await Promise.resolve();
  await Promise.resolve();
  return settled;
}

describe('afterNextPaint', () => {
  it('waits for the next frame and then the task after it', async () => {
    const fake = fakeClock();
    const waiting = afterNextPaint(fake.clock, 100);
    expect(await settledYet(waiting)).toBe(false);
    fake.advance(0);
    expect(await settledYet(waiting)).toBe(false);
    fake.frame();
    expect(await settledYet(waiting)).toBe(false);
    fake.advance(0);
    expect(await settledYet(waiting)).toBe(true);
  });

  it('does not wait on a hidden page or without a clock', async () => {
    expect(await settledYet(afterNextPaint(fakeClock(false).clock, 100))).toBe(true);
    expect(await settledYet(afterNextPaint(null, 100))).toBe(true);
  });

  it('gives up on a frame that never comes', async () => {
    const fake = fakeClock();
    const waiting = afterNextPaint(fake.clock, 100);
    fake.advance(99);
    expect(await settledYet(waiting)).toBe(false);
    fake.advance(1);
    expect(await settledYet(waiting)).toBe(true);
  });
});
