// Chart colours come from the theme's CSS custom properties.

export interface Palette {
  text: string;
  muted: string;
  grid: string;
  again: string;
  hard: string;
  good: string;
  easy: string;
  accent: string;
  accentSoft: string;
}

export function readPalette(): Palette {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#222'),
    muted: v('--muted', '#666'),
    grid: v('--grid', '#ddd'),
    again: v('--again', '#b4483c'),
    hard: v('--hard', '#a86b12'),
    good: v('--good', '#2e7d57'),
    easy: v('--easy', '#2f6896'),
    accent: v('--accent', '#2f6f5e'),
    accentSoft: v('--accent-soft', '#dcebe4'),
  };
}
