-- Schema 29: the review log counted per day (the whole collection) and per
-- deck (all time), kept so that statistics read a few thousand totals
-- instead of every answer. The totals count the answers with
-- `seq <= counted_upto`; statistics count the newer ones and move the mark
-- (see `review_totals.rs`). A change to a counted answer, or to which deck
-- an answered card belongs, forgets the totals (mark back to 0): the next
-- statistics count the whole log again. An answer (seq above the mark)
-- fires nothing but the triggers' WHEN test.
CREATE TABLE review_totals_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    counted_upto INTEGER NOT NULL
) STRICT;
INSERT INTO review_totals_state (id, counted_upto) VALUES (1, 0);

CREATE TABLE review_day_totals (
    day            TEXT PRIMARY KEY,
    reviews        INTEGER NOT NULL,
    grade_0        INTEGER NOT NULL,
    grade_1        INTEGER NOT NULL,
    grade_2        INTEGER NOT NULL,
    grade_3        INTEGER NOT NULL,
    grade_4        INTEGER NOT NULL,
    grade_5        INTEGER NOT NULL,
    learn          INTEGER NOT NULL,
    review         INTEGER NOT NULL,
    relearn        INTEGER NOT NULL,
    repeat         INTEGER NOT NULL,
    cram           INTEGER NOT NULL,
    read           INTEGER NOT NULL,
    time_ms        INTEGER NOT NULL,
    answers        INTEGER NOT NULL,
    passed         INTEGER NOT NULL,
    young_answers  INTEGER NOT NULL,
    young_passed   INTEGER NOT NULL,
    mature_answers INTEGER NOT NULL,
    mature_passed  INTEGER NOT NULL,
    new_learned    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE review_deck_totals (
    deck_id INTEGER PRIMARY KEY,
    reviews INTEGER NOT NULL,
    answers INTEGER NOT NULL,
    passed  INTEGER NOT NULL
) STRICT;

CREATE TRIGGER review_totals_answer_added AFTER INSERT ON review_log
WHEN NEW.seq <= (SELECT counted_upto FROM review_totals_state)
BEGIN
    DELETE FROM review_day_totals;
    DELETE FROM review_deck_totals;
    UPDATE review_totals_state SET counted_upto = 0;
END;

CREATE TRIGGER review_totals_answer_removed AFTER DELETE ON review_log
WHEN OLD.seq <= (SELECT counted_upto FROM review_totals_state)
BEGIN
    DELETE FROM review_day_totals;
    DELETE FROM review_deck_totals;
    UPDATE review_totals_state SET counted_upto = 0;
END;

CREATE TRIGGER review_totals_answer_changed AFTER UPDATE OF
    seq, card_id, day, grade, kind, reps_before, interval_before, due_before, duration_ms
ON review_log
WHEN min(OLD.seq, NEW.seq) <= (SELECT counted_upto FROM review_totals_state)
BEGIN
    DELETE FROM review_day_totals;
    DELETE FROM review_deck_totals;
    UPDATE review_totals_state SET counted_upto = 0;
END;

CREATE TRIGGER review_totals_note_moved AFTER UPDATE OF deck_id ON notes
WHEN OLD.deck_id IS NOT NEW.deck_id
 AND (SELECT counted_upto FROM review_totals_state) > 0
 AND EXISTS (SELECT 1 FROM cards c JOIN review_log r ON r.card_id = c.id
             WHERE c.note_id = NEW.id)
BEGIN
    DELETE FROM review_day_totals;
    DELETE FROM review_deck_totals;
    UPDATE review_totals_state SET counted_upto = 0;
END;

CREATE TRIGGER review_totals_card_moved AFTER UPDATE OF id, note_id ON cards
WHEN (OLD.note_id IS NOT NEW.note_id OR OLD.id IS NOT NEW.id)
 AND (SELECT counted_upto FROM review_totals_state) > 0
 AND EXISTS (SELECT 1 FROM review_log WHERE card_id IN (OLD.id, NEW.id))
BEGIN
    DELETE FROM review_day_totals;
    DELETE FROM review_deck_totals;
    UPDATE review_totals_state SET counted_upto = 0;
END;

CREATE TRIGGER review_totals_card_removed AFTER DELETE ON cards
WHEN (SELECT counted_upto FROM review_totals_state) > 0
 AND EXISTS (SELECT 1 FROM review_log WHERE card_id = OLD.id)
BEGIN
    DELETE FROM review_day_totals;
    DELETE FROM review_deck_totals;
    UPDATE review_totals_state SET counted_upto = 0;
END;
