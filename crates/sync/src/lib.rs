//! Several computers in step through a folder the user's own sync already
//! carries (Syncthing, Dropbox, iCloud Drive, a git repository).
//!
//! The collection never goes into that folder. Each device appends records
//! of its own to files of its own there (`notedeck-sync/<device>/<yyyy-mm>.jsonl`;
//! [`record`] is the line format, [`files`] the layout and the only code
//! that touches those files) and only reads the others'. A line is never
//! changed once written, so a sync tool never has two versions of a file to
//! choose between; a conflicting copy it makes anyway is read like any
//! file, and records merge by id (`notedeck_core::sync`).

pub mod files;
pub mod record;
pub mod watch;

use std::path::Path;

use chrono::{DateTime, Utc};
use notedeck_core::storage::{Collection, PendingRow, SyncFileRow};
use notedeck_core::sync::{self as core_sync, Incoming, Outgoing, Recorded};
use notedeck_core::{Error, Result};

use self::record::{Record, FORMAT};

/// Records written per transaction.
const WRITE_BATCH: usize = 5_000;

/// What wrote a record.
fn written_by() -> String {
    format!("notedeck {}", env!("CARGO_PKG_VERSION"))
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Records this device wrote to its files.
    pub written: usize,
    /// Records of other devices taken in.
    pub merged: usize,
    /// Records waiting to be merged (after this sync).
    pub waiting: usize,
    /// Lines and records of other devices skipped in this sync.
    pub skipped: usize,
}

/// Points the collection at `folder` and syncs.
pub fn set_folder(
    collection: &mut Collection,
    folder: &Path,
    now: DateTime<Utc>,
) -> Result<SyncReport> {
    core_sync::set_folder(collection, folder)?;
    core_sync::ensure_device_id(collection, now)?;
    run(collection, now)
}

/// Writes this device's new records to the folder, then takes in the
/// other devices' new records. Nothing when no folder is set.
pub fn run(collection: &mut Collection, now: DateTime<Utc>) -> Result<SyncReport> {
    let Some(folder) = core_sync::folder(collection)? else {
        return Ok(SyncReport::default());
    };
    if !folder.is_dir() {
        return Err(Error::BadSetting(format!(
            "the sync folder {} is not there (a drive not mounted?): nothing was synced; `notedeck sync --folder PATH` points at another",
            folder.display()
        )));
    }
    let me = core_sync::ensure_device_id(collection, now)?;
    let card = serde_json::json!({ "id": me, "name": files::host_name(), "by": written_by(), "format": FORMAT });
    files::write_device_card(&folder, &me, &format!("{card}\n"))?;
    let written = write_new(collection, &folder, &me)?;
    let (incoming, mut file_rows, skipped) = read_new(collection, &folder, &me)?;
    let merged = core_sync::merge_records(collection, incoming, &mut file_rows, &|p| reread(p))?;
    core_sync::advance_written_mark(collection)?;
    Ok(SyncReport {
        written,
        merged: merged.merged,
        waiting: merged.waiting,
        skipped: skipped + merged.unusable.len(),
    })
}

/// The record of something done here.
fn record_of(out: &Outgoing, device: &str) -> Record {
    let data = match out {
        Outgoing::Answer(row) => serde_json::json!({
            "card_id": row.card_id.as_str(),
            "day": notedeck_core::day::format_day(row.day),
            "grade": row.grade,
            "answer": row.kind.as_str(),
            "duration_ms": row.duration_ms,
            "session": row.session.map(|s| s.as_str()),
            "steps": row.steps,
        }),
        Outgoing::Undo(row) => serde_json::json!({ "card_id": row.card_id.as_str() }),
        Outgoing::Action(row) => serde_json::json!({
            "card_id": row.card_id.as_str(),
            "action": row.action.as_str(),
            "tag": row.action.tag(),
            "buried_until": row.action.buried_until().map(notedeck_core::day::format_day),
            "batch": row.batch,
            "day": notedeck_core::day::format_day(row.day),
        }),
        Outgoing::UndoAction(_, card_id, _) => serde_json::json!({ "card_id": card_id.as_str() }),
        Outgoing::Place(row) => serde_json::json!({
            "card_id": row.card_id.as_str(),
            "path": row.path,
            "match_key": row.match_key,
            "retired": row.retired,
        }),
        Outgoing::Alias(row) => serde_json::json!({
            "from": row.from_id.as_str(),
            "to": row.to_id.as_str(),
        }),
        Outgoing::Setting(row) => serde_json::json!({
            "scope": row.scope,
            "key": row.key,
            "value": row.value,
            "stamp": row.stamp,
        }),
    };
    Record {
        v: FORMAT,
        id: out.id().to_owned(),
        kind: out.kind().to_owned(),
        device: device.to_owned(),
        at: out.at().to_owned(),
        by: written_by(),
        data,
    }
}

/// The month file a record goes to (`2026-12.jsonl`).
fn month_file(at: &str) -> String {
    let month = at
        .get(..7)
        .filter(|m| m.len() == 7 && m.as_bytes()[4] == b'-')
        .unwrap_or("undated");
    format!("{month}.jsonl")
}

/// Appends every answer and undo made here and not yet written; returns
/// how many. A crash between the write and its note in the collection
/// writes the same records again next time: they merge by id.
fn write_new(collection: &mut Collection, folder: &Path, device: &str) -> Result<usize> {
    let mut written = 0;
    loop {
        let out = core_sync::unwritten(collection, WRITE_BATCH)?;
        if out.is_empty() {
            return Ok(written);
        }
        let mut by_file: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for item in &out {
            by_file
                .entry(month_file(item.at()))
                .or_default()
                .push(record::encode(&record_of(item, device)));
        }
        for (name, lines) in &by_file {
            files::append(folder, device, name, lines)?;
        }
        core_sync::mark_written(collection, &out)?;
        written += out.len();
    }
}

/// A record as the core takes it.
fn incoming(record: Record, line: String) -> Incoming {
    let text = |key: &str| {
        record
            .data
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let what = match record.kind.as_str() {
        "answer" => {
            let day = text("day").and_then(|d| notedeck_core::day::parse_day(d.as_bytes()));
            let grade = record
                .data
                .get("grade")
                .and_then(serde_json::Value::as_u64)
                .and_then(|g| u8::try_from(g).ok());
            match (text("card_id"), day, grade) {
                (Some(card_id), Some(day), Some(grade)) => Recorded::Answer {
                    card_id,
                    day,
                    grade,
                    duration_ms: record
                        .data
                        .get("duration_ms")
                        .and_then(serde_json::Value::as_i64),
                    session: text("session"),
                },
                _ => Recorded::Unusable("an answer without its card, day or grade".into()),
            }
        }
        "undo" => match text("card_id") {
            Some(card_id) => Recorded::Undo { card_id },
            None => Recorded::Unusable("an undo without its card".into()),
        },
        "action" => {
            let day = text("day").and_then(|d| notedeck_core::day::parse_day(d.as_bytes()));
            let until =
                text("buried_until").and_then(|d| notedeck_core::day::parse_day(d.as_bytes()));
            let action = text("action").and_then(|name| {
                notedeck_core::actions::Action::from_stored(&name, text("tag").as_deref(), until)
            });
            match (text("card_id"), action, day, text("batch")) {
                (Some(card_id), Some(action), Some(day), Some(batch)) => Recorded::Action {
                    card_id,
                    action,
                    day,
                    batch,
                },
                _ => Recorded::Unusable("an action without its card, kind, day or batch".into()),
            }
        }
        "undo_action" => match text("card_id") {
            Some(card_id) => Recorded::UndoAction { card_id },
            None => Recorded::Unusable("an undo without its card".into()),
        },
        "place" => {
            let retired = record
                .data
                .get("retired")
                .and_then(serde_json::Value::as_bool);
            match (text("card_id"), text("path"), text("match_key"), retired) {
                (Some(card_id), Some(path), Some(match_key), Some(retired)) => Recorded::Place {
                    card_id,
                    path,
                    match_key,
                    retired,
                },
                _ => Recorded::Unusable("a card's place without its card, note or key".into()),
            }
        }
        "setting" => match (text("scope"), text("key"), text("value"), text("stamp")) {
            (Some(scope), Some(key), Some(value), Some(stamp)) => Recorded::Setting {
                scope,
                key,
                value,
                stamp,
            },
            _ => Recorded::Unusable("a setting without its scope, key, value or stamp".into()),
        },
        "alias" => match (text("from"), text("to")) {
            (Some(from), Some(to)) => Recorded::Alias { from, to },
            _ => Recorded::Unusable("a merge of cards without both cards".into()),
        },
        other => Recorded::Unusable(format!(
            "a record of kind `{other}`, unknown to this notedeck"
        )),
    };
    Incoming {
        id: record.id,
        device: record.device,
        at: record.at,
        what,
        line,
    }
}

/// A waiting record read back from its stored line.
fn reread(pending: &PendingRow) -> Option<Incoming> {
    record::decode(&pending.line)
        .ok()
        .map(|r| incoming(r, pending.line.clone()))
}

/// Reads the other devices' new lines: the records, how far each file
/// read anew was read (and what was skipped in it), and how many lines
/// were skipped.
fn read_new(
    collection: &Collection,
    folder: &Path,
    me: &str,
) -> Result<(Vec<Incoming>, Vec<SyncFileRow>, usize)> {
    let mut fresh = Vec::new();
    let mut file_rows = Vec::new();
    let mut skipped = 0;
    for device in files::devices(folder)? {
        if device == me {
            continue;
        }
        for name in files::record_files(folder, &device)? {
            let path = format!("{}/{device}/{name}", files::ROOT);
            let stored = core_sync::file_state(collection, &path)?;
            let mut row = stored.clone().unwrap_or(SyncFileRow {
                path: path.clone(),
                device: device.clone(),
                read_to: 0,
                records: 0,
                skipped: 0,
                last_problem: None,
                conflict_copy: record::is_conflict_copy(&name),
            });
            let chunk = files::read_from(folder, &device, &name, row.read_to.max(0) as u64)?;
            let lines = record::read_lines(&chunk.bytes);
            for (number, problem) in &lines.problems {
                skipped += 1;
                row.skipped += 1;
                core_sync::note_problem(
                    &mut row,
                    format!("line {number} (from byte {}): {problem}", chunk.from),
                );
            }
            for (_, line, record) in lines.records {
                row.records += 1;
                if record.device != device {
                    skipped += 1;
                    row.skipped += 1;
                    core_sync::note_problem(
                        &mut row,
                        format!(
                            "a record of device {} in the folder of device {device}: not taken (each device writes only its own files)",
                            record.device
                        ),
                    );
                    continue;
                }
                fresh.push(incoming(record, line));
            }
            row.read_to = (chunk.from as usize + lines.consumed) as i64;
            if stored.as_ref() != Some(&row) {
                file_rows.push(row);
            }
        }
    }
    Ok((fresh, file_rows, skipped))
}

/// One other device as this collection knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceStatus {
    /// Its id (its folder's name).
    pub id: String,
    /// Its name, from its `device.json`.
    pub name: String,
    /// When its newest record taken in here happened.
    pub last_record_at: Option<String>,
    /// Its records taken in here.
    pub records: i64,
    /// Its lines skipped here.
    pub skipped: i64,
    /// Why, the newest few of each file.
    pub problems: Vec<String>,
    /// Its files a sync tool made as conflicting copies.
    pub conflict_copies: Vec<String>,
    /// Its records waiting here.
    pub waiting: i64,
    /// Why the newest of them waits.
    pub waiting_reason: Option<String>,
}

/// Where sync stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStatus {
    /// The folder, when sync is on.
    pub folder: Option<std::path::PathBuf>,
    /// This device's id, once sync was set up.
    pub device_id: Option<String>,
    /// This device's name (the computer's).
    pub device_name: String,
    /// The other devices seen in the folder or known from their records.
    pub devices: Vec<DeviceStatus>,
}

/// Where sync stands (reads the folder's device names; writes nothing).
pub fn status(collection: &Collection) -> Result<SyncStatus> {
    let folder = core_sync::folder(collection)?;
    let device_id = core_sync::device_id(collection)?;
    let known = core_sync::known(collection)?;
    let mut ids: Vec<String> = match folder.as_deref().filter(|f| f.is_dir()) {
        Some(f) => files::devices(f)?,
        None => Vec::new(),
    };
    ids.extend(known.merged.iter().map(|(d, _, _)| d.clone()));
    ids.extend(known.files.iter().map(|f| f.device.clone()));
    ids.sort();
    ids.dedup();
    let devices = ids
        .into_iter()
        .filter(|id| Some(id) != device_id.as_ref())
        .map(|id| {
            let (records, last) = known
                .merged
                .iter()
                .find(|(d, _, _)| *d == id)
                .map_or((0, None), |(_, n, at)| (*n, Some(at.clone())));
            let device_files: Vec<&SyncFileRow> =
                known.files.iter().filter(|f| f.device == id).collect();
            let waiting: Vec<&PendingRow> =
                known.waiting.iter().filter(|p| p.device == id).collect();
            DeviceStatus {
                name: folder
                    .as_deref()
                    .and_then(|f| files::device_name(f, &id))
                    .unwrap_or_else(|| "a device".to_owned()),
                last_record_at: last,
                records,
                skipped: device_files.iter().map(|f| f.skipped).sum(),
                problems: device_files
                    .iter()
                    .flat_map(|f| {
                        f.last_problem
                            .iter()
                            .flat_map(|p| p.split('\n'))
                            .map(move |p| format!("{}: {p}", f.path))
                    })
                    .collect(),
                conflict_copies: device_files
                    .iter()
                    .filter(|f| f.conflict_copy)
                    .map(|f| f.path.clone())
                    .collect(),
                waiting: waiting.len() as i64,
                waiting_reason: waiting.last().map(|p| p.reason.clone()),
                id,
            }
        })
        .collect();
    Ok(SyncStatus {
        folder,
        device_id,
        device_name: files::host_name(),
        devices,
    })
}
