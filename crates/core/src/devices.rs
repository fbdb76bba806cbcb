//! Devices paired with `notedeck serve --lan`: a phone that opened a
//! one-time pairing code gets a long-lived token of its own (made by the
//! server from the system's randomness); the collection keeps only the
//! token's hash, so a copy of the collection opens nothing. Forgetting a
//! device deletes it, and its token opens nothing from then on.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::storage::{Collection, DeviceRow};
use crate::{Error, Result};

/// The longest device name kept (a browser's name, cut).
pub const MAX_NAME_CHARS: usize = 60;

/// How a token is stored: its BLAKE3 hash, in hex.
pub fn token_hash(token: &str) -> String {
    blake3::hash(token.as_bytes()).to_hex().to_string()
}

fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Records the device `id` named `name`, which will show `token`, as
/// paired at `now`.
pub fn pair(
    collection: &mut Collection,
    id: &str,
    name: &str,
    token: &str,
    now: DateTime<Utc>,
) -> Result<DeviceRow> {
    let name: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    let device = DeviceRow {
        id: id.to_owned(),
        name: if name.trim().is_empty() {
            "A browser".to_owned()
        } else {
            name.trim().to_owned()
        },
        paired_at: stamp(now),
        last_seen: stamp(now),
    };
    let tx = collection.transaction()?;
    tx.insert_device(&device, &token_hash(token))?;
    tx.commit()?;
    Ok(device)
}

/// The device that holds `token`, if one is paired.
pub fn holding(collection: &Collection, token: &str) -> Result<Option<DeviceRow>> {
    collection.reader().device_by_token_hash(&token_hash(token))
}

/// Records that `device` was seen at `now`.
pub fn seen(collection: &mut Collection, device: &str, now: DateTime<Utc>) -> Result<()> {
    let tx = collection.transaction()?;
    tx.touch_device(device, &stamp(now))?;
    tx.commit()
}

/// Forgets the device `id`; an unknown id is an error that says so.
pub fn forget(collection: &mut Collection, id: &str) -> Result<()> {
    let tx = collection.transaction()?;
    if !tx.delete_device(id)? {
        return Err(Error::BadSetting(format!(
            "no paired device `{id}`: `notedeck devices` lists them"
        )));
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paired_device_is_found_by_its_token_until_it_is_forgotten() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("c.sqlite3");
        let mut collection = Collection::open(&path).expect("open");
        let now: DateTime<Utc> = "2026-03-01T09:00:00Z".parse().expect("time");
        let device = pair(
            &mut collection,
            "d1",
            "Chrome on Android\n",
            "secret-token",
            now,
        )
        .expect("pair");
        assert_eq!(device.name, "Chrome on Android");
        assert_eq!(
            holding(&collection, "secret-token").expect("find"),
            Some(device.clone())
        );
        assert_eq!(holding(&collection, "other").expect("find"), None);
        // Only the hash is stored.
        let stored: String = rusqlite::Connection::open(&path)
            .expect("sql")
            .query_row("SELECT token_hash FROM devices", [], |r| r.get(0))
            .expect("row");
        assert_ne!(stored, "secret-token");
        seen(
            &mut collection,
            "d1",
            "2026-03-02T10:00:00Z".parse().expect("time"),
        )
        .expect("seen");
        assert_eq!(
            collection.reader().devices().expect("list")[0].last_seen,
            "2026-03-02T10:00:00Z"
        );
        forget(&mut collection, "d1").expect("forget");
        assert_eq!(holding(&collection, "secret-token").expect("find"), None);
        let again = forget(&mut collection, "d1").expect_err("gone");
        assert!(again.to_string().contains("no paired device `d1`"));
    }
}
