-- Schema 26: the due index holds what the queue's conditions read besides
-- the day (suspension, burial, kind, learning steps), so a pile of
-- suspended or buried overdue cards is passed over in the index instead of
-- reading each card's row.
DROP INDEX cards_due;
CREATE INDEX cards_due ON cards(due_day, suspended, buried_until, kind, learning)
    WHERE retired = 0;
