-- Schema 2: the review log, the source of truth for every card's schedule.
-- Card schedule columns are a cache that replaying this log rebuilds.
CREATE TABLE review_log (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    card_id         TEXT NOT NULL REFERENCES cards(id),
    answered_at     TEXT NOT NULL,
    day             TEXT NOT NULL,
    grade           INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 5),
    kind            TEXT NOT NULL CHECK (kind IN ('learn', 'review', 'relearn', 'repeat')),
    reps_before     INTEGER NOT NULL,
    ease_before     INTEGER NOT NULL,
    interval_before INTEGER NOT NULL,
    due_before      TEXT,
    lapses_before   INTEGER NOT NULL,
    reps_after      INTEGER NOT NULL,
    ease_after      INTEGER NOT NULL,
    interval_after  INTEGER NOT NULL,
    due_after       TEXT,
    lapses_after    INTEGER NOT NULL,
    duration_ms     INTEGER
) STRICT;
CREATE INDEX review_log_card ON review_log(card_id, seq);
CREATE INDEX review_log_day ON review_log(day);
