import { describe, expect, it } from 'vitest';
import { href, parseHash } from './route';

describe('parseHash', () => {
  it('reads the five screens', () => {
    expect(parseHash('').name).toBe('decks');
    expect(parseHash('#/').name).toBe('decks');
    expect(parseHash('#/review').name).toBe('review');
    expect(parseHash('#/import').name).toBe('import');
    expect(parseHash('#/stats').name).toBe('stats');
    expect(parseHash('#/settings/').name).toBe('settings');
    expect(parseHash('#/nope').name).toBe('not-found');
  });

  it('reads parameters, deck names with :: and spaces included', () => {
    const route = parseHash(href('review', { deck: 'Exam::Week 1 & 2' }));
    expect(route).toEqual({ name: 'review', params: { deck: 'Exam::Week 1 & 2' } });
  });
});

describe('href', () => {
  it('leaves out empty parameters', () => {
    expect(href('decks')).toBe('#/');
    expect(href('review', { deck: null })).toBe('#/review');
    expect(href('review', { deck: 'a b' })).toBe('#/review?deck=a+b');
  });
});
