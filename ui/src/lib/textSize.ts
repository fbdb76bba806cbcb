// The size of card text (front and back), kept in localStorage and applied
// as the `--card-scale` CSS variable on <html>: the rest of the app keeps
// its size.

export type TextSize = 'small' | 'normal' | 'large' | 'larger';
export const TEXT_SIZE_KEY = 'notedeck.card-text-size';

export const TEXT_SIZES: readonly { value: TextSize; label: string; scale: number }[] = [
  { value: 'small', label: 'Small', scale: 0.9 },
  { value: 'normal', label: 'Normal', scale: 1 },
  { value: 'large', label: 'Large', scale: 1.15 },
  { value: 'larger', label: 'Larger', scale: 1.3 },
];

export function parseTextSize(value: string | null | undefined): TextSize {
  return TEXT_SIZES.find((s) => s.value === value)?.value ?? 'normal';
}

export function textScale(size: TextSize): number {
  return TEXT_SIZES.find((s) => s.value === size)?.scale ?? 1;
}

export function loadTextSize(): TextSize {
  try {
    return parseTextSize(window.localStorage.getItem(TEXT_SIZE_KEY));
  } catch {
    return 'normal';
  }
}

/** Applies `size` to the page and keeps it for next time. */
export function applyTextSize(size: TextSize, save = false): void {
  document.documentElement.style.setProperty('--card-scale', String(textScale(size)));
  if (!save) return;
  try {
    window.localStorage.setItem(TEXT_SIZE_KEY, size);
  } catch {
    // Storage disabled: the size lasts for this page only.
  }
}
