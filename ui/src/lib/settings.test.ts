import { describe, expect, it } from 'vitest';
import { settingsProblems } from './settings';

describe('settingsProblems', () => {
  it('accepts whole numbers in range', () => {
    expect(settingsProblems({ new_per_day: 0, reviews_per_day: 200, rollover_hour: 23 })).toEqual({});
  });

  it('names each bad field', () => {
    expect(settingsProblems({ new_per_day: -1, reviews_per_day: 1.5, rollover_hour: 24 })).toEqual({
      new_per_day: 'A whole number, 0 or more.',
      reviews_per_day: 'A whole number, 0 or more.',
      rollover_hour: 'An hour from 0 to 23.',
    });
  });

  it('treats an emptied number field (null) as a problem', () => {
    expect(settingsProblems({ new_per_day: null, reviews_per_day: 1, rollover_hour: 4 })).toHaveProperty('new_per_day');
  });
});
