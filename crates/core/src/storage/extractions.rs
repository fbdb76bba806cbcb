//! Rows of cards written into notes from the review (`extractions`), for
//! undo.

use rusqlite::{params, OptionalExtension};

use super::{Reader, Tx};
use crate::Result;

/// A card written into a note, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractionRow {
    /// Row id (rises with time).
    pub seq: i64,
    /// Globally unique id (UUIDv7).
    pub id: String,
    /// The note's absolute path.
    pub note_path: String,
    /// The card the text was selected on.
    pub from_card: String,
    /// The card made, once the note was imported again.
    pub card_id: Option<String>,
    /// UTC time, RFC 3339.
    pub made_at: String,
    /// The newest answer (`review_log.seq`) when it was made.
    pub after_review: i64,
    /// The newest action (`card_actions.seq`) when it was made.
    pub after_action: i64,
    /// The inserted byte ranges of the written file.
    pub inserted: Vec<(usize, usize)>,
    /// The file's hash before the card was written.
    pub hash_before: String,
    /// The file's hash as written.
    pub hash_after: String,
}

fn ranges_text(ranges: &[(usize, usize)]) -> String {
    ranges
        .iter()
        .map(|(at, len)| format!("{at}+{len}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_ranges(text: &str) -> Vec<(usize, usize)> {
    text.split(',')
        .filter_map(|r| {
            let (at, len) = r.split_once('+')?;
            Some((at.parse().ok()?, len.parse().ok()?))
        })
        .collect()
}

impl Tx<'_> {
    /// Records a card written into a note; returns its row id.
    pub fn insert_extraction(&self, row: &ExtractionRow) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO extractions (id, note_path, from_card, card_id, made_at,
                     after_review, after_action, inserted, hash_before, hash_after)
                 VALUES (?1, ?2, ?3, ?4, ?5,
                     (SELECT coalesce(max(seq), 0) FROM review_log),
                     (SELECT coalesce(max(seq), 0) FROM card_actions), ?6, ?7, ?8)",
            )?
            .execute(params![
                row.id,
                row.note_path,
                row.from_card,
                row.card_id,
                row.made_at,
                ranges_text(&row.inserted),
                row.hash_before,
                row.hash_after
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Marks an extraction taken back (or given up) at `now`.
    pub fn mark_extraction_undone(&self, seq: i64, now: &str) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE extractions SET undone_at = ?2 WHERE seq = ?1")?
            .execute(params![seq, now])?;
        Ok(())
    }
}

impl Reader<'_> {
    /// The newest extraction not taken back, if any.
    pub fn last_extraction(&self) -> Result<Option<ExtractionRow>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT seq, id, note_path, from_card, card_id, made_at, after_review,
                        after_action, inserted, hash_before, hash_after
                 FROM extractions WHERE undone_at IS NULL ORDER BY seq DESC LIMIT 1",
            )?
            .query_row([], |r| {
                Ok(ExtractionRow {
                    seq: r.get(0)?,
                    id: r.get(1)?,
                    note_path: r.get(2)?,
                    from_card: r.get(3)?,
                    card_id: r.get(4)?,
                    made_at: r.get(5)?,
                    after_review: r.get(6)?,
                    after_action: r.get(7)?,
                    inserted: parse_ranges(&r.get::<_, String>(8)?),
                    hash_before: r.get(9)?,
                    hash_after: r.get(10)?,
                })
            })
            .optional()?)
    }
}
