-- Schema 27: the card browser's index also holds each card's heading path,
-- so the review log's export reads every card's place (deck, note,
-- headings) from the index instead of from the cards' rows, which hold
-- their HTML and source (over a kilobyte each).
DROP INDEX cards_browse;
CREATE INDEX cards_browse ON cards(
    note_id, ord, retired, due_day, repetitions, interval_days, lapses,
    ease_factor, suspended, buried_until, search_id, kind, id, heading_path
);
