import { describe, expect, it } from 'vitest';
import { applyFontChoice, fontChoice } from './fonts';

const webkitGtk = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15';
const mac = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko)';
const android = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0 Mobile Safari/537.36';

describe('fontChoice', () => {
  it("asks fontconfig's own fonts only in the desktop window on Linux", () => {
    expect(fontChoice(true, webkitGtk)).toBe('system');
    expect(fontChoice(true, mac)).toBe('stacks');
    expect(fontChoice(false, webkitGtk)).toBe('stacks');
    expect(fontChoice(true, android)).toBe('stacks');
  });

  it('marks the root element, and unmarks it', () => {
    const root = { dataset: {} as Record<string, string> } as unknown as HTMLElement;
    applyFontChoice(root, 'system');
    expect(root.dataset.fonts).toBe('system');
    applyFontChoice(root, 'stacks');
    expect(root.dataset.fonts).toBeUndefined();
  });
});
