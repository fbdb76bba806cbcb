//! Errors as they cross the API edge: a stable code to branch on and a
//! message to show.

use serde::Serialize;
#[cfg(feature = "ts")]
use ts_rs::TS;

/// What kind of failure, for callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// An import path does not exist.
    PathNotFound,
    /// The collection comes from a newer notedeck.
    NewerSchema,
    /// The file is not a notedeck collection.
    NotACollection,
    /// No such deck.
    DeckNotFound,
    /// No such card.
    CardNotFound,
    /// Nothing imported yet.
    NoSources,
    /// The card is retired.
    CardRetired,
    /// The review log is empty.
    NothingToUndo,
    /// The step an undo was asked for is no longer the newest: nothing was
    /// taken back.
    UndoMoved,
    /// The backup cannot be restored.
    BadBackup,
    /// The collection file is damaged: restore a backup.
    Damaged,
    /// A request the API cannot carry out as given.
    InvalidInput,
    /// The request came from elsewhere than the server's own page.
    Forbidden,
    /// The disk holding the collection (or its media) is full.
    DiskFull,
    /// SQLite failed.
    Storage,
    /// A file could not be read or written.
    Io,
}

/// A failure reported to a shell: `{ "code": …, "message": … }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(TS))]
#[error("{message}")]
pub struct ApiError {
    /// Stable code.
    pub code: ErrorCode,
    /// One readable line saying what happened and what to do.
    pub message: String,
}

impl ApiError {
    /// What a shell answers when notedeck itself failed on a request (a
    /// panic caught at the shell's edge).
    pub fn internal() -> ApiError {
        ApiError::new(
            ErrorCode::Storage,
            "notedeck failed on this request (an internal error); nothing was changed. Please report it",
        )
    }

    /// An error with the given code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
        }
    }
}

/// A file that could not be written (see [`crate::write_whole_file`]),
/// with its path in the message.
impl From<std::io::Error> for ApiError {
    fn from(error: std::io::Error) -> ApiError {
        ApiError::new(ErrorCode::Io, error.to_string())
    }
}

impl From<notedeck_core::Error> for ApiError {
    fn from(err: notedeck_core::Error) -> ApiError {
        use notedeck_core::Error as E;
        if is_disk_full(&err) {
            return ApiError::new(
                ErrorCode::DiskFull,
                "the disk holding the collection is full: free some space, then try again \
                 (nothing was written; the collection is as it was before)",
            );
        }
        let code = match &err {
            E::PathNotFound { .. } => ErrorCode::PathNotFound,
            E::NotANote { .. } | E::CannotWrite { .. } => ErrorCode::InvalidInput,
            E::NewerSchema { .. } => ErrorCode::NewerSchema,
            E::NotACollection { .. } => ErrorCode::NotACollection,
            E::DeckNotFound(_) => ErrorCode::DeckNotFound,
            E::CardNotFound(_) => ErrorCode::CardNotFound,
            E::NoSources => ErrorCode::NoSources,
            E::CardRetired(_) => ErrorCode::CardRetired,
            E::NothingToUndo => ErrorCode::NothingToUndo,
            E::UndoMoved { .. } => ErrorCode::UndoMoved,
            E::BadTag(_)
            | E::BadQuery(_)
            | E::BadScheduler(_)
            | E::OutOfRange { .. }
            | E::BadSetting(_)
            | E::BadAnswerKey(_)
            | E::NotEnoughReviews { .. }
            | E::Stopped => ErrorCode::InvalidInput,
            E::BadBackup { .. } => ErrorCode::BadBackup,
            E::Damaged { .. } => ErrorCode::Damaged,
            E::Unavailable { .. } => ErrorCode::Io,
            E::Sqlite(_) => ErrorCode::Storage,
            E::Io { .. } => ErrorCode::Io,
        };
        ApiError::new(code, err.to_string())
    }
}

/// True when `err` comes from a full disk (SQLite's `SQLITE_FULL`, or
/// `ENOSPC` from a file write).
fn is_disk_full(err: &notedeck_core::Error) -> bool {
    use notedeck_core::Error as E;
    match err {
        E::Sqlite(rusqlite::Error::SqliteFailure(failure, _)) => {
            failure.code == rusqlite::ErrorCode::DiskFull
        }
        E::Io { source, .. } => {
            source.kind() == std::io::ErrorKind::StorageFull || source.raw_os_error() == Some(28)
        }
        _ => false,
    }
}
