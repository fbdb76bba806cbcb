-- Schema 13: what FSRS's queue order reads of each active card (due day,
-- interval, stability, marks, note), so picking the least likely recalled
-- of thousands of overdue cards reads this index, not the cards' rows.
CREATE INDEX cards_recall ON cards(
    due_day, interval_days, stability, suspended, buried_until, note_id
) WHERE retired = 0;
