-- Schema 31: one index of the cards due, not two. The due index (the
-- SM-2 queue's walk: day, suspension, burial, kind, learning steps) and
-- the recall index (FSRS's least-recalled-first order: day, interval,
-- stability, suspension, burial, note, kind) both began with the due day,
-- so every answer moved the card in both: four of the eleven pages a
-- review wrote. The recall index with the learning steps added serves
-- both walks.
DROP INDEX cards_recall;
DROP INDEX cards_due;
CREATE INDEX cards_due ON cards(
    due_day, interval_days, stability, suspended, buried_until, note_id, kind, learning
) WHERE retired = 0 AND due_day IS NOT NULL;
