//! Devices paired with `serve --lan` (`devices`): their names, when they
//! were paired and last seen, and the hash of each one's token.

use rusqlite::{params, OptionalExtension};

use super::{Reader, Tx};
use crate::Result;

/// A paired device, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    /// Its id (shown, and given to `devices --forget`).
    pub id: String,
    /// Its name, from its browser (`Chrome on Android`).
    pub name: String,
    /// When it was paired (UTC, RFC 3339).
    pub paired_at: String,
    /// When it last made a request (UTC, RFC 3339, to the minute or so).
    pub last_seen: String,
}

fn device_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceRow> {
    Ok(DeviceRow {
        id: r.get(0)?,
        name: r.get(1)?,
        paired_at: r.get(2)?,
        last_seen: r.get(3)?,
    })
}

impl Reader<'_> {
    /// Every paired device, the most recently paired first.
    pub fn devices(&self) -> Result<Vec<DeviceRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, paired_at, last_seen FROM devices ORDER BY paired_at DESC, id",
        )?;
        let rows = stmt.query_map([], device_of)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The device whose token hashes to `token_hash`, if one is paired.
    pub fn device_by_token_hash(&self, token_hash: &str) -> Result<Option<DeviceRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, paired_at, last_seen FROM devices WHERE token_hash = ?1",
        )?;
        Ok(stmt.query_row([token_hash], device_of).optional()?)
    }
}

impl Tx<'_> {
    /// Records a newly paired device with its token's hash.
    pub fn insert_device(&self, device: &DeviceRow, token_hash: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO devices (id, name, token_hash, paired_at, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                device.id,
                device.name,
                token_hash,
                device.paired_at,
                device.last_seen
            ])?;
        Ok(())
    }

    /// Forgets the device `id`; false when there is none.
    pub fn delete_device(&self, id: &str) -> Result<bool> {
        let deleted = self
            .tx
            .prepare_cached("DELETE FROM devices WHERE id = ?1")?
            .execute([id])?;
        Ok(deleted > 0)
    }

    /// Records that the device `id` was seen at `at`.
    pub fn touch_device(&self, id: &str, at: &str) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE devices SET last_seen = ?2 WHERE id = ?1")?
            .execute([id, at])?;
        Ok(())
    }
}
