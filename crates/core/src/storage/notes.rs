//! Note and source rows: which files were imported, from where, into which deck.

use rusqlite::{params, OptionalExtension, Row};

use super::{Reader, Tx};
use crate::Result;

/// A note file known to the collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRow {
    /// Row id.
    pub id: i64,
    /// Absolute path of the file.
    pub path: String,
    /// The import source it came from.
    pub source_id: Option<i64>,
    /// How its deck is named (see `import::DeckRule`).
    pub deck_rule: String,
    /// The file's size when last imported.
    pub file_size: i64,
    /// The file's modification time (ns since the epoch) when last imported.
    pub file_mtime_ns: i64,
    /// Hash of the file's bytes when last imported.
    pub file_hash: String,
    /// Parser version that produced its cards.
    pub parser_version: i64,
    /// True when the file was gone at the last import.
    pub missing: bool,
    /// True when it embeds other notes (so it is read at every import).
    pub embeds_notes: bool,
    /// Its path within its vault, with `/` (none before it was kept).
    pub vault_path: Option<String>,
}

/// A path the user imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    /// Row id.
    pub id: i64,
    /// Absolute path.
    pub path: String,
    /// True for a folder.
    pub is_dir: bool,
    /// The `--deck` it was imported with.
    pub deck: Option<String>,
}

/// The fields written for a note.
#[derive(Debug, Clone)]
pub struct NoteWrite<'a> {
    /// Absolute path of the file.
    pub path: &'a str,
    /// Source row.
    pub source_id: i64,
    /// Deck row.
    pub deck_id: i64,
    /// How the deck name was chosen.
    pub deck_rule: &'a str,
    /// Deck-naming title.
    pub title: &'a str,
    /// File size.
    pub file_size: i64,
    /// File modification time in ns.
    pub file_mtime_ns: i64,
    /// File hash.
    pub file_hash: &'a str,
    /// Parser version.
    pub parser_version: i64,
    /// It embeds other notes.
    pub embeds_notes: bool,
    /// RFC 3339 time of this import.
    pub now: &'a str,
    /// Its path within its vault, with `/` (what new cards' ids are made
    /// from).
    pub vault_path: &'a str,
}

const NOTE_COLUMNS: &str =
    "id, path, source_id, deck_rule, file_size, file_mtime_ns, file_hash, parser_version, missing, embeds_notes, vault_path";

fn note_row(r: &Row<'_>) -> rusqlite::Result<NoteRow> {
    Ok(NoteRow {
        id: r.get(0)?,
        path: r.get(1)?,
        source_id: r.get(2)?,
        deck_rule: r.get(3)?,
        file_size: r.get(4)?,
        file_mtime_ns: r.get(5)?,
        file_hash: r.get(6)?,
        parser_version: r.get(7)?,
        missing: r.get(8)?,
        embeds_notes: r.get(9)?,
        vault_path: r.get(10)?,
    })
}

impl Reader<'_> {
    /// The note stored for `path`, if any.
    pub fn note_by_path(&self, path: &str) -> Result<Option<NoteRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {NOTE_COLUMNS} FROM notes WHERE path = ?1"))?
            .query_row([path], note_row)
            .optional()?)
    }

    /// Every note of the collection.
    pub fn notes(&self) -> Result<Vec<NoteRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {NOTE_COLUMNS} FROM notes ORDER BY ord"))?;
        let rows = stmt.query_map([], note_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every note's deck, by the note's path.
    pub fn note_decks(&self) -> Result<std::collections::HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT n.path, d.name FROM notes n JOIN decks d ON d.id = n.deck_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every imported source, oldest first.
    pub fn sources(&self) -> Result<Vec<SourceRow>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, path, is_dir, deck FROM sources ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(SourceRow {
                id: r.get(0)?,
                path: r.get(1)?,
                is_dir: r.get(2)?,
                deck: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Tx<'_> {
    /// Reads inside this transaction.
    pub fn reader(&self) -> Reader<'_> {
        Reader { conn: &self.tx }
    }

    /// Records an imported path; returns its id.
    pub fn upsert_source(
        &self,
        path: &str,
        is_dir: bool,
        deck: Option<&str>,
        now: &str,
    ) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO sources (path, is_dir, deck, added_at, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?4)
                 ON CONFLICT(path) DO UPDATE SET is_dir = excluded.is_dir,
                     deck = excluded.deck, imported_at = excluded.imported_at",
            )?
            .execute(params![path, is_dir, deck, now])?;
        Ok(self
            .tx
            .prepare_cached("SELECT id FROM sources WHERE path = ?1")?
            .query_row([path], |r| r.get(0))?)
    }

    /// Inserts a new note; returns its id.
    pub fn insert_note(&self, note: &NoteWrite<'_>) -> Result<i64> {
        // Placed after every other note, in the same statement.
        self.tx
            .prepare_cached(
                "INSERT INTO notes (path, source_id, deck_id, deck_rule, title, ord, file_size,
                     file_mtime_ns, file_hash, parser_version, missing, imported_at, embeds_notes,
                     vault_path)
                 VALUES (?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(ord), 0) + 1 FROM notes),
                     ?6, ?7, ?8, ?9, 0, ?10, ?11, ?12)",
            )?
            .execute(params![
                note.path,
                note.source_id,
                note.deck_id,
                note.deck_rule,
                note.title,
                note.file_size,
                note.file_mtime_ns,
                note.file_hash,
                note.parser_version,
                note.now,
                note.embeds_notes,
                note.vault_path
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Rewrites a known note (possibly at a new path, after a move).
    pub fn update_note(&self, id: i64, note: &NoteWrite<'_>) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE notes SET path = ?2, source_id = ?3, deck_id = ?4, deck_rule = ?5,
                     title = ?6, file_size = ?7, file_mtime_ns = ?8, file_hash = ?9,
                     parser_version = ?10, missing = 0, imported_at = ?11, embeds_notes = ?12,
                     vault_path = ?13
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                note.path,
                note.source_id,
                note.deck_id,
                note.deck_rule,
                note.title,
                note.file_size,
                note.file_mtime_ns,
                note.file_hash,
                note.parser_version,
                note.now,
                note.embeds_notes,
                note.vault_path
            ])?;
        Ok(())
    }

    /// Records a new modification time for an unchanged note.
    pub fn touch_note(&self, id: i64, file_mtime_ns: i64) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE notes SET file_mtime_ns = ?2 WHERE id = ?1")?
            .execute(params![id, file_mtime_ns])?;
        Ok(())
    }

    /// Marks a note whose file is gone; its cards are retired separately.
    pub fn mark_note_missing(&self, id: i64) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE notes SET missing = 1 WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    }
}

impl Reader<'_> {
    /// The deck name of a note.
    pub fn note_deck(&self, note_id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT d.name FROM notes n JOIN decks d ON d.id = n.deck_id WHERE n.id = ?1",
            )?
            .query_row([note_id], |r| r.get(0))
            .optional()?)
    }

    /// How many cards of a note are not retired.
    pub fn active_card_count(&self, note_id: i64) -> Result<u64> {
        let count: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM cards WHERE note_id = ?1 AND retired = 0")?
            .query_row([note_id], |r| r.get(0))?;
        Ok(count as u64)
    }
}
