// "Open note" links: the app asks notedeck to open the note the way the
// system does (Obsidian for a note in a vault, the default program
// otherwise); a link without a note falls back to its `obsidian://` address.

import { backend } from './api/backend';
import { reportError } from './errors.svelte';

/** The click handler of an "Open note" link. */
export function openNote(event: MouseEvent): void {
  const link = event.currentTarget as HTMLAnchorElement;
  const note = link.dataset.note;
  if (note) {
    event.preventDefault();
    backend.openNote({ path: note, heading: link.dataset.heading || null }).catch((err) => reportError(err, 'Could not open the note'));
    return;
  }
  const opened = backend.openExternal(link.href);
  if (!opened) return;
  event.preventDefault();
  opened.catch((err) => reportError(err, 'Could not open the note'));
}
