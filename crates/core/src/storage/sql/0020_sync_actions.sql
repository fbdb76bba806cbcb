-- Schema 20: actions (suspend, bury, forget, tags) travel through the
-- sync folder too; an action taken back by an undo, here or on another
-- device, is remembered, so the undo travels and a late copy of the
-- action is not merged.
CREATE TABLE undone_actions (
    action_id TEXT PRIMARY KEY,
    card_id TEXT NOT NULL,
    undone_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
