-- Schema 19: several computers in step through a folder the user's own
-- sync carries (`notedeck sync --folder`). Each device appends records of
-- its own to files of its own there; these tables remember what this
-- collection wrote, what it took in, what waits, and how far each file of
-- another device has been read.

-- Records this device wrote to its files: answers (id = the answer's id)
-- and undos (id = the undone answer's id).
CREATE TABLE sync_exported (
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (id, kind)
) STRICT, WITHOUT ROWID;

-- Records of other devices taken in.
CREATE TABLE sync_merged (
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    device TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (id, kind)
) STRICT, WITHOUT ROWID;

-- Records of other devices kept to merge later (a card not imported here
-- yet, or answered here too since), whole, with the reason.
CREATE TABLE sync_pending (
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    device TEXT NOT NULL,
    at TEXT NOT NULL,
    line TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (id, kind)
) STRICT, WITHOUT ROWID;

-- How far each file of another device has been read (its path inside the
-- sync folder), and what was skipped in it.
CREATE TABLE sync_files (
    path TEXT PRIMARY KEY,
    device TEXT NOT NULL,
    read_to INTEGER NOT NULL,
    records INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    last_problem TEXT,
    conflict_copy INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Answers taken back by an undo, here or on another device: the undo
-- travels, and an answer arriving after its undo is not merged.
CREATE TABLE undone_answers (
    review_id TEXT PRIMARY KEY,
    card_id TEXT NOT NULL,
    undone_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
