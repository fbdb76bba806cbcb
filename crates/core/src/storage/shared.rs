//! Settings and deck options as they travel between devices: the newest
//! stamped value known for each (schema 22).

use rusqlite::{params, OptionalExtension};

use super::{Reader, Tx};
use crate::Result;

/// The newest value known for one setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedRow {
    /// `collection`, or `deck:<name>`.
    pub scope: String,
    /// The setting's key (or the deck option's name).
    pub key: String,
    /// Its value as stored (empty: unset, for a deck option).
    pub value: String,
    /// Its hybrid-logical-clock stamp (ordered as text).
    pub stamp: String,
    /// The record that set it.
    pub id: String,
    /// When it was set (RFC 3339, UTC).
    pub at: String,
    /// The device that set it, or none when it was this one.
    pub device: Option<String>,
}

fn shared_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SharedRow> {
    Ok(SharedRow {
        scope: r.get(0)?,
        key: r.get(1)?,
        value: r.get(2)?,
        stamp: r.get(3)?,
        id: r.get(4)?,
        at: r.get(5)?,
        device: r.get(6)?,
    })
}

impl Reader<'_> {
    /// A setting's stored value, within a transaction or not.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    /// Every stored setting, in one read (key → value).
    pub fn all_settings(&self) -> Result<std::collections::HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, value FROM settings")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The newest stamped value known for a setting.
    pub fn shared_setting(&self, scope: &str, key: &str) -> Result<Option<SharedRow>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT scope, key, value, stamp, id, at, device FROM shared_settings
                 WHERE scope = ?1 AND key = ?2",
            )?
            .query_row(params![scope, key], shared_row)
            .optional()?)
    }

    /// Values set here not yet written to the sync folder.
    pub fn unexported_settings(&self) -> Result<Vec<SharedRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT scope, key, value, stamp, id, at, device FROM shared_settings s
             WHERE device IS NULL
               AND NOT EXISTS (SELECT 1 FROM sync_exported e WHERE e.id = s.id AND e.kind = 'setting')
             ORDER BY stamp",
        )?;
        let rows = stmt.query_map([], shared_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// True when a setting record with this id is known here.
    pub fn setting_record_known(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM shared_settings WHERE id = ?1")?
            .exists([id])?)
    }
}

impl Tx<'_> {
    /// Keeps `row` as a setting's newest value.
    pub fn put_shared_setting(&self, row: &SharedRow) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO shared_settings (scope, key, value, stamp, id, at, device)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value,
                     stamp = excluded.stamp, id = excluded.id, at = excluded.at,
                     device = excluded.device",
            )?
            .execute(params![
                row.scope, row.key, row.value, row.stamp, row.id, row.at, row.device
            ])?;
        Ok(())
    }
}
