-- Schema 22: settings and deck options travel between devices, the last
-- writer winning by a hybrid logical clock. Each row is the newest value
-- known for one setting (scope `collection`, or `deck:<name>` for a
-- deck's option) with its stamp (`<ms, 13 digits>.<counter, 4>.<device>`,
-- ordered as text) and the record that set it (made here when device is
-- NULL).
CREATE TABLE shared_settings (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    stamp TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    device TEXT,
    PRIMARY KEY (scope, key)
) STRICT, WITHOUT ROWID;
