import { describe, expect, it } from 'vitest';
import { parseTextSize, textScale } from './textSize';

describe('card text size', () => {
  it('reads a stored size, and anything else as normal', () => {
    expect(parseTextSize('large')).toBe('large');
    expect(parseTextSize('huge')).toBe('normal');
    expect(parseTextSize(null)).toBe('normal');
  });
  it('scales card text only by a modest factor', () => {
    expect(textScale('normal')).toBe(1);
    expect(textScale('small')).toBeLessThan(1);
    expect(textScale('larger')).toBeGreaterThan(textScale('large'));
  });
});
