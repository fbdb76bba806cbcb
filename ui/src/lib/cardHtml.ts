// Finishing touches on card HTML after it is inserted: KaTeX for math,
// links to the web opened outside the app, and images loaded from where the
// transport keeps them. The HTML itself is sanitised by the core before it
// reaches the UI.

import type katexModule from 'katex';
import { backend } from './api/backend';

type Katex = typeof katexModule;

// KaTeX (and its stylesheet) is most of the UI's code, and most cards have
// no math: it loads on first use, or in the background once the first card
// is on screen (`preloadMath`), so the first card does not wait for it.
let katex: Katex | null = null;
let katexLoading: Promise<Katex> | null = null;

function loadKatex(): Promise<Katex> {
  katexLoading ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(([module]) => {
    katex = module.default;
    return katex;
  });
  return katexLoading;
}

/** Starts loading the math renderer when the browser is idle. */
export function preloadMath(): void {
  const start = () => void loadKatex().catch(() => (katexLoading = null));
  if (typeof requestIdleCallback === 'function') requestIdleCallback(start, { timeout: 2000 });
  else setTimeout(start, 200);
}

/** Typesets the `.math` elements under `root` with `renderer`. */
function renderMath(root: ParentNode, renderer: Katex): void {
  for (const el of root.querySelectorAll<HTMLElement>('.math')) {
    if (el.dataset.rendered === 'true') continue;
    const tex = el.textContent ?? '';
    try {
      // katex.render builds DOM nodes (no HTML strings, no inline <style>).
      renderer.render(tex, el, {
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
}

/** A media reference as the core writes it: `media/<hash>.<ext>` (or `/media/…`). */
const MEDIA_SRC = /^\/?media\/([A-Za-z0-9.]+)$/;

/** The media file name in an image source, or null when it is anything else. */
export function mediaName(src: string | null | undefined): string | null {
  const match = src ? MEDIA_SRC.exec(src) : null;
  // A name of dots only (`..`) or starting with one is never a media file.
  return match && !match[1].startsWith('.') ? match[1] : null;
}

/** The parts of an element tree the image rewrite uses. */
export interface ImageRoot {
  querySelectorAll(selector: string): Iterable<{ getAttribute(name: 'src'): string | null; setAttribute(name: 'src', value: string): void }>;
}

/** Elements whose `src` may name a media file: images and players. */
const MEDIA_ELEMENTS = 'img[src], audio[src], video[src]';

/**
 * Points each card image and player at `mediaSrc(name)` (the desktop
 * app's `media:` protocol); those it gives null for keep their source (the
 * web server serves `media/<name>` next to the page).
 */
export function rewriteMediaImages(root: ImageRoot, mediaSrc: (name: string) => string | null): void {
  for (const img of root.querySelectorAll(MEDIA_ELEMENTS)) {
    const name = mediaName(img.getAttribute('src'));
    if (!name) continue;
    const src = mediaSrc(name);
    if (src) img.setAttribute('src', src);
  }
}

/** Links a card may follow: the web, mail, and places inside the card. */
const FOLLOWABLE = /^(https?:|mailto:|#)/i;

/** True for an absolute link back into the app itself (its API, its media). */
function isOwnOrigin(href: string): boolean {
  if (typeof location === 'undefined' || !/^https?:/i.test(href)) return false;
  try {
    return new URL(href).origin === location.origin;
  } catch {
    return true;
  }
}

/**
 * Makes links safe to click in the app: web and mail links open outside it
 * (a new tab, or the system browser through `openExternal` on the
 * desktop); links to local files (`other-note.md`), which would navigate
 * the app itself away, become inert text that names their target.
 */
export function finishLinks(
  root: ParentNode,
  openExternal: (url: string) => Promise<void> | null,
  openMedia: (name: string) => Promise<void> | null = () => null,
): void {
  for (const link of root.querySelectorAll<HTMLAnchorElement>('a[href]')) {
    const href = link.getAttribute('href') ?? '';
    const media = link.classList.contains('media-file') ? mediaName(href.split('#')[0]) : null;
    if (media) {
      // A PDF from the note: the system's viewer on the desktop, a download
      // from the web server.
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.title = 'Open the PDF';
      link.addEventListener('click', (event) => {
        const opened = openMedia(media);
        if (opened) {
          event.preventDefault();
          opened.catch(() => {});
        }
      });
      continue;
    }
    if (!FOLLOWABLE.test(href) || isOwnOrigin(href)) {
      link.removeAttribute('href');
      link.classList.add('local-link');
      link.title = `Links to ${href} (local files open from your notes, not from a card)`;
      continue;
    }
    if (href.startsWith('#')) continue;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.addEventListener('click', (event) => {
      const opened = openExternal(href);
      if (opened) {
        event.preventDefault();
        opened.catch(() => {});
      }
    });
  }
}

export function enhanceCardHtml(root: HTMLElement, mediaSrc: (name: string) => string | null = (name) => backend.mediaSrc(name)): void {
  rewriteMediaImages(root, mediaSrc);
  if (root.querySelector('.math')) {
    if (katex) renderMath(root, katex);
    else
      loadKatex().then(
        (renderer) => renderMath(root, renderer),
        () => {
          katexLoading = null;
          for (const el of root.querySelectorAll<HTMLElement>('.math')) el.classList.add('math-error');
        },
      );
  }
  finishLinks(
    root,
    (url) => backend.openExternal(url),
    (name) => backend.openMedia(name),
  );
}
