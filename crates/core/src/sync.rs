//! Several computers in step through a folder the user's own sync already
//! carries: what the collection keeps of it and how other devices' records
//! are taken in. The files themselves (their JSON Lines format, the
//! folder's layout, reading and writing them) are `notedeck-sync`'s; here
//! records are typed.
//!
//! Each device has an id (a UUIDv7 made once, kept in the collection). Its
//! answers and undos go out as records under their own ids; records of
//! other devices come in and are merged by [`merge`] in the order they
//! happened, each once.

pub mod merge;
pub mod places;
pub mod shared;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::settings::Settings;
use crate::storage::{
    ActionRow, AliasRow, Collection, PendingRow, PlaceRow, ReviewRow, SharedRow, SyncFileRow,
    UndoneRow, SYNC_WRITTEN_SETTING as WRITTEN_SETTING,
};
use crate::{Error, Result};

/// The setting holding the sync folder.
pub const FOLDER_SETTING: &str = "sync_folder";
/// The setting holding this collection's device id.
pub const DEVICE_SETTING: &str = "sync_device_id";

/// The sync folder set for this collection, if any.
pub fn folder(collection: &Collection) -> Result<Option<PathBuf>> {
    Ok(collection
        .setting(FOLDER_SETTING)?
        .filter(|f| !f.is_empty())
        .map(PathBuf::from))
}

/// This collection's device id, if sync was ever set up.
pub fn device_id(collection: &Collection) -> Result<Option<String>> {
    Ok(collection
        .setting(DEVICE_SETTING)?
        .filter(|d| !d.is_empty()))
}

/// This collection's device id (made and stored on first use).
pub fn ensure_device_id(collection: &mut Collection, now: DateTime<Utc>) -> Result<String> {
    if let Some(id) = device_id(collection)? {
        return Ok(id);
    }
    let id = crate::actions::new_id(now);
    let tx = collection.transaction()?;
    tx.set_setting(DEVICE_SETTING, &id)?;
    tx.commit()?;
    Ok(id)
}

/// Points the collection at `folder` (which must exist and must not hold
/// the collection: a sync tool copying a SQLite file while it is written
/// damages it). Gives the folder as stored (absolute).
pub fn set_folder(collection: &mut Collection, folder: &Path) -> Result<PathBuf> {
    let folder = std::fs::canonicalize(folder).map_err(|_| Error::PathNotFound {
        path: folder.to_owned(),
    })?;
    if !folder.is_dir() {
        return Err(Error::BadSetting(format!(
            "{} is not a folder: give the folder your sync carries (Syncthing, Dropbox, iCloud Drive, a git repository)",
            folder.display()
        )));
    }
    let inside = collection
        .path()
        .canonicalize()
        .ok()
        .is_some_and(|db| db.starts_with(&folder));
    if inside {
        return Err(Error::BadSetting(format!(
            "the collection itself is inside {}: a sync tool would copy the SQLite file while it is written and damage it; choose a folder that does not hold the collection",
            folder.display()
        )));
    }
    let tx = collection.transaction()?;
    tx.set_setting(FOLDER_SETTING, &folder.to_string_lossy())?;
    tx.commit()?;
    Ok(folder)
}

/// Stops syncing; everything merged so far stays.
pub fn turn_off(collection: &mut Collection) -> Result<()> {
    let tx = collection.transaction()?;
    tx.set_setting(FOLDER_SETTING, "")?;
    tx.commit()?;
    Ok(())
}

/// A record this device has to write: an answer or action taken here, or
/// an undo of one.
#[derive(Debug, Clone, PartialEq)]
pub enum Outgoing {
    /// An answer (its id is the record's).
    Answer(ReviewRow),
    /// An answer taken back (the answer's id is the record's).
    Undo(UndoneRow),
    /// An action: suspend, bury, forget, tag (its id is the record's).
    Action(ActionRow),
    /// An action taken back: its id, its card, when.
    UndoAction(String, crate::model::CardId, String),
    /// Where an import here put a card (see [`places`]).
    Place(PlaceRow),
    /// A card merged into another here.
    Alias(AliasRow),
    /// A setting or deck option changed here (see [`shared`]).
    Setting(SharedRow),
}

impl Outgoing {
    /// The record's id.
    pub fn id(&self) -> &str {
        match self {
            Outgoing::Answer(row) => &row.id,
            Outgoing::Undo(row) => &row.review_id,
            Outgoing::Action(row) => &row.id,
            Outgoing::UndoAction(id, _, _) => id,
            Outgoing::Place(row) => &row.id,
            Outgoing::Alias(row) => &row.id,
            Outgoing::Setting(row) => &row.id,
        }
    }

    /// The record's kind: `answer`, `undo`, `action`, `undo_action`,
    /// `place`, `alias` or `setting`.
    pub fn kind(&self) -> &'static str {
        match self {
            Outgoing::Answer(_) => "answer",
            Outgoing::Undo(_) => "undo",
            Outgoing::Action(_) => "action",
            Outgoing::UndoAction(..) => "undo_action",
            Outgoing::Place(_) => "place",
            Outgoing::Alias(_) => "alias",
            Outgoing::Setting(_) => "setting",
        }
    }

    /// When it happened (RFC 3339).
    pub fn at(&self) -> &str {
        match self {
            Outgoing::Answer(row) => &row.answered_at,
            Outgoing::Undo(row) => &row.undone_at,
            Outgoing::Action(row) => &row.acted_at,
            Outgoing::UndoAction(_, _, at) => at,
            Outgoing::Place(row) => &row.at,
            Outgoing::Alias(row) => &row.at,
            Outgoing::Setting(row) => &row.at,
        }
    }
}

/// Records this device has not written yet: answers given here in log
/// order (at most `limit`), then, when none are left, actions, then
/// identity decisions, merges and settings, then undos.
pub fn unwritten(collection: &Collection, limit: usize) -> Result<Vec<Outgoing>> {
    let reader = collection.reader();
    let after = collection
        .setting(WRITTEN_SETTING)?
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let answers = reader.unexported_answers(after, limit)?;
    if !answers.is_empty() {
        return Ok(answers.into_iter().map(Outgoing::Answer).collect());
    }
    let actions = reader.unexported_actions(limit)?;
    if !actions.is_empty() {
        return Ok(actions.into_iter().map(Outgoing::Action).collect());
    }
    let mut identity: Vec<Outgoing> = reader
        .unexported_places(limit)?
        .into_iter()
        .map(Outgoing::Place)
        .collect();
    identity.extend(
        reader
            .unexported_aliases(limit)?
            .into_iter()
            .map(Outgoing::Alias),
    );
    identity.extend(
        reader
            .unexported_settings()?
            .into_iter()
            .map(Outgoing::Setting),
    );
    if !identity.is_empty() {
        return Ok(identity);
    }
    let mut undos: Vec<Outgoing> = reader
        .unexported_undos()?
        .into_iter()
        .map(Outgoing::Undo)
        .collect();
    undos.extend(
        reader
            .unexported_action_undos()?
            .into_iter()
            .map(|(id, card, at)| Outgoing::UndoAction(id, card, at)),
    );
    Ok(undos)
}

/// Remembers that `records` were written to this device's files.
pub fn mark_written(collection: &mut Collection, records: &[Outgoing]) -> Result<()> {
    let tx = collection.transaction()?;
    for record in records {
        match record {
            Outgoing::Place(row) => tx.place_written(&row.id)?,
            _ => tx.mark_exported(record.id(), record.kind())?,
        }
    }
    let last = records
        .iter()
        .filter_map(|r| match r {
            Outgoing::Answer(row) => Some(row.seq),
            _ => None,
        })
        .max();
    if let Some(seq) = last {
        tx.set_setting(WRITTEN_SETTING, &seq.to_string())?;
    }
    tx.commit()
}

/// Moves the mark of what was written up to the log's newest position
/// once nothing is left to write (answers merged from other devices need
/// no writing), so the next sync reads past them. Writes only when it moves.
pub fn advance_written_mark(collection: &mut Collection) -> Result<()> {
    let mark: i64 = collection
        .setting(WRITTEN_SETTING)?
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let newest = collection.reader().newest_review_seq()?;
    if newest > mark && collection.reader().unexported_answers(mark, 1)?.is_empty() {
        let tx = collection.transaction()?;
        tx.set_setting(WRITTEN_SETTING, &newest.to_string())?;
        tx.commit()?;
    }
    Ok(())
}

/// A record of another device, read from its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The record's id.
    pub id: String,
    /// The device that wrote it.
    pub device: String,
    /// When it happened (RFC 3339, UTC).
    pub at: String,
    /// What it records.
    pub what: Recorded,
    /// The record's line as written, kept whole if it must wait.
    pub line: String,
}

/// What an incoming record records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// An answer.
    Answer {
        /// The card.
        card_id: String,
        /// The learner's day it was given on there.
        day: chrono::NaiveDate,
        /// 0–5.
        grade: u8,
        /// Time taken, when known.
        duration_ms: Option<i64>,
        /// Its custom study session, by name.
        session: Option<String>,
    },
    /// An undo of the answer whose id is the record's.
    Undo {
        /// The undone answer's card.
        card_id: String,
    },
    /// An action (suspend, bury, forget, tag).
    Action {
        /// The card.
        card_id: String,
        /// What was done.
        action: crate::actions::Action,
        /// The learner's day it was done on there.
        day: chrono::NaiveDate,
        /// The batch it was done in (undone together).
        batch: String,
    },
    /// An undo of the action whose id is the record's.
    UndoAction {
        /// The undone action's card.
        card_id: String,
    },
    /// Where an import on that device put a card, or that it retired it.
    Place {
        /// The card.
        card_id: String,
        /// Its note's path within the vault, with `/`.
        path: String,
        /// Its matching key in the note.
        match_key: String,
        /// It was retired.
        retired: bool,
    },
    /// A card merged into another on that device.
    Alias {
        /// The card merged away.
        from: String,
        /// The card it is part of now.
        to: String,
    },
    /// A setting or deck option changed on that device.
    Setting {
        /// `collection` or `deck:<name>`.
        scope: String,
        /// The setting.
        key: String,
        /// Its value as stored.
        value: String,
        /// Its clock stamp (see [`shared`]).
        stamp: String,
    },
    /// A record this notedeck cannot use, and why.
    Unusable(String),
}

impl Incoming {
    /// The record's kind as stored (as [`Outgoing::kind`], or `unusable`).
    pub fn kind(&self) -> &str {
        match &self.what {
            Recorded::Answer { .. } => "answer",
            Recorded::Undo { .. } => "undo",
            Recorded::Action { .. } => "action",
            Recorded::UndoAction { .. } => "undo_action",
            Recorded::Place { .. } => "place",
            Recorded::Alias { .. } => "alias",
            Recorded::Setting { .. } => "setting",
            Recorded::Unusable(_) => "unusable",
        }
    }
}

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    /// Records taken in.
    pub merged: usize,
    /// Records that cannot be used, each with its device and why.
    pub unusable: Vec<(String, String)>,
    /// Records waiting after the merge.
    pub waiting: usize,
}

/// Merges `incoming` (new records of other devices) with the records
/// waiting from before, in the order they happened (time, then id), each
/// once, and saves how far each file was read (`files`: those whose state
/// changed), all in one transaction. `reread` turns a waiting record's stored line back into a
/// record.
pub fn merge_records(
    collection: &mut Collection,
    incoming: Vec<Incoming>,
    files: &mut [SyncFileRow],
    reread: &dyn Fn(&PendingRow) -> Option<Incoming>,
) -> Result<Merged> {
    let settings = Settings::read(collection)?;
    let mut all: Vec<Incoming> = collection
        .reader()
        .sync_pending()?
        .iter()
        .filter_map(reread)
        .collect();
    all.extend(incoming);
    all.sort_by(|a, b| (a.at.as_str(), a.id.as_str()).cmp(&(b.at.as_str(), b.id.as_str())));
    all.dedup_by(|a, b| a.id == b.id && a.kind() == b.kind());
    let mut outcome = Merged::default();
    // Nothing new (the usual case of a sync every few seconds): no write,
    // so no transaction to flush to disk.
    if all.is_empty() && files.is_empty() {
        return Ok(outcome);
    }
    let mut epochs = collection.reader().epochs()?;
    let tx = collection.transaction()?;
    // The log's trigger only (answers merged here are answered through the
    // queue's own path, which reads the log by day: the index stays).
    let set_aside = tx.set_aside_for_answers(0)?;
    let mut waiting: Vec<&Incoming> = Vec::new();
    let mut identity_changed = false;
    for record in &all {
        if tx.reader().sync_record_known(&record.id, record.kind())? {
            continue;
        }
        match merge::apply(&tx, record, &settings, &epochs)? {
            merge::Applied::Merged => {
                outcome.merged += 1;
                identity_changed |=
                    matches!(record.what, Recorded::Place { .. } | Recorded::Alias { .. });
                // A switch of scheduler (or FSRS's settings under FSRS)
                // taken in adds a setting to replay by.
                if let Recorded::Setting { key, .. } = &record.what {
                    if shared::SCHEDULER_KEYS.contains(&key.as_str()) {
                        epochs = tx.reader().epochs()?;
                    }
                }
            }
            merge::Applied::Unusable(why) => {
                if let Some(row) = files.iter_mut().find(|r| r.device == record.device) {
                    row.skipped += 1;
                    note_problem(row, format!("record {}: {why}", record.id));
                }
                outcome.unusable.push((record.device.clone(), why));
            }
            merge::Applied::Waiting(_) => waiting.push(record),
        }
    }
    // A card's identity settled in this merge (a place or an alias taken
    // in, perhaps after the records naming it): what waited for it goes in.
    if identity_changed {
        for record in waiting {
            if let merge::Applied::Merged = merge::apply(&tx, record, &settings, &epochs)? {
                outcome.merged += 1;
            }
        }
    }
    for row in files.iter() {
        tx.save_sync_file(row)?;
    }
    outcome.waiting = tx.reader().sync_pending()?.len();
    tx.put_back_after_answers(set_aside)?;
    tx.commit()?;
    Ok(outcome)
}

/// The most problems a file keeps for the status (the newest first).
const PROBLEMS_KEPT: usize = 3;

/// Keeps `problem` among the file's newest few.
pub fn note_problem(row: &mut SyncFileRow, problem: String) {
    let mut kept: Vec<String> = row
        .last_problem
        .as_deref()
        .map(|p| p.split('\n').map(str::to_owned).collect())
        .unwrap_or_default();
    kept.insert(0, problem.replace('\n', " "));
    kept.truncate(PROBLEMS_KEPT);
    row.last_problem = Some(kept.join("\n"));
}

/// What the collection knows of the other devices, for a status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    /// Per device: records merged here and when the newest happened.
    pub merged: Vec<(String, i64, String)>,
    /// Every file of another device read so far.
    pub files: Vec<SyncFileRow>,
    /// Records waiting.
    pub waiting: Vec<PendingRow>,
}

/// What the collection knows of the other devices.
pub fn known(collection: &Collection) -> Result<Known> {
    let reader = collection.reader();
    Ok(Known {
        merged: reader.sync_merged_by_device()?,
        files: reader.sync_files()?,
        waiting: reader.sync_pending()?,
    })
}

/// How far the file at `path` (inside the sync folder) was read.
pub fn file_state(collection: &Collection, path: &str) -> Result<Option<SyncFileRow>> {
    collection.reader().sync_file(path)
}
