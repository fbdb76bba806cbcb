//! The one service layer every notedeck shell calls (CLI, HTTP server,
//! desktop app), with the serialisable types that cross that edge.
//!
//! Shells read the clock and pass `now`; they never touch the core or
//! SQLite directly.

mod dto;
mod error;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, Utc};
use notedeck_core::day;
use notedeck_core::import::{self, ImportOptions, Progress};
use notedeck_core::storage::Collection;

pub use dto::*;
pub use error::{ApiError, ErrorCode};

/// The API's result type.
pub type ApiResult<T> = Result<T, ApiError>;

/// An open collection and the operations on it.
pub struct Service {
    collection: Collection,
}

impl Service {
    /// Opens (or creates) the collection at `path`.
    pub fn open(path: &Path) -> ApiResult<Service> {
        Ok(Service {
            collection: Collection::open(path)?,
        })
    }

    /// The collection file's path.
    pub fn path(&self) -> &Path {
        self.collection.path()
    }

    /// The learner's day at `now`, honouring the collection's rollover hour.
    pub fn today(&self, now: DateTime<Utc>) -> ApiResult<String> {
        let rollover = self
            .collection
            .setting("rollover_hour")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(day::DEFAULT_ROLLOVER_HOUR);
        Ok(day::format_day(day::learning_day(
            &now.with_timezone(&Local),
            rollover,
        )))
    }

    /// Imports notes (every known source when `paths` is empty).
    pub fn import(
        &mut self,
        paths: &[PathBuf],
        request: &ImportRequest,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(Progress),
    ) -> ApiResult<ImportReportDto> {
        let options = ImportOptions {
            deck: request.deck.clone(),
            dry_run: request.dry_run,
            ..ImportOptions::default()
        };
        let report = import::import(&mut self.collection, paths, &options, now, progress)?;
        Ok(ImportReportDto::from(report))
    }

    /// The deck tree with counts that include sub-decks.
    pub fn decks(&self, now: DateTime<Utc>) -> ApiResult<Vec<DeckNode>> {
        let today = self.today(now)?;
        let rows = self.collection.reader().deck_counts(&today)?;
        Ok(dto::deck_tree(&rows))
    }

    /// Every card, or those of `deck` and its sub-decks.
    pub fn cards(&self, deck: Option<&str>) -> ApiResult<Vec<CardDto>> {
        if let Some(deck) = deck {
            self.require_deck(deck)?;
        }
        let rows = self.collection.reader().cards(deck)?;
        Ok(rows.into_iter().map(CardDto::from).collect())
    }

    fn require_deck(&self, deck: &str) -> ApiResult<()> {
        if self.collection.reader().deck_exists(deck)? {
            Ok(())
        } else {
            Err(notedeck_core::Error::DeckNotFound(deck.to_owned()).into())
        }
    }
}
