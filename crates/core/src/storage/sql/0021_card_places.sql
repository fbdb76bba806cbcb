-- Schema 21: card identity travels between devices. An import that keeps
-- a card's id for a section whose place changed (a renamed heading, a
-- moved section or note) or retires or restores a card writes down the
-- decision; another device that only ever sees the final text gives that
-- section the same id, and a card made there meanwhile under another id
-- is merged into it (an alias, which travels too).

-- Each note's path within its vault, with `/`: places are named by it, so
-- they do not depend on where the vault sits on each computer.
ALTER TABLE notes ADD COLUMN vault_path TEXT;
CREATE INDEX notes_vault_path ON notes(vault_path);

-- Where a card sits, as decided by an import here (device NULL) or on
-- another device; a card's newest decision holds.
CREATE TABLE card_places (
    id TEXT PRIMARY KEY,
    card_id TEXT NOT NULL,
    path TEXT NOT NULL,
    match_key TEXT NOT NULL,
    retired INTEGER NOT NULL,
    at TEXT NOT NULL,
    device TEXT,
    -- Decided here and not yet written to the sync folder (found without
    -- a scan: a big import's decisions are many).
    unwritten INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX card_places_place ON card_places(path, match_key);
CREATE INDEX card_places_card ON card_places(card_id, at);
CREATE INDEX card_places_unwritten ON card_places(at, id) WHERE unwritten = 1;

-- A card merged into another (two ids for one section): records naming
-- `from_id` apply to `to_id`.
CREATE TABLE card_aliases (
    from_id TEXT PRIMARY KEY,
    to_id TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    device TEXT
) STRICT, WITHOUT ROWID;
