-- Schema 28: fewer index entries for each card an import adds. The due
-- index and the recall index are only ever walked for cards due on or
-- before a day (`due_day <= ?`, which no new card matches), so they leave
-- new cards out; the index of a note's cards in order is the first two
-- columns of the card browser's index, which serves the same walks.
DROP INDEX cards_note;
DROP INDEX cards_due;
CREATE INDEX cards_due ON cards(due_day, suspended, buried_until, kind, learning)
    WHERE retired = 0 AND due_day IS NOT NULL;
DROP INDEX cards_recall;
CREATE INDEX cards_recall ON cards(
    due_day, interval_days, stability, suspended, buried_until, note_id, kind
) WHERE retired = 0 AND due_day IS NOT NULL;
