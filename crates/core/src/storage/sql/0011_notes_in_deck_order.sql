-- Schema 11: a deck's notes in their order, so the card browser walks
-- decks, notes and cards in note order and stops at the page it shows
-- (it replaces the index of notes by deck alone).
CREATE INDEX notes_deck_ord ON notes(deck_id, ord);
DROP INDEX notes_deck;
