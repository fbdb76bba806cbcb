import { describe, expect, it } from 'vitest';
import { mergeQueue, preferCard, putBack, refreshNeeded, REFRESH_EVERY, repeatsWanted } from './reviewQueue';

const card = (id: string, version = 1) => ({ id, version });
const ids = (cards: { id: string }[]) => cards.map((c) => c.id);

describe('mergeQueue', () => {
  it('keeps the shown card at the front while it is still due, as the same object', () => {
    const shown = card('b');
    const merged = mergeQueue(shown, [card('a', 2), card('b', 2), card('c', 2)]);
    expect(ids(merged)).toEqual(['b', 'a', 'c']);
    expect(merged[0]).toBe(shown);
  });

  it('brings back same-day repeats at the end, in notedeck order', () => {
    expect(ids(mergeQueue(card('b'), [card('b'), card('c'), card('a')]))).toEqual(['b', 'c', 'a']);
  });

  it('gives way to the fresh queue when the shown card is no longer due', () => {
    expect(ids(mergeQueue(card('x'), [card('a'), card('b')]))).toEqual(['a', 'b']);
    expect(mergeQueue(card('x'), [])).toEqual([]);
  });

  it('takes the fresh queue when nothing is shown (repeats after an empty local queue)', () => {
    const fresh = [card('r')];
    const merged = mergeQueue(null, fresh);
    expect(ids(merged)).toEqual(['r']);
    expect(merged).not.toBe(fresh);
  });
});

describe('preferCard', () => {
  it('moves the card to the front', () => {
    expect(ids(preferCard([card('a'), card('b'), card('c')], 'c'))).toEqual(['c', 'a', 'b']);
  });

  it('leaves the order alone when the card is first, missing or not given', () => {
    const queue = [card('a'), card('b')];
    expect(ids(preferCard(queue, 'a'))).toEqual(['a', 'b']);
    expect(ids(preferCard(queue, 'zz'))).toEqual(['a', 'b']);
    expect(ids(preferCard(queue, undefined))).toEqual(['a', 'b']);
  });
});

describe('putBack', () => {
  it('puts the unsaved cards first, in order, each once', () => {
    expect(ids(putBack([card('c'), card('d')], [card('a'), card('b')]))).toEqual(['a', 'b', 'c', 'd']);
    expect(ids(putBack([card('c'), card('a')], [card('a'), card('a')]))).toEqual(['a', 'c']);
  });
});

describe('refreshNeeded', () => {
  it('refreshes when the card comes back today or the queue runs short', () => {
    expect(refreshNeeded('again', 50, 1)).toBe(true);
    expect(refreshNeeded('hard', 50, 1)).toBe(true);
    expect(refreshNeeded('good', 3, 1)).toBe(true);
    expect(refreshNeeded('easy', 0, 1)).toBe(true);
  });

  it('trusts the local queue otherwise, but not for ever', () => {
    expect(refreshNeeded('good', 50, 1)).toBe(false);
    expect(refreshNeeded('easy', 10, REFRESH_EVERY - 1)).toBe(false);
    expect(refreshNeeded('good', 50, REFRESH_EVERY)).toBe(true);
  });
});

describe('repeatsWanted', () => {
  it('wants repeats after Again or Hard and on a short queue, whatever the count', () => {
    expect(repeatsWanted('again', 50)).toBe(true);
    expect(repeatsWanted('hard', 50)).toBe(true);
    expect(repeatsWanted('good', 3)).toBe(true);
  });

  it('leaves the periodic refresh to the count of answers', () => {
    expect(repeatsWanted('good', 50)).toBe(false);
    expect(repeatsWanted('easy', 4)).toBe(false);
  });
});
