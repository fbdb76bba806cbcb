// Which fonts the page asks for. The stylesheet's stacks name the good
// fonts of each system (`--font-ui`, `--font-card`, `--font-mono` in
// app.css). In the desktop app on Linux the window is WebKitGTK, which asks
// fontconfig for each family of a stack until one is installed: about ten
// milliseconds for each family that is not, all before the first frame
// (the review's first card was painted about 150 ms later for them). There
// the page asks for fontconfig's generic families instead (`system-ui`,
// `serif`, `monospace`), which are the fonts the user's own fontconfig
// chooses.

/** The `data-fonts` value of the root element: `system` for fontconfig's own choices. */
export type FontChoice = 'system' | 'stacks';

/** `system` in the desktop window on Linux; the stylesheet's stacks elsewhere. */
export function fontChoice(desktopWindow: boolean, userAgent: string): FontChoice {
  return desktopWindow && /\bLinux\b/.test(userAgent) && !/\bAndroid\b/.test(userAgent) ? 'system' : 'stacks';
}

/** Marks the root element with the choice (before the first frame, so it is laid out once). */
export function applyFontChoice(root: HTMLElement, choice: FontChoice): void {
  if (choice === 'system') root.dataset.fonts = 'system';
  else delete root.dataset.fonts;
}
