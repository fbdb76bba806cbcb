// Links to a note (`obsidian://…`) open outside the app where the page
// cannot open them itself (the desktop window).

import { backend } from './api/backend';
import { reportError } from './errors.svelte';

/** The click handler of an "Open note" link. */
export function openNote(event: MouseEvent): void {
  const link = event.currentTarget as HTMLAnchorElement;
  const opened = backend.openExternal(link.href);
  if (!opened) return;
  event.preventDefault();
  opened.catch((err) => reportError(err, 'Could not open the note'));
}
