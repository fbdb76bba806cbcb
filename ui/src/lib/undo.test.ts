import { describe, expect, it } from 'vitest';
import { needsAsking, undoQuestion } from './undo';
import type { UndoStepDto } from './api/types';

const step = (over: Partial<UndoStepDto>): UndoStepDto => ({
  id: 'a',
  what: 'answer',
  card_id: 'c',
  heading: 'Tides',
  cards: 1,
  day: '2026-03-02',
  at: '2026-03-02T09:14:00.000Z',
  today: true,
  description: 'Good on “Tides”, answered today (2026-03-02 09:14 UTC)',
  ...over,
});

describe('needsAsking', () => {
  it('takes back the learner’s own step of today without asking', () => {
    expect(needsAsking(step({}), new Set(['a']))).toBe(false);
  });
  it('asks about a step of an earlier day, even one of this screen', () => {
    expect(needsAsking(step({ today: false }), new Set(['a']))).toBe(true);
  });
  it('asks about a step taken elsewhere', () => {
    expect(needsAsking(step({}), new Set(['b']))).toBe(true);
  });
  it('names the card and when', () => {
    expect(undoQuestion(step({}))).toBe('Take back Good on “Tides”, answered today (2026-03-02 09:14 UTC)?');
  });
});
