-- Schema 14: reading cards and cards made from the review.
--
-- A reading card's answers are logged as kind 'read' (a re-reading, never
-- a recall): SQLite cannot change a CHECK in place, so the log is copied
-- into a table that allows it.
CREATE TABLE review_log_v14 (
    seq               INTEGER PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    card_id           TEXT NOT NULL REFERENCES cards(id),
    answered_at       TEXT NOT NULL,
    day               TEXT NOT NULL,
    grade             INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 5),
    kind              TEXT NOT NULL CHECK (kind IN
                          ('learn', 'review', 'relearn', 'repeat', 'cram', 'read')),
    reps_before       INTEGER NOT NULL,
    ease_before       INTEGER NOT NULL,
    interval_before   INTEGER NOT NULL,
    due_before        TEXT,
    lapses_before     INTEGER NOT NULL,
    reps_after        INTEGER NOT NULL,
    ease_after        INTEGER NOT NULL,
    interval_after    INTEGER NOT NULL,
    due_after         TEXT,
    lapses_after      INTEGER NOT NULL,
    duration_ms       INTEGER,
    session           TEXT,
    max_interval      INTEGER,
    epoch             INTEGER REFERENCES scheduler_epochs(id),
    stability_before  REAL,
    difficulty_before REAL,
    stability_after   REAL,
    difficulty_after  REAL
) STRICT;
INSERT INTO review_log_v14 (
    seq, id, card_id, answered_at, day, grade, kind, reps_before, ease_before,
    interval_before, due_before, lapses_before, reps_after, ease_after,
    interval_after, due_after, lapses_after, duration_ms, session,
    max_interval, epoch, stability_before, difficulty_before,
    stability_after, difficulty_after)
SELECT seq, id, card_id, answered_at, day, grade, kind, reps_before, ease_before,
    interval_before, due_before, lapses_before, reps_after, ease_after,
    interval_after, due_after, lapses_after, duration_ms, session,
    max_interval, epoch, stability_before, difficulty_before,
    stability_after, difficulty_after
FROM review_log;
DROP TABLE review_log;
ALTER TABLE review_log_v14 RENAME TO review_log;
CREATE INDEX review_log_card ON review_log(card_id, seq);
CREATE INDEX review_log_day ON review_log(day);

-- Sections the learner chose to review as reading cards (the card doctor's
-- "Review as reading"), kept by card id across imports.
CREATE TABLE reading_choices (
    card_id   TEXT PRIMARY KEY REFERENCES cards(id),
    chosen_at TEXT NOT NULL
) STRICT;

-- Cards written into notes from the review (`notedeck extract`): what was
-- inserted where, so that undo removes exactly that, and only from the
-- file as notedeck left it.
CREATE TABLE extractions (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    note_path    TEXT NOT NULL,
    from_card    TEXT NOT NULL,
    card_id      TEXT,
    made_at      TEXT NOT NULL,
    -- The newest answer and action when it was made: undo takes back
    -- whichever of the three is newest.
    after_review INTEGER NOT NULL,
    after_action INTEGER NOT NULL,
    -- Inserted byte ranges of the written file, `offset+length` by commas.
    inserted     TEXT NOT NULL,
    hash_before  TEXT NOT NULL,
    hash_after   TEXT NOT NULL,
    undone_at    TEXT
) STRICT;

-- The deck list and FSRS's queue order tell reading cards from flashcards
-- from their indexes, as they read everything else.
DROP INDEX cards_browse;
CREATE INDEX cards_browse ON cards(
    note_id, ord, retired, due_day, repetitions, interval_days, lapses,
    ease_factor, suspended, buried_until, search_id, kind
);
DROP INDEX cards_recall;
CREATE INDEX cards_recall ON cards(
    due_day, interval_days, stability, suspended, buried_until, note_id, kind
) WHERE retired = 0;
