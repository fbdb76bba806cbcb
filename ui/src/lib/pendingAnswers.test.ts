import { describe, expect, it } from 'vitest';
import { forgetPending, keepPending, loadPending, newAnswerKey, toSend, type KeyValueStore } from './pendingAnswers';

function memoryStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

const answer = (key: string, givenAt: number) => ({
  request: { card_id: `card-${key}`, grade: 'good' as const, answer_key: key },
  givenAt,
});

describe('pending answers', () => {
  it('keeps answers in the order given and lets each go by its key', () => {
    const store = memoryStore();
    keepPending(store, answer('a', 1));
    keepPending(store, answer('b', 2));
    keepPending(store, answer('c', 3));
    forgetPending(store, 'b');
    expect(loadPending(store).map((p) => p.request.answer_key)).toEqual(['a', 'c']);
    forgetPending(store, 'a');
    forgetPending(store, 'c');
    expect(store.map.size).toBe(0);
  });

  it('reads nothing from damaged or foreign storage, and works without storage', () => {
    const store = memoryStore();
    store.setItem('notedeck.pendingAnswers', '{not json');
    expect(loadPending(store)).toEqual([]);
    store.setItem('notedeck.pendingAnswers', JSON.stringify([{ request: { card_id: 1 } }, answer('ok', 5)]));
    expect(loadPending(store).map((p) => p.request.answer_key)).toEqual(['ok']);
    keepPending(null, answer('x', 1));
    expect(loadPending(null)).toEqual([]);
  });

  it('sends how long an answer waited, never less than nothing', () => {
    expect(toSend(answer('a', 1_000), 61_000).waited_ms).toBe(60_000);
    expect(toSend(answer('a', 5_000), 1_000).waited_ms).toBe(0);
  });

  it('makes keys of 32 hex digits from random bytes', () => {
    expect(newAnswerKey((b) => b.fill(171))).toBe('ab'.repeat(16));
    expect(newAnswerKey()).toMatch(/^[0-9a-f]{32}$/);
    expect(newAnswerKey()).not.toBe(newAnswerKey());
  });
});
