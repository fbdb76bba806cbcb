//! The core's error type.

use std::path::PathBuf;

/// Everything that can stop a core operation as a whole.
///
/// Problems with single files or sections are not errors: they are listed in
/// the import report and the rest goes on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The path given to import does not exist.
    #[error("{path}: no such file or folder; check the path and try again")]
    PathNotFound {
        /// The missing path.
        path: PathBuf,
    },
    /// A path given to import is neither a folder nor a note file.
    #[error("{path} is not imported: {reason}")]
    NotANote {
        /// The path given.
        path: PathBuf,
        /// Why it is refused.
        reason: String,
    },
    /// The collection was written by a newer notedeck.
    #[error("{path} was written by a newer notedeck (schema {found}, this build knows {known}): update notedeck to open it")]
    NewerSchema {
        /// The collection file.
        path: PathBuf,
        /// The schema version in the file.
        found: i64,
        /// The newest schema this build knows.
        known: i64,
    },
    /// The file is not a notedeck collection.
    #[error("{path} is not a notedeck collection ({reason}); choose another collection (`--db` or NOTEDECK_DB) or move the file away")]
    NotACollection {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        reason: String,
    },
    /// The collection file is damaged (truncated or corrupted).
    #[error("{path} is damaged ({reason}); `notedeck backups` lists the automatic backups and `notedeck restore FILE` puts one back")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What SQLite reported.
        reason: String,
    },
    /// The collection file could not be read or written for a reason other
    /// than damage: a full disk, a failing drive, no permission.
    #[error("cannot open {path} ({reason}); the disk may be full or unreadable: free some space or check the drive and its permissions, then try again")]
    Unavailable {
        /// The file.
        path: PathBuf,
        /// What SQLite reported.
        reason: String,
    },
    /// A deck name given by the user matches no deck.
    #[error("no deck named `{0}`; `notedeck decks` lists the decks")]
    DeckNotFound(String),
    /// A card id matches no card.
    #[error("no card with id `{0}`; `notedeck cards` lists the cards")]
    CardNotFound(String),
    /// The card's section left its note; it cannot be answered.
    #[error("card `{0}` is retired (its section left the note); restore the section and re-import to review it")]
    CardRetired(String),
    /// Undo with an empty review log.
    #[error("nothing to undo: no answers or actions in the log")]
    NothingToUndo,
    /// An undo of a step the learner was shown, but another step is newest
    /// now (given elsewhere in between): nothing was taken back.
    #[error("nothing was taken back: the newest step is no longer the one shown ({expected}) but {newest}, done since; look at what undo would take back now and try again")]
    UndoMoved {
        /// The step the learner agreed to take back.
        expected: String,
        /// The newest step now.
        newest: String,
    },
    /// A search query that cannot be read.
    #[error("{0}")]
    BadQuery(crate::search::QueryError),
    /// A notedeck tag that is not one word.
    #[error("`{0}` is not a tag: use one word of letters, digits, `-`, `_`, `/` or `.` (at most 64 characters)")]
    BadTag(String),
    /// A backup file that cannot be restored.
    #[error("{path} cannot be restored: {reason}; `notedeck backups` lists the usable backups")]
    BadBackup {
        /// The backup file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A scheduler setting that cannot be used (a retention out of range,
    /// unusable parameters).
    #[error("{0}")]
    BadScheduler(String),
    /// An answer key a page sent that is not one (see [`crate::resend`]).
    #[error("an answer key is 16 to 64 letters, digits, `-` or `_`, not `{0}`")]
    BadAnswerKey(String),
    /// A setting that cannot be read (the message says which and why).
    #[error("{0}")]
    BadSetting(String),
    /// A setting's value outside what it allows.
    #[error("{name} must be between {min} and {max}, not {value}")]
    OutOfRange {
        /// The setting.
        name: String,
        /// The value given.
        value: i64,
        /// The least allowed.
        min: i64,
        /// The most allowed.
        max: i64,
    },
    /// Too few usable answers to fit FSRS's parameters to.
    #[error("FSRS needs at least {needed} answers given a day or more after the card's previous answer to fit its parameters; this collection has {usable}. Keep reviewing with the default parameters, which suit most learners")]
    NotEnoughReviews {
        /// Usable answers in the log.
        usable: usize,
        /// The minimum asked for.
        needed: usize,
    },
    /// A query was stopped before it finished: its caller's check (a time
    /// budget, a caller gone away) said so. Nothing was changed.
    #[error("the query was stopped before it finished (it ran too long, or its caller left); nothing was changed: make the search narrower and try again")]
    Stopped,
    /// A card could not be written into its note (`extract`): the note
    /// changed on disk, lives outside the imported folders, or the
    /// selection is not in it. The note is left as it was.
    #[error("cannot write the card into {note}: {reason}")]
    CannotWrite {
        /// The note's path.
        note: String,
        /// Why, and what to do.
        reason: String,
    },
    /// Nothing was imported before, so there is nothing to re-import.
    #[error("nothing has been imported yet; run `notedeck import PATH` first")]
    NoSources,
    /// SQLite failed.
    #[error("collection error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A file could not be read or written.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Wraps an I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
