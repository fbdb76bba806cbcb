-- Schema 8: full-text search over cards for the card browser. The index
-- holds each card's text (no HTML) without a copy of it (contentless); its
-- rowid is the card's `search_id` (a stored number, so it survives VACUUM,
-- which may renumber plain rowids). The importer marks new cards (null)
-- and changed ones (the old number negated); they are indexed after the
-- import, and searched the slow way until then.
ALTER TABLE cards ADD COLUMN search_id INTEGER;
CREATE INDEX cards_search_id ON cards(search_id);
CREATE VIRTUAL TABLE card_search USING fts5(
    front, back, headings, note, tags,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- The card browser's filters and sorts read these columns of every card:
-- from this index, not from the rows (which hold each card's HTML).
CREATE INDEX cards_browse ON cards(
    note_id, ord, retired, due_day, repetitions, interval_days, lapses,
    ease_factor, suspended, buried_until, search_id
);
