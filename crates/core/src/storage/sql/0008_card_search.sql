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
