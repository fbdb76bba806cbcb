//! The SQLite collection: the only module that talks to SQLite.
//!
//! One file, WAL, foreign keys on, `synchronous=FULL`, versioned migrations
//! in `sql/` tracked by `PRAGMA user_version`.

mod actions;
mod answer_keys;
mod bulk_answers;
mod cards;
mod decks;
mod devices;
mod extractions;
mod notes;
mod places;
mod reviews;
mod schedulers;
mod search;
mod shared;
mod stats;
mod stop;
mod sync;
mod totals;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::{Error, Result};

pub use actions::{ActionRow, CardMarks};
pub use bulk_answers::SetAside;
pub use cards::{CardInserts, CardRow, CardWrite, Pick, Scope, StoredCard};
pub use decks::{DeckCounts, DeckOptions};
pub use devices::DeviceRow;
pub use extractions::ExtractionRow;
pub use notes::{NoteRow, NoteWrite, SourceRow};
pub use places::{AliasRow, CardAtLine, PlaceRow};
pub use reviews::schedule_of as schedule_of_row;
pub(crate) use reviews::schedule_of;
pub use reviews::{CardPlace, RawReview, ReviewExportRow, ReviewRow};
pub use search::{SortKey, MATURE_DAYS};
pub use shared::SharedRow;
pub use stats::{Answers, CardFact, DeckAnswer, ReviewFact};
pub use sync::{PendingRow, SyncFileRow, UndoneRow};

/// Card ids are stored as their text.
impl rusqlite::ToSql for crate::model::CardId {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        self.0.to_sql()
    }
}

impl rusqlite::types::FromSql for crate::model::CardId {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        String::column_result(value).map(crate::model::CardId)
    }
}

/// Migrations in order; the schema version is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("sql/0001_initial.sql"),
    include_str!("sql/0002_review_log.sql"),
    include_str!("sql/0003_hardest_cards_index.sql"),
    include_str!("sql/0004_removed_media.sql"),
    include_str!("sql/0005_note_embeds.sql"),
    include_str!("sql/0006_dismissed_findings.sql"),
    include_str!("sql/0007_card_actions.sql"),
    include_str!("sql/0008_card_search.sql"),
    include_str!("sql/0009_study_sessions.sql"),
    include_str!("sql/0010_deck_options.sql"),
    include_str!("sql/0011_notes_in_deck_order.sql"),
    include_str!("sql/0012_fsrs.sql"),
    include_str!("sql/0013_recall_order.sql"),
    include_str!("sql/0014_reading_and_extraction.sql"),
    include_str!("sql/0015_bury_siblings.sql"),
    include_str!("sql/0016_learning_steps.sql"),
    include_str!("sql/0017_devices.sql"),
    include_str!("sql/0018_answer_keys.sql"),
    include_str!("sql/0019_sync.sql"),
    include_str!("sql/0020_sync_actions.sql"),
    include_str!("sql/0021_card_places.sql"),
    include_str!("sql/0022_shared_settings.sql"),
    include_str!("sql/0023_imported_answers.sql"),
    include_str!("sql/0024_narrow_reads.sql"),
    include_str!("sql/0025_new_cards.sql"),
    include_str!("sql/0026_due_filters.sql"),
    include_str!("sql/0027_places_in_browse.sql"),
    include_str!("sql/0028_fewer_index_entries.sql"),
    include_str!("sql/0029_review_totals.sql"),
    include_str!("sql/0030_days_index_for_decks.sql"),
    include_str!("sql/0031_one_due_index.sql"),
];

/// A read transaction [`Collection::in_one_read`] opened, ended when
/// dropped (also when its reader panics).
struct OpenRead<'c>(&'c Connection);

impl Drop for OpenRead<'_> {
    fn drop(&mut self) {
        if !self.0.is_autocommit() {
            // Nothing was written through it that a rollback could lose
            // (a reader that wrote committed its own transaction).
            let _ = self.0.execute_batch("ROLLBACK");
        }
    }
}

/// Puts the collection in WAL mode (it stays there; a big first import
/// leaves it for a while, see [`Collection::begin_bulk_write`]). Leaving
/// a rollback journal needs the file alone, and SQLite answers "busy" at
/// once, without waiting, when that import is switching back at the same
/// moment: tried again until one of the two has done it.
fn enter_wal(conn: &Connection) -> Result<()> {
    const PAUSE: std::time::Duration = std::time::Duration::from_millis(5);
    let mut tries = BUSY_TIMEOUT.as_millis() / PAUSE.as_millis();
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
            Ok(_) => return Ok(()),
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && tries > 0 =>
            {
                tries -= 1;
                std::thread::sleep(PAUSE);
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// The schema version whose migration cleans the media folder.
const MEDIA_RULE_VERSION: i64 = 4;

/// How long a write waits for another process's write (an import in the
/// desktop app while the CLI answers, say) before giving up: answers queue
/// behind an import instead of failing.
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// The setting holding the log position up to which sync has written
/// every answer (`sync::unwritten` reads past it; a deleted answer lowers
/// it).
pub const SYNC_WRITTEN_SETTING: &str = "sync_written_seq";

/// Plans each statement once, without looking at the values bound to it
/// (SQLite's query planner stability guarantee). Otherwise a statement
/// whose plan looked at a bound value (checking a partial index against
/// `c.id = ?1`, a `LIKE ?` pattern) is prepared again at its next use,
/// because a cached statement's bindings are cleared: a third of a sync's
/// merge was spent so.
fn plan_without_bound_values(conn: &Connection) -> Result<()> {
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 128;

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// An open notedeck collection.
pub struct Collection {
    conn: Connection,
    path: PathBuf,
    notices: Vec<String>,
}

impl Collection {
    /// Opens the collection at `path`, creating it (and its folder) if needed.
    ///
    /// Fails without changing the file when it is not a notedeck collection or
    /// was written by a newer notedeck.
    pub fn open(path: &Path) -> Result<Collection> {
        let exists = path.exists()
            && std::fs::metadata(path)
                .map(|m| m.len() > 0)
                .unwrap_or(false);
        if exists {
            check_existing(path)?;
        } else if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
        }
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Room for every statement an answer, an import or a sync uses in
        // one loop: rusqlite's default of 16 made them prepared again and
        // again (a third of a sync's time).
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        plan_without_bound_values(&conn)?;
        enter_wal(&conn)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut collection = Collection {
            conn,
            path: path.to_owned(),
            notices: Vec::new(),
        };
        collection.migrate()?;
        Ok(collection)
    }

    /// Opens an existing collection without writing to it (for backups).
    pub fn open_read_only(path: &Path) -> Result<Collection> {
        check_existing(path)?;
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        Ok(Collection {
            conn,
            path: path.to_owned(),
            notices: Vec::new(),
        })
    }

    /// Closes the connection.
    pub fn close(self) {
        drop(self);
    }

    /// Writes a consistent copy of the collection to `target` (`VACUUM INTO`).
    pub fn vacuum_into(&self, target: &Path) -> Result<()> {
        self.conn
            .execute("VACUUM INTO ?1", [target.to_string_lossy()])?;
        Ok(())
    }

    /// Holds a read snapshot of the collection (a read transaction that
    /// stays open), calls `held` once it is held, then writes that snapshot
    /// to `target` through SQLite's online backup: what others write after
    /// `held` is not in the copy, and nobody waits for it.
    pub fn backup_held(&self, target: &Path, held: &mut dyn FnMut()) -> Result<()> {
        self.conn
            .execute_batch("BEGIN; SELECT count(*) FROM sqlite_schema;")?;
        held();
        let copied = (|| -> Result<()> {
            let mut out = Connection::open(target)?;
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
            // One step: the whole snapshot at once.
            backup.run_to_completion(i32::MAX, std::time::Duration::ZERO, None)?;
            drop(backup);
            out.close().map_err(|(_, e)| e)?;
            Ok(())
        })();
        let _ = self.conn.execute_batch("COMMIT");
        copied
    }

    /// Replaces this collection's content with the database at `source`,
    /// through SQLite's online backup so other connections stay consistent.
    pub fn restore_from(&mut self, source: &Path) -> Result<()> {
        self.conn.restore(
            rusqlite::MAIN_DB,
            source,
            None::<fn(rusqlite::backup::Progress)>,
        )?;
        self.migrate()
    }

    /// A second, read-only connection to the same collection, for reading
    /// in parallel on another thread (WAL lets readers run side by side).
    pub fn sibling_reader(&self) -> Result<Collection> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        plan_without_bound_values(&conn)?;
        Ok(Collection {
            conn,
            path: self.path.clone(),
            notices: Vec::new(),
        })
    }

    /// Runs `read` over the two halves of `(MIN, last]` (of sequence numbers,
    /// note ids…) at once: the first on this connection, the second on a second read connection
    /// (`what` names what is read, for the error if that reader fails).
    pub fn read_in_two_halves<T: Send>(
        &self,
        last: i64,
        what: &str,
        read: impl Fn(&Reader<'_>, (i64, i64)) -> Result<T> + Sync,
    ) -> Result<(T, T)> {
        self.read_split_at((i64::MIN, last), last / 2, what, read)
    }

    /// Runs `read` over `(after, middle]` on this connection and over
    /// `(middle, last]` on a second read connection, at once (inside a
    /// write transaction that has written nothing yet, the second sees
    /// what this one sees: the last commit).
    pub fn read_split_at<T: Send>(
        &self,
        (after, last): (i64, i64),
        middle: i64,
        what: &str,
        read: impl Fn(&Reader<'_>, (i64, i64)) -> Result<T> + Sync,
    ) -> Result<(T, T)> {
        let sibling = if middle < last {
            Some(self.sibling_reader()?)
        } else {
            None
        };
        let read = &read;
        std::thread::scope(|threads| {
            let second = sibling
                .map(|sibling| threads.spawn(move || read(&sibling.reader(), (middle, last))));
            let first = read(&self.reader(), (after, middle))?;
            let second = match second {
                Some(second) => second.join().map_err(|_| {
                    Error::io(
                        format!("reading {what}"),
                        std::io::Error::other("the second reader stopped unexpectedly"),
                    )
                })??,
                None => read(&self.reader(), (middle, last))?,
            };
            Ok((first, second))
        })
    }

    /// The collection file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder beside the collection where note images are copied.
    pub fn media_dir(&self) -> PathBuf {
        media_dir_of(&self.path)
    }

    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version >= SCHEMA_VERSION {
            return Ok(());
        }
        // Take the write lock first and read the version again under it: two
        // processes opening a new collection at once migrate it once.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                path: self.path.clone(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", index as i64 + 1)?;
        }

        if version < MEDIA_RULE_VERSION {
            // Files earlier versions copied that the media rule now
            // refuses (HTML, script, anything that is not what its name
            // says) are removed once, and recorded.
            let removed = crate::media::clean_folder(&media_dir_of(&self.path));
            for (name, reason) in &removed {
                tx.execute(
                    "INSERT OR REPLACE INTO removed_media (name, reason) VALUES (?1, ?2)",
                    [name, reason],
                )?;
            }
            if !removed.is_empty() {
                let names: Vec<&str> = removed.iter().map(|(n, _)| n.as_str()).collect();
                self.notices.push(format!(
                    "removed {} file(s) from the media folder that are not images, audio, video or PDF (notes may not bring anything that could run): {}",
                    removed.len(),
                    names.join(", ")
                ));
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Things this opening did that the user should hear about (a
    /// migration's clean-up), once.
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// Prepares this connection for one big write (a large import) that
    /// should write each page once: the collection leaves WAL for a
    /// rollback journal, which journals only the pages that existed before
    /// (a first import's new pages go straight to the file instead of into
    /// the WAL and again at the checkpoint). `synchronous=EXTRA` makes the
    /// journal's removal, the commit, durable too. Returns false, changing
    /// nothing, when another connection has the collection open (leaving
    /// WAL needs it alone); then the write goes through the WAL as always.
    /// [`Collection::end_bulk_write`] goes back.
    pub fn begin_bulk_write(&self) -> Result<bool> {
        self.conn.busy_timeout(std::time::Duration::ZERO)?;
        let mode = self
            .conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            });
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        let switched = match mode {
            Ok(mode) => mode.eq_ignore_ascii_case("delete"),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                false
            }
            Err(e) => return Err(e.into()),
        };
        if switched {
            self.conn.pragma_update(None, "synchronous", "EXTRA")?;
        }
        Ok(switched)
    }

    /// Back to WAL and `synchronous=FULL` after
    /// [`Collection::begin_bulk_write`] switched. Should another process
    /// be reading at this moment, the collection stays in its rollback
    /// journal (just as durable) until the next opening sets WAL again.
    pub fn end_bulk_write(&self) -> Result<()> {
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        // Another process opening the collection sets WAL itself: a second
        // is long enough to wait for one that is reading right now.
        self.conn.busy_timeout(std::time::Duration::from_secs(1))?;
        let _ = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(())
    }

    /// Runs `read` inside one read transaction: one lock taken and given
    /// back, and one snapshot, for all its reads (outside a transaction
    /// each statement takes the file's lock and gives it back, and a queue
    /// made hundreds of them). Inside a transaction already, `read` just
    /// runs. Whatever `read` returns, the transaction ends with it.
    pub fn in_one_read<T, E: From<Error>>(
        &self,
        read: impl FnOnce() -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        if !self.conn.is_autocommit() {
            return read();
        }
        self.conn
            .execute_batch("BEGIN")
            .map_err(|e| E::from(e.into()))?;
        let open = OpenRead(&self.conn);
        let result = read();
        drop(open);
        result
    }

    /// Starts a write transaction; dropping it without commit rolls back.
    pub fn transaction(&mut self) -> Result<Tx<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        Ok(Tx { tx })
    }

    /// Refreshes the statistics SQLite's planner reads (a sample of each
    /// index), so the browser's searches pick the right index; cheap, and
    /// run after cards were added in bulk.
    pub fn refresh_planner_statistics(&self) -> Result<()> {
        self.conn
            .execute_batch("PRAGMA analysis_limit = 1000; ANALYZE;")?;
        Ok(())
    }

    /// Copies the write-ahead log into the database and empties it: after
    /// a bulk rewrite, so the next answers do not pay for the copy.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Sets SQLite's page cache for this connection to `mib` MiB (its
    /// default is 2 MiB): a bulk write that touches many index pages (an
    /// import of a whole review log) keeps them in memory instead of
    /// spilling and reading them back.
    pub fn set_cache_mib(&self, mib: i64) -> Result<()> {
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = -{}", mib.max(1) * 1024))?;
        Ok(())
    }

    /// A mark that changes whenever the collection may have changed: on
    /// every row this connection writes (even in a transaction rolled
    /// back) and on every commit of another connection, in this process or
    /// another. Equal marks mean the same content: what was read from it
    /// may be kept.
    pub fn change_mark(&self) -> Result<ChangeMark> {
        let others: i64 = self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?;
        Ok(ChangeMark {
            others,
            own: self.conn.total_changes(),
        })
    }

    /// Read access for queries outside a transaction.
    pub fn reader(&self) -> Reader<'_> {
        Reader { conn: &self.conn }
    }

    /// A setting's stored value, if it was ever set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.reader().setting(key)
    }

    /// Stores a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        write_setting(&self.conn, key, value)
    }
}

/// See [`Collection::change_mark`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeMark {
    /// SQLite's `data_version`: moves when another connection commits.
    others: i64,
    /// Rows this connection has written since it opened.
    own: u64,
}

impl ChangeMark {
    /// True when `later` differs from this mark only by rows this
    /// connection wrote (no other connection committed in between).
    pub fn only_own_writes_before(self, later: ChangeMark) -> bool {
        self.others == later.others
    }
}

/// Stores a setting on `conn` (a collection's, or a transaction's).
fn write_setting(conn: &rusqlite::Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// The folder beside the collection at `collection` that holds its images
/// (`collection.media` for `collection.sqlite3`).
pub fn media_dir_of(collection: &Path) -> PathBuf {
    let stem = collection
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "collection".into());
    collection.with_file_name(format!("{stem}.media"))
}

/// Refuses files that are not notedeck collections or are too new, opening
/// them read-only so nothing is changed.
///
/// Only SQLite reads the file, never `std::fs`: this process may already
/// hold the collection open (the server's readers, the search indexer),
/// and closing any other descriptor of the file would drop every POSIX
/// lock the process holds on it, letting another program's connection
/// delete the write-ahead log under it. SQLite itself keeps such
/// descriptors open until its last connection to the file closes.
fn check_existing(path: &Path) -> Result<()> {
    let not_ours = |reason: &str| Error::NotACollection {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    // Only corruption means damage; I/O failures (a full disk, say) leave
    // the file as it was and must not send the user to their backups.
    let damaged = |e: rusqlite::Error| {
        let corrupt = e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt);
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => Error::Sqlite(e),
            // SQLite reads the header itself: a file that does not start
            // as a database is not ours (it was never a collection).
            Some(rusqlite::ErrorCode::NotADatabase) => not_ours("not a SQLite database"),
            _ if corrupt => Error::Damaged {
                path: path.to_owned(),
                reason: e.to_string(),
            },
            _ => Error::Unavailable {
                path: path.to_owned(),
                reason: e.to_string(),
            },
        }
    };
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(damaged)?;
    // A first import writing through a rollback journal holds the file
    // until it commits: wait for it as for any writer.
    conn.busy_timeout(BUSY_TIMEOUT).map_err(damaged)?;
    let (conn, version) = match conn.pragma_query_value(None, "user_version", |r| r.get(0)) {
        Ok(version) => (conn, version),
        // A write killed in a rollback journal (a big import, see
        // `begin_bulk_write`) left its journal: only a connection that may
        // write can roll it back, as SQLite does on the next read.
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.extended_code == rusqlite::ffi::SQLITE_READONLY_ROLLBACK =>
        {
            drop(conn);
            let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
                .map_err(damaged)?;
            conn.busy_timeout(BUSY_TIMEOUT).map_err(damaged)?;
            let version = conn
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .map_err(damaged)?;
            (conn, version)
        }
        Err(e) => return Err(damaged(e)),
    };
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(damaged)?;
    if version == 0 && tables == 0 {
        return Ok(());
    }
    let application: Option<String> = conn
        .query_row(
            "SELECT value FROM collection_info WHERE key = 'application'",
            [],
            |r| r.get(0),
        )
        .optional()
        .unwrap_or(None);
    if application.as_deref() != Some("notedeck") {
        return Err(not_ours("a SQLite database of another program"));
    }
    if version > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            path: path.to_owned(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// A write transaction over the collection.
pub struct Tx<'c> {
    tx: rusqlite::Transaction<'c>,
}

impl Tx<'_> {
    /// Stores a setting, as part of this transaction.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        write_setting(&self.tx, key, value)
    }

    /// Makes every change of this transaction durable.
    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }
}

/// Read-only queries over the collection.
pub struct Reader<'c> {
    conn: &'c Connection,
}

/// Joins a heading path for storage (unit separator between headings).
pub(crate) fn join_path(path: &[String]) -> String {
    path.join("\u{1f}")
}

/// Splits a stored heading path.
pub(crate) fn split_path(stored: &str) -> Vec<String> {
    if stored.is_empty() {
        Vec::new()
    } else {
        stored.split('\u{1f}').map(str::to_owned).collect()
    }
}

/// The `LIKE` pattern matching the sub-decks of `deck` (`deck::%`), with
/// `LIKE` wildcards in the name escaped by `\\`.
pub(crate) fn subdeck_pattern(deck: Option<&str>) -> Option<String> {
    deck.map(|d| format!("{}::%", like_escape(d)))
}

/// `text` for a `LIKE … ESCAPE '\'` pattern: its escape character and
/// wildcards escaped.
pub(crate) fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod work_tests;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every collection runs under the settings ARCHITECTURE.md promises:
    /// WAL, full sync, foreign keys, its schema version and its mark.
    #[test]
    fn a_collection_is_opened_durable_and_marked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let collection = Collection::open(&dir.path().join("c.sqlite3")).expect("open");
        let pragma = |name: &str| -> String {
            collection
                .conn
                .query_row(&format!("PRAGMA {name}"), [], |r| {
                    r.get::<_, rusqlite::types::Value>(0)
                })
                .map(|v| match v {
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                })
                .expect("pragma")
        };
        assert_eq!(pragma("journal_mode"), "wal");
        assert_eq!(pragma("synchronous"), "2", "FULL");
        assert_eq!(pragma("foreign_keys"), "1");
        assert_ne!(pragma("user_version"), "0");
        let mark: String = collection
            .conn
            .query_row(
                "SELECT value FROM collection_info WHERE key = 'application'",
                [],
                |r| r.get(0),
            )
            .expect("mark");
        assert_eq!(mark, "notedeck");
    }

    fn mode_and_sync(collection: &Collection) -> (String, i64) {
        let mode = collection
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("journal mode");
        let sync = collection
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .expect("synchronous");
        (mode, sync)
    }

    /// `in_one_read` reads one snapshot (another connection's commit in
    /// the middle is not seen), and its transaction ends however its reader
    /// ends: with a value, an error or a panic.
    #[test]
    fn one_read_sees_one_snapshot_and_always_ends() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("c.sqlite3");
        let collection = Collection::open(&path).expect("open");
        let other = Collection::open(&path).expect("second connection");
        let count = |c: &Collection| -> i64 {
            c.conn
                .query_row("SELECT count(*) FROM settings", [], |r| r.get(0))
                .expect("count")
        };
        let before = count(&collection);
        let seen = collection
            .in_one_read(|| -> Result<(i64, i64)> {
                let first = count(&collection);
                other.set_setting("new_per_day", "7")?;
                Ok((first, count(&collection)))
            })
            .expect("read");
        assert_eq!(seen, (before, before), "one snapshot");
        assert!(collection.conn.is_autocommit());
        assert_eq!(count(&collection), before + 1, "the snapshot ended");

        let failed: Result<()> = collection.in_one_read(|| Err(Error::Stopped));
        assert!(failed.is_err() && collection.conn.is_autocommit());
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _: Result<()> = collection.in_one_read(|| panic!("a reader's bug"));
        }));
        assert!(panicked.is_err() && collection.conn.is_autocommit());
    }

    /// A big write alone on the collection leaves WAL for a rollback
    /// journal with `synchronous=EXTRA` and comes back; with another
    /// connection open it changes nothing and does not wait.
    #[test]
    fn a_bulk_write_writes_pages_once_only_when_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("c.sqlite3");
        let collection = Collection::open(&path).expect("open");
        assert!(collection.begin_bulk_write().expect("begin"));
        assert_eq!(mode_and_sync(&collection), ("delete".to_owned(), 3));
        collection.end_bulk_write().expect("end");
        assert_eq!(mode_and_sync(&collection), ("wal".to_owned(), 2));

        let other = Collection::open(&path).expect("second connection");
        // (Waiting would take the busy timeout, two minutes.)
        assert!(!collection.begin_bulk_write().expect("begin beside another"));
        assert_eq!(mode_and_sync(&collection), ("wal".to_owned(), 2));
        drop(other);
    }
}
