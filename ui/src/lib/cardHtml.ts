// Finishing touches on card HTML after it is inserted: KaTeX for math, and
// links to the web opened outside the app. The HTML itself is sanitised by
// the core before it reaches the UI.

import katex from 'katex';

export function enhanceCardHtml(root: HTMLElement): void {
  for (const el of root.querySelectorAll<HTMLElement>('.math')) {
    if (el.dataset.rendered === 'true') continue;
    const tex = el.textContent ?? '';
    try {
      // katex.render builds DOM nodes (no HTML strings, no inline <style>).
      katex.render(tex, el, {
        displayMode: el.classList.contains('math-display'),
        throwOnError: false,
        trust: false,
        strict: 'ignore',
      });
    } catch {
      el.textContent = tex;
      el.classList.add('math-error');
    }
    el.dataset.rendered = 'true';
  }
  for (const link of root.querySelectorAll<HTMLAnchorElement>('a[href]')) {
    if (/^https?:/i.test(link.getAttribute('href') ?? '')) {
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
    }
  }
}
