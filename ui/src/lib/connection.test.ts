import { describe, expect, it, vi } from 'vitest';
import { createWaker, isUnreachable, retryDelay } from './connection';

describe('waiting for the network', () => {
  it('waits 1 s, then twice as long each time, at most 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(retryDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('waits out only failures to reach notedeck', () => {
    expect(isUnreachable({ code: 'network', message: 'Cannot reach the notedeck server.' })).toBe(true);
    expect(isUnreachable({ code: 'card_not_found', message: 'no card' })).toBe(false);
    expect(isUnreachable(new Error('boom'))).toBe(false);
  });

  it('ends every wait at once when woken, and each on its own after its time', async () => {
    vi.useFakeTimers();
    const waker = createWaker();
    const ended: string[] = [];
    void waker.sleep(30_000).then(() => ended.push('long'));
    void waker.sleep(100).then(() => ended.push('short'));
    await vi.advanceTimersByTimeAsync(150);
    expect(ended).toEqual(['short']);
    waker.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(ended).toEqual(['short', 'long']);
    vi.useRealTimers();
  });
});
