// "Open note" links: the app asks notedeck to open the note the way the
// system does (Obsidian for a note in a vault, the default program
// otherwise); a link without a note falls back to its `obsidian://` address.
// Where notedeck refuses because the page is not on its computer (a phone),
// the note is shown read-only in the page instead.

import { backend, isBackendError } from './api/backend';
import { reportError } from './errors.svelte';
import { showNote } from './noteView.svelte';

/** The click handler of an "Open note" link. */
export function openNote(event: MouseEvent): void {
  const link = event.currentTarget as HTMLAnchorElement;
  const note = link.dataset.note;
  if (note) {
    event.preventDefault();
    const cardId = link.dataset.card || null;
    backend.openNote({ path: note, heading: link.dataset.heading || null }).catch((err) => {
      if (isBackendError(err) && err.code === 'forbidden') void readNote(note, cardId);
      else reportError(err, 'Could not open the note');
    });
    return;
  }
  const opened = backend.openExternal(link.href);
  if (!opened) return;
  event.preventDefault();
  opened.catch((err) => reportError(err, 'Could not open the note'));
}

/** Shows the note at `path` read-only, at the card `cardId`. */
export async function readNote(path: string, cardId: string | null): Promise<void> {
  try {
    showNote(await backend.note({ path }), cardId);
  } catch (err) {
    reportError(err, 'Could not show the note');
  }
}
