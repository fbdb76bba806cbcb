-- Schema 17: devices paired with `notedeck serve --lan` (a phone). Each
-- holds a long-lived token of its own, stored here only as its BLAKE3
-- hash; forgetting a device deletes its row, and its token no longer
-- opens anything.
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    paired_at TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
