-- Schema 1: decks, imported sources, notes and cards with their schedule.
CREATE TABLE collection_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
INSERT INTO collection_info (key, value) VALUES ('application', 'notedeck');

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE decks (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    parent_id INTEGER REFERENCES decks(id)
) STRICT;

-- Every path the user imported, so `notedeck import` alone can refresh them.
CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL UNIQUE,
    is_dir      INTEGER NOT NULL,
    deck        TEXT,
    added_at    TEXT NOT NULL,
    imported_at TEXT NOT NULL
) STRICT;

CREATE TABLE notes (
    id             INTEGER PRIMARY KEY,
    path           TEXT NOT NULL UNIQUE,
    source_id      INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    deck_id        INTEGER NOT NULL REFERENCES decks(id),
    deck_rule      TEXT NOT NULL,
    title          TEXT NOT NULL,
    ord            INTEGER NOT NULL,
    file_size      INTEGER NOT NULL,
    file_mtime_ns  INTEGER NOT NULL,
    file_hash      TEXT NOT NULL,
    parser_version INTEGER NOT NULL,
    missing        INTEGER NOT NULL DEFAULT 0,
    imported_at    TEXT NOT NULL
) STRICT;
CREATE INDEX notes_deck ON notes(deck_id);
CREATE INDEX notes_source ON notes(source_id);
CREATE INDEX notes_ord ON notes(ord);

CREATE TABLE cards (
    id            TEXT PRIMARY KEY,
    note_id       INTEGER NOT NULL REFERENCES notes(id),
    kind          TEXT NOT NULL,
    match_key     TEXT NOT NULL,
    heading_path  TEXT NOT NULL,
    ord           INTEGER NOT NULL,
    line          INTEGER NOT NULL,
    front_html    TEXT NOT NULL,
    back_html     TEXT NOT NULL,
    source        TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    tags          TEXT NOT NULL,
    retired       INTEGER NOT NULL DEFAULT 0,
    repetitions   INTEGER NOT NULL DEFAULT 0,
    ease_factor   REAL NOT NULL DEFAULT 2.5,
    interval_days INTEGER NOT NULL DEFAULT 0,
    lapses        INTEGER NOT NULL DEFAULT 0,
    due_day       TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX cards_note ON cards(note_id, ord);
CREATE INDEX cards_due ON cards(due_day) WHERE retired = 0;
