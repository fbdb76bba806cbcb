-- Schema 18: the keys a page gives its answers (a phone on a flaky
-- network sends an answer again when it heard nothing back). An answer
-- whose key is here was recorded already, as `review_id` (which an undo
-- may since have taken out of the log): it is never recorded twice. Keys
-- older than a month are let go as answers are written.
CREATE TABLE answer_keys (
    key TEXT PRIMARY KEY,
    review_id TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX answer_keys_at ON answer_keys(at);
