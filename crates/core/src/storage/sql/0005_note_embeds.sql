-- A note that embeds other notes shows their text: it is read again at
-- every import, so an edit of an embedded note reaches its cards.
ALTER TABLE notes ADD COLUMN embeds_notes INTEGER NOT NULL DEFAULT 0;
