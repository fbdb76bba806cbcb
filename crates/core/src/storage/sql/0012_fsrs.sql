-- Schema 12: a second scheduler (FSRS) beside SM-2.
--
-- Each scheduler setting in force is an epoch: which scheduler, and for
-- FSRS its parameters and desired retention. An answer records the epoch
-- it was given under (null: SM-2, before any epoch), so that replaying the
-- log computes each answer as it was computed. Switching scheduler
-- re-derives every logged state under the new one (`rebuilt`); a change of
-- parameters or retention applies to the answers after it.
CREATE TABLE scheduler_epochs (
    id                INTEGER PRIMARY KEY,
    scheduler         TEXT NOT NULL CHECK (scheduler IN ('sm2', 'fsrs')),
    parameters        TEXT,
    desired_retention REAL,
    started_at        TEXT NOT NULL,
    rebuilt           INTEGER NOT NULL DEFAULT 0
) STRICT;
-- FSRS's memory state (null under SM-2 and for new cards).
ALTER TABLE cards ADD COLUMN stability REAL;
ALTER TABLE cards ADD COLUMN difficulty REAL;
ALTER TABLE review_log ADD COLUMN epoch INTEGER REFERENCES scheduler_epochs(id);
ALTER TABLE review_log ADD COLUMN stability_before REAL;
ALTER TABLE review_log ADD COLUMN difficulty_before REAL;
ALTER TABLE review_log ADD COLUMN stability_after REAL;
ALTER TABLE review_log ADD COLUMN difficulty_after REAL;
ALTER TABLE card_actions ADD COLUMN stability_before REAL;
ALTER TABLE card_actions ADD COLUMN difficulty_before REAL;
