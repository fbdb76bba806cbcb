-- Schema 24: what the queue's reading cards, the statistics' card pass and
-- the leech list read, without reading the cards' rows (which hold their
-- HTML and source, over a kilobyte each):
-- * the reading cards by due day, so a queue with no reading card due does
--   not walk every due flashcard to find none;
-- * the card browser's index also holds the card's id, so the statistics'
--   pass over every card reads the index alone;
-- * the cards tagged leech, by lapses.
CREATE INDEX cards_reading ON cards(due_day) WHERE kind = 'reading';

DROP INDEX cards_browse;
CREATE INDEX cards_browse ON cards(
    note_id, ord, retired, due_day, repetitions, interval_days, lapses,
    ease_factor, suspended, buried_until, search_id, kind, id
);

CREATE INDEX cards_leech ON cards(lapses DESC)
    WHERE (' ' || user_tags || ' ') LIKE '% leech %';
