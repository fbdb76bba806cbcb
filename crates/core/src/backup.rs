//! Automatic daily backups beside the collection, and restoring one.
//!
//! Backups are consistent snapshots taken with `VACUUM INTO` (a read
//! transaction, so answers written meanwhile by another process are either
//! wholly in or wholly out). They live in `<collection>.backups/` as
//! `collection-YYYY-MM-DD.sqlite3`; the newest 7 daily copies are kept, plus
//! the newest copy of each of the 4 most recent older weeks. Copies taken
//! before a restore (`collection-before-restore-….sqlite3`) are never pruned.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::storage::Collection;
use crate::{Error, Result};

/// Daily copies kept.
pub const KEEP_DAILY: usize = 7;
/// Weekly copies kept beyond the daily ones.
pub const KEEP_WEEKLY: usize = 4;

/// A backup file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    /// Where it is.
    pub path: PathBuf,
    /// The day of a daily backup.
    pub day: Option<NaiveDate>,
    /// Size in bytes.
    pub size: u64,
}

/// The folder holding a collection's backups.
pub fn backup_dir(collection_path: &Path) -> PathBuf {
    let stem = collection_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "collection".into());
    collection_path.with_file_name(format!("{stem}.backups"))
}

fn daily_name(day: NaiveDate) -> String {
    format!("collection-{}.sqlite3", crate::day::format_day(day))
}

fn day_of(name: &str) -> Option<NaiveDate> {
    let day = name.strip_prefix("collection-")?.strip_suffix(".sqlite3")?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// True when today's backup of the collection at `collection_path` exists.
pub fn has_daily(collection_path: &Path, today: NaiveDate) -> bool {
    backup_dir(collection_path).join(daily_name(today)).exists()
}

/// How long a claim to take today's backup holds (a process that died
/// while taking it leaves its claim behind).
const CLAIM_STALE: std::time::Duration = std::time::Duration::from_secs(600);

/// Claims the taking of today's backup for this process: false when it
/// exists already, or another process claimed it in the last minutes.
pub fn claim_daily(collection_path: &Path, today: NaiveDate) -> Result<bool> {
    let dir = backup_dir(collection_path);
    if dir.join(daily_name(today)).exists() {
        return Ok(false);
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let claim = claim_path(&dir, today);
    let stale = std::fs::metadata(&claim)
        .and_then(|m| m.modified())
        .is_ok_and(|at| at.elapsed().is_ok_and(|age| age > CLAIM_STALE));
    if stale {
        let _ = std::fs::remove_file(&claim);
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&claim)
    {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Error::io(format!("cannot write {}", claim.display()), e)),
    }
}

/// Gives up a claim (taken or not).
pub fn release_daily(collection_path: &Path, today: NaiveDate) {
    let _ = std::fs::remove_file(claim_path(&backup_dir(collection_path), today));
}

fn claim_path(dir: &Path, today: NaiveDate) -> PathBuf {
    dir.join(format!(".{}.taking", daily_name(today)))
}

/// Takes today's backup from a snapshot held first: `held` is called once
/// the snapshot is held (what is written after it is not in the backup),
/// and the copy goes on while others write. Prunes old backups.
pub fn daily_held(
    collection: &Collection,
    today: NaiveDate,
    held: &mut dyn FnMut(),
) -> Result<PathBuf> {
    let dir = backup_dir(collection.path());
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let target = dir.join(daily_name(today));
    let partial = dir.join(format!(
        "{}.{}.partial",
        daily_name(today),
        std::process::id()
    ));
    let _ = std::fs::remove_file(&partial);
    let written = collection.backup_held(&partial, held).and_then(|()| {
        std::fs::rename(&partial, &target)
            .map_err(|e| Error::io(format!("cannot write {}", target.display()), e))
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written?;
    prune(&dir)?;
    Ok(target)
}

/// Takes today's backup unless there is one; prunes old ones. Returns the
/// new backup's path when one was taken.
pub fn daily(collection: &Collection, today: NaiveDate) -> Result<Option<PathBuf>> {
    let dir = backup_dir(collection.path());
    let target = dir.join(daily_name(today));
    if target.exists() {
        return Ok(None);
    }
    snapshot(collection, &target)?;
    prune(&dir)?;
    Ok(Some(target))
}

/// Writes a consistent copy of the collection to `target`.
pub fn snapshot(collection: &Collection, target: &Path) -> Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    // Each snapshot writes its own temporary file: two processes taking
    // today's backup at once never write into the same file, and the
    // rename makes whichever finishes last the (equally consistent) copy.
    static SNAPSHOTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = SNAPSHOTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let partial = dir.join(format!("{name}.{}-{n}.partial", std::process::id()));
    let _ = std::fs::remove_file(&partial);
    let written = collection.vacuum_into(&partial).and_then(|()| {
        std::fs::rename(&partial, target)
            .map_err(|e| Error::io(format!("cannot write {}", target.display()), e))
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// Deletes daily backups beyond the retention rule.
fn prune(dir: &Path) -> Result<()> {
    let mut daily: Vec<(NaiveDate, PathBuf)> = list(dir)?
        .into_iter()
        .filter_map(|b| b.day.map(|d| (d, b.path)))
        .collect();
    daily.sort_by_key(|(day, _)| std::cmp::Reverse(*day));
    let mut keep: HashSet<PathBuf> = daily
        .iter()
        .take(KEEP_DAILY)
        .map(|(_, p)| p.clone())
        .collect();
    let mut weeks = Vec::new();
    for (day, path) in daily.iter().skip(KEEP_DAILY) {
        let week = (day.iso_week().year(), day.iso_week().week());
        if !weeks.contains(&week) && weeks.len() < KEEP_WEEKLY {
            weeks.push(week);
            keep.insert(path.clone());
        }
    }
    for (_, path) in daily {
        if !keep.contains(&path) {
            std::fs::remove_file(&path).map_err(|e| {
                Error::io(format!("cannot delete old backup {}", path.display()), e)
            })?;
        }
    }
    Ok(())
}

/// Every backup in `dir`, newest first.
pub fn list(dir: &Path) -> Result<Vec<Backup>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(format!("cannot read {}", dir.display()), e)),
    };
    let mut backups = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".sqlite3") {
            continue;
        }
        backups.push(Backup {
            day: day_of(&name),
            size: entry.metadata().map(|m| m.len()).unwrap_or(0),
            path: entry.path(),
        });
    }
    backups.sort_by(|a, b| b.path.file_name().cmp(&a.path.file_name()));
    Ok(backups)
}

/// Puts a backup back into the collection file at `collection_path`, even
/// when that file is damaged: a sound collection is replaced through
/// [`restore`]; a damaged one is first copied aside as
/// `collection-damaged-<stamp>.sqlite3`, then replaced. Returns where the
/// previous state was saved.
pub fn restore_file(collection_path: &Path, backup: &Path, stamp: &str) -> Result<PathBuf> {
    match Collection::open(collection_path) {
        Ok(mut collection) => restore(&mut collection, backup, stamp),
        Err(Error::Damaged { .. }) => {
            check_backup(backup)?;
            let dir = backup_dir(collection_path);
            std::fs::create_dir_all(&dir)
                .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
            let aside = dir.join(format!("collection-damaged-{stamp}.sqlite3"));
            std::fs::copy(collection_path, &aside).map_err(|e| {
                Error::io(
                    format!("cannot copy the damaged collection to {}", aside.display()),
                    e,
                )
            })?;
            let partial = collection_path.with_extension("restoring");
            std::fs::copy(backup, &partial)
                .map_err(|e| Error::io(format!("cannot copy {}", backup.display()), e))?;
            for suffix in ["-wal", "-shm"] {
                let mut side = collection_path.as_os_str().to_owned();
                side.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(side));
            }
            std::fs::rename(&partial, collection_path).map_err(|e| {
                Error::io(format!("cannot replace {}", collection_path.display()), e)
            })?;
            Ok(aside)
        }
        Err(other) => Err(other),
    }
}

/// Refuses a backup that is missing or not a sound notedeck collection.
fn check_backup(backup: &Path) -> Result<()> {
    let bad = |reason: String| Error::BadBackup {
        path: backup.to_owned(),
        reason,
    };
    if !backup.is_file() {
        return Err(bad("no such file".into()));
    }
    let copy = Collection::open_read_only(backup).map_err(|e| bad(e.to_string()))?;
    let problems = copy
        .reader()
        .integrity_problems()
        .map_err(|e| bad(e.to_string()))?;
    if let Some(problem) = problems.first() {
        return Err(bad(problem.clone()));
    }
    copy.close();
    Ok(())
}

/// Replaces the collection's content with a backup, after saving the current
/// state as `collection-before-restore-<stamp>.sqlite3`. Returns that path.
pub fn restore(collection: &mut Collection, backup: &Path, stamp: &str) -> Result<PathBuf> {
    check_backup(backup)?;
    let safety =
        backup_dir(collection.path()).join(format!("collection-before-restore-{stamp}.sqlite3"));
    snapshot(collection, &safety)?;
    collection.restore_from(backup)?;
    Ok(safety)
}
