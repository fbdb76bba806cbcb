-- Schema 7: what a learner does to cards besides answering them (suspend,
-- bury, forget, tag), logged beside the answers so that replaying both
-- rebuilds every card's state; and answers of custom study ("cram"), which
-- change no schedule.

-- The cached state the actions drive.
ALTER TABLE cards ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cards ADD COLUMN buried_until TEXT;
-- notedeck's own tags, space-separated, never written into notes.
ALTER TABLE cards ADD COLUMN user_tags TEXT NOT NULL DEFAULT '';

CREATE TABLE card_actions (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    card_id         TEXT NOT NULL REFERENCES cards(id),
    acted_at        TEXT NOT NULL,
    day             TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN
                        ('suspend', 'unsuspend', 'bury', 'unbury', 'forget', 'tag', 'untag')),
    -- The tag added or removed; the day a bury lasts until.
    tag             TEXT,
    buried_until    TEXT,
    -- The answer (review_log.seq) this action came after, 0 before any:
    -- answers and actions replay in one order.
    after_review    INTEGER NOT NULL,
    -- Actions taken together (a selection, or a leech's tag and suspension
    -- with the answer whose id this is) are undone together.
    batch           TEXT NOT NULL,
    -- The card before the action, for undo and for checking the replay.
    suspended_before    INTEGER NOT NULL,
    buried_before       TEXT,
    tagged_before       INTEGER NOT NULL,
    reps_before     INTEGER NOT NULL,
    ease_before     INTEGER NOT NULL,
    interval_before INTEGER NOT NULL,
    due_before      TEXT,
    lapses_before   INTEGER NOT NULL
) STRICT;
CREATE INDEX card_actions_card ON card_actions(card_id, seq);
CREATE INDEX card_actions_batch ON card_actions(batch);

-- Answers of custom study are logged as kind 'cram': SQLite cannot change
-- a CHECK in place, so the log is copied into a table that allows it.
CREATE TABLE review_log_v7 (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    card_id         TEXT NOT NULL REFERENCES cards(id),
    answered_at     TEXT NOT NULL,
    day             TEXT NOT NULL,
    grade           INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 5),
    kind            TEXT NOT NULL CHECK (kind IN ('learn', 'review', 'relearn', 'repeat', 'cram')),
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
INSERT INTO review_log_v7 SELECT * FROM review_log;
DROP TABLE review_log;
ALTER TABLE review_log_v7 RENAME TO review_log;
CREATE INDEX review_log_card ON review_log(card_id, seq);
CREATE INDEX review_log_day ON review_log(day);
