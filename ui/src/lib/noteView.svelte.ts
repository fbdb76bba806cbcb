// The note shown read-only, where "Open note" cannot open it (a phone: the
// note lives on the computer that holds the collection).

import type { NoteViewDto } from './api/types';

/** The note on show, and the card to bring into view; null: none. */
export const noteView: { note: NoteViewDto | null; cardId: string | null } = $state({ note: null, cardId: null });

export function showNote(note: NoteViewDto, cardId: string | null): void {
  noteView.note = note;
  noteView.cardId = cardId;
}

export function closeNote(): void {
  noteView.note = null;
  noteView.cardId = null;
}
