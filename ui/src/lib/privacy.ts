// The "load images from the web" setting, enforced by the browser itself:
// when it is off, a Content-Security-Policy that allows images only from
// the app (and embedded data) is added to the page, so a card's remote
// image (a tracking pixel, say) is never requested. A policy can only be
// tightened while the page is open: turning images back on takes a reload.

/** The images a card may show when web images are off. */
export const LOCAL_IMAGES_POLICY = "img-src 'self' data: blob: media: http://media.localhost";

/** The parts of `document` the policy needs (a fake in unit tests). */
export interface PolicyDocument {
  head: { append(node: unknown): void; querySelector(selector: string): unknown };
  createElement(tag: 'meta'): { httpEquiv: string; content: string; dataset: Record<string, string> };
}

/**
 * Blocks remote images in this page when `allowed` is false. Returns true
 * when the page must be reloaded for the setting to take effect (images
 * were blocked and are now allowed).
 */
export function applyRemoteImages(allowed: boolean, doc: PolicyDocument = document as unknown as PolicyDocument): boolean {
  const blocked = doc.head.querySelector('meta[data-notedeck-images]') !== null;
  if (allowed) return blocked;
  if (!blocked) {
    const meta = doc.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = LOCAL_IMAGES_POLICY;
    meta.dataset.notedeckImages = 'blocked';
    doc.head.append(meta);
  }
  return false;
}

/** The longest answer time sent (one day, the server's limit), in ms. */
export const MAX_DURATION_MS = 86_400_000;

/** An answer's measured time as the API takes it: whole, 0 to one day. */
export function answerDuration(ms: number | null | undefined): number | null {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return null;
  return Math.min(MAX_DURATION_MS, Math.max(0, Math.round(ms)));
}
