-- Schema 25: the new cards with what the queue's conditions read of them,
-- so today's new cards are found walking the notes in order and stop at the
-- limit instead of reading and sorting every new card's row.
CREATE INDEX cards_new ON cards(note_id, ord, kind, suspended, buried_until, learning)
    WHERE due_day IS NULL AND retired = 0;
