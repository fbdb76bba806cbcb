//! What sync remembers: records written and taken in, records waiting,
//! how far each file of another device was read, and undone answers.

use rusqlite::{params, OptionalExtension};

use super::reviews::{review_row, REVIEW_COLUMNS};
use super::{Reader, ReviewRow, Tx};
use crate::model::CardId;
use crate::Result;

/// How far a file of another device was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncFileRow {
    /// Its path inside the sync folder (`notedeck-sync/<device>/<name>`).
    pub path: String,
    /// The device whose folder holds it.
    pub device: String,
    /// Bytes read up to the end of its last whole line.
    pub read_to: i64,
    /// Records taken from it (merged, waiting or already known).
    pub records: i64,
    /// Lines skipped in it.
    pub skipped: i64,
    /// Why the last skipped line was skipped.
    pub last_problem: Option<String>,
    /// A sync tool's conflicting copy.
    pub conflict_copy: bool,
}

/// A record of another device kept to merge later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRow {
    /// The record's id.
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// The device that wrote it.
    pub device: String,
    /// When it happened.
    pub at: String,
    /// The whole line.
    pub line: String,
    /// Why it waits.
    pub reason: String,
}

/// An answer taken back by an undo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoneRow {
    /// The answer's id.
    pub review_id: String,
    /// Its card.
    pub card_id: CardId,
    /// When it was taken back.
    pub undone_at: String,
}

impl Reader<'_> {
    /// Answers given here (not taken in from another device, nor imported
    /// from Anki) and not yet written to the sync folder, in log order, at
    /// most `limit`, looking only past log position `after` (everything up
    /// to it was written).
    pub fn unexported_answers(&self, after: i64, limit: usize) -> Result<Vec<ReviewRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {REVIEW_COLUMNS} FROM review_log r
             WHERE r.seq > ?1 AND r.imported = 0
               AND NOT EXISTS (SELECT 1 FROM sync_exported e WHERE e.id = r.id AND e.kind = 'answer')
               AND NOT EXISTS (SELECT 1 FROM sync_merged m WHERE m.id = r.id AND m.kind = 'answer')
             ORDER BY seq LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![after, limit as i64], review_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The newest log position (0 for an empty log).
    pub fn newest_review_seq(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT coalesce(max(seq), 0) FROM review_log")?
            .query_row([], |r| r.get(0))?)
    }

    /// Undos made here and not yet written to the sync folder.
    pub fn unexported_undos(&self) -> Result<Vec<UndoneRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT review_id, card_id, undone_at FROM undone_answers u
             WHERE NOT EXISTS (SELECT 1 FROM sync_exported e WHERE e.id = u.review_id AND e.kind = 'undo')
               AND NOT EXISTS (SELECT 1 FROM sync_merged m WHERE m.id = u.review_id AND m.kind = 'undo')
             ORDER BY undone_at",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(UndoneRow {
                review_id: r.get(0)?,
                card_id: r.get(1)?,
                undone_at: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// True when a record `id` of `kind` needs nothing more here: written
    /// here, or taken in (a waiting record is not).
    pub fn sync_record_known(&self, id: &str, kind: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM sync_exported WHERE id = ?1 AND kind = ?2)
                     OR EXISTS (SELECT 1 FROM sync_merged WHERE id = ?1 AND kind = ?2)",
            )?
            .query_row(params![id, kind], |r| r.get(0))?)
    }

    /// True when the answer `review_id` was taken back (here or elsewhere).
    pub fn answer_undone(&self, review_id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM undone_answers WHERE review_id = ?1")?
            .exists([review_id])?)
    }

    /// When the card's newest answer or action happened (RFC 3339), if any.
    pub fn newest_entry_of(&self, card_id: &CardId) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT max(at) FROM (
                     SELECT max(answered_at) AS at FROM review_log WHERE card_id = ?1
                     UNION ALL
                     SELECT max(acted_at) FROM card_actions WHERE card_id = ?1)",
            )?
            .query_row([card_id], |r| r.get(0))?)
    }

    /// How far the file at `path` (inside the sync folder) was read.
    pub fn sync_file(&self, path: &str) -> Result<Option<SyncFileRow>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT path, device, read_to, records, skipped, last_problem, conflict_copy
                 FROM sync_files WHERE path = ?1",
            )?
            .query_row([path], sync_file_row)
            .optional()?)
    }

    /// Every file of another device read so far.
    pub fn sync_files(&self) -> Result<Vec<SyncFileRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT path, device, read_to, records, skipped, last_problem, conflict_copy
             FROM sync_files ORDER BY path",
        )?;
        let rows = stmt.query_map([], sync_file_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records waiting to be merged, oldest first.
    pub fn sync_pending(&self) -> Result<Vec<PendingRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, device, at, line, reason FROM sync_pending ORDER BY at, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(PendingRow {
                id: r.get(0)?,
                kind: r.get(1)?,
                device: r.get(2)?,
                at: r.get(3)?,
                line: r.get(4)?,
                reason: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// For each other device: how many of its records were taken in here,
    /// and when the newest of them happened.
    pub fn sync_merged_by_device(&self) -> Result<Vec<(String, i64, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT device, count(*), max(at) FROM sync_merged GROUP BY device ORDER BY device",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn sync_file_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SyncFileRow> {
    Ok(SyncFileRow {
        path: r.get(0)?,
        device: r.get(1)?,
        read_to: r.get(2)?,
        records: r.get(3)?,
        skipped: r.get(4)?,
        last_problem: r.get(5)?,
        conflict_copy: r.get(6)?,
    })
}

impl Tx<'_> {
    /// Remembers that the record `id` of `kind` was written to this
    /// device's files.
    pub fn mark_exported(&self, id: &str, kind: &str) -> Result<()> {
        self.tx
            .prepare_cached("INSERT OR IGNORE INTO sync_exported (id, kind) VALUES (?1, ?2)")?
            .execute(params![id, kind])?;
        Ok(())
    }

    /// Remembers that the record `id` of `kind` from `device` was taken
    /// in (and no longer waits).
    pub fn mark_merged(&self, id: &str, kind: &str, device: &str, at: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO sync_merged (id, kind, device, at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![id, kind, device, at])?;
        self.tx
            .prepare_cached("DELETE FROM sync_pending WHERE id = ?1 AND kind = ?2")?
            .execute(params![id, kind])?;
        Ok(())
    }

    /// Keeps a record to merge later, with why (replacing an older reason).
    pub fn put_pending(&self, row: &PendingRow) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO sync_pending (id, kind, device, at, line, reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (id, kind) DO UPDATE SET reason = excluded.reason",
            )?
            .execute(params![
                row.id, row.kind, row.device, row.at, row.line, row.reason
            ])?;
        Ok(())
    }

    /// Saves how far a file of another device was read.
    pub fn save_sync_file(&self, row: &SyncFileRow) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO sync_files (path, device, read_to, records, skipped, last_problem, conflict_copy)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (path) DO UPDATE SET read_to = excluded.read_to,
                     records = excluded.records, skipped = excluded.skipped,
                     last_problem = excluded.last_problem",
            )?
            .execute(params![
                row.path,
                row.device,
                row.read_to,
                row.records,
                row.skipped,
                row.last_problem,
                row.conflict_copy
            ])?;
        Ok(())
    }

    /// Remembers that the answer `review_id` of `card_id` was taken back.
    pub fn record_undone(&self, review_id: &str, card_id: &CardId, at: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO undone_answers (review_id, card_id, undone_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![review_id, card_id, at])?;
        Ok(())
    }
}
