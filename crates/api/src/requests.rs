//! The request types of the operations (see [`crate::ops`]), with the
//! checks that turn them into the core's terms.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

#[cfg(feature = "ts")]
use ts_rs::TS;

use crate::{
    ApiError, ApiResult, CardAction, DoctorRule, ErrorCode, ExportFormat, Grade, ImportRequest,
    NewOrder, SessionKind, Sort, MAX_STATS_DAYS,
};

/// The request of an operation that takes nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct NoRequest {}

/// The request of an operation on one deck or all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct DeckRequest {
    /// The deck (with its sub-decks); absent or empty for every deck.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub deck: Option<String>,
    /// Only the cards with this tag (note tag or notedeck tag), where the
    /// operation takes one (`decks`, `due`).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub tag: Option<String>,
}

/// The request of `answer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct AnswerRequest {
    /// The card answered.
    pub card_id: String,
    /// 0–5, or again, hard, good, easy.
    pub grade: Grade,
    /// How long the answer took, in milliseconds, when known.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub duration_ms: Option<i64>,
    /// The custom study session (`ahead`, `extra_new`, `failed_today`,
    /// `cram`) the answer was given in; absent for the daily queue.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub session: Option<SessionKind>,
    /// A key the page made for this answer (16–64 letters, digits, `-`,
    /// `_`): sent again under the same key, it is recorded only once.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub answer_key: Option<String>,
    /// How long ago (ms) the answer was given, when it waited in the page
    /// for the network: it is recorded at that time (never before the
    /// card's newest answer).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub waited_ms: Option<i64>,
}

/// The request of `study`: a custom session over a deck, a tag or a search
/// (or every card), of one kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct StudyRequest {
    /// One deck and its sub-decks.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub deck: Option<String>,
    /// Cards with this note tag or notedeck tag.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub tag: Option<String>,
    /// Cards this search finds.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub search: Option<String>,
    /// Review ahead: cards due within this many days.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub ahead: Option<Count>,
    /// Cram: every card, schedules untouched.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub cram: Option<Flag>,
    /// This many new cards beyond today's limit.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub extra_new: Option<Count>,
    /// The cards failed today, again.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub failed_today: Option<Flag>,
}

/// The request of `doctor_page`: the card doctor's findings a part at a
/// time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct DoctorPageRequest {
    /// The deck (with its sub-decks); absent or empty for every deck.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub deck: Option<String>,
    /// Only this rule's findings (the counts still cover every rule).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub rule: Option<DoctorRule>,
    /// Findings of each rule, the first ones by note and line (default
    /// [`DOCTOR_PAGE_FINDINGS`], at most [`MAX_DOCTOR_PAGE_FINDINGS`]).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub limit: Option<Count>,
}

/// Findings of each rule on a page of the card doctor's, unless asked.
pub const DOCTOR_PAGE_FINDINGS: u64 = 50;
/// The most findings of one rule a page of the card doctor's holds.
pub const MAX_DOCTOR_PAGE_FINDINGS: u64 = 100_000;

impl DoctorPageRequest {
    /// The deck asked for, if any (empty means every deck).
    pub fn deck(&self) -> Option<&str> {
        non_empty(self.deck.as_deref())
    }

    /// Findings of each rule to give.
    pub fn limit(&self) -> ApiResult<usize> {
        let limit = self.limit.map_or(DOCTOR_PAGE_FINDINGS, |c| c.0);
        if limit > MAX_DOCTOR_PAGE_FINDINGS {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "limit is at most {MAX_DOCTOR_PAGE_FINDINGS} findings a rule: ask for fewer"
                ),
            ));
        }
        Ok(usize::try_from(limit).unwrap_or(usize::MAX))
    }
}

/// The most days a review-ahead session looks forward.
pub const MAX_AHEAD_DAYS: u64 = 3650;

impl StudyRequest {
    /// The one kind of session asked for, or an error naming the choices.
    pub fn study(&self) -> ApiResult<notedeck_core::queue::Study> {
        use notedeck_core::queue::{Study, MAX_STUDY_CARDS};
        let mut kinds = Vec::new();
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        if let Some(days) = self.ahead {
            crate::check_range("ahead (days)", count(days.0), 1..=MAX_AHEAD_DAYS as i64)?;
            kinds.push(Study::Ahead(days.0 as u32));
        }
        if self.cram.is_some_and(|f| f.0) {
            kinds.push(Study::Cram);
        }
        if let Some(extra) = self.extra_new {
            crate::check_range("extra_new", count(extra.0), 1..=MAX_STUDY_CARDS)?;
            kinds.push(Study::ExtraNew(extra.0 as u32));
        }
        if self.failed_today.is_some_and(|f| f.0) {
            kinds.push(Study::FailedToday);
        }
        match kinds.as_slice() {
            [one] => Ok(*one),
            _ => Err(ApiError::new(
                ErrorCode::InvalidInput,
                "choose one kind of session: ahead (days), cram, extra_new (cards) or failed_today",
            )),
        }
    }
}

/// The most cards one browser page holds.
pub const MAX_PAGE_CARDS: u64 = 1000;

/// The request of `browse`: one page of a search.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct BrowseRequest {
    /// The search (see the README's query syntax); empty finds every card.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub search: Option<String>,
    /// `note` (the default), `due`, `interval`, `ease`, `lapses` or `created`.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub sort: Option<Sort>,
    /// Largest first.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub descending: Option<Flag>,
    /// The first card's position (0 first).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub offset: Option<Count>,
    /// Cards on the page (default 200, at most 1000).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub limit: Option<Count>,
}

/// A true/false value read from JSON or a query string (`true`, `1`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(TS), ts(type = "boolean"))]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Flag, D::Error> {
        match Value::deserialize(d)? {
            Value::Bool(b) => Ok(Flag(b)),
            Value::String(text) if matches!(text.as_str(), "true" | "1") => Ok(Flag(true)),
            Value::String(text) if matches!(text.as_str(), "false" | "0" | "") => Ok(Flag(false)),
            other => Err(D::Error::custom(format!("`{other}` is not true or false"))),
        }
    }
}

/// A whole number of things, read from a number or from its text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(TS), ts(type = "number"))]
pub struct Count(pub u64);

impl Serialize for Count {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Count, D::Error> {
        let value = Value::deserialize(d)?;
        let parsed = match &value {
            Value::Number(n) => n.as_u64(),
            Value::String(text) => text.parse().ok(),
            _ => None,
        };
        parsed
            .map(Count)
            .ok_or_else(|| D::Error::custom(format!("`{value}` is not a whole number")))
    }
}

/// The request of `set_deck_options`: a deck's own options, all of them
/// (a null or absent field is inherited from the parent deck, then the
/// collection).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct DeckOptionsRequest {
    /// The deck.
    pub deck: String,
    /// New cards introduced per day.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub new_per_day: Option<i64>,
    /// First-of-day answers per day.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub reviews_per_day: Option<i64>,
    /// `note` or `random`.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub new_order: Option<NewOrder>,
    /// The longest interval, in days.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_interval: Option<i64>,
    /// Keep siblings (a `:::` pair, a cloze paragraph) off the same day.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub bury_siblings: Option<bool>,
    /// Learning steps of new cards (`1m 10m`; `""`: none).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub learning_steps: Option<String>,
    /// Relearning steps of lapsed cards (`10m`; `""`: none).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub relearning_steps: Option<String>,
}

/// The request of `open_note`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct OpenNoteRequest {
    /// The note's path, as the collection has it.
    pub path: String,
    /// The heading to open it at (Obsidian only).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub heading: Option<String>,
}

/// The request of `note`: one note of the collection, by its path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct NoteRequest {
    /// The note's path, as the collection has it.
    pub path: String,
}

/// The request of `sync_folder`: the folder to sync through, or none to
/// stop syncing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct SyncFolderRequest {
    /// A folder your own sync carries (it must exist); null: sync off.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub folder: Option<String>,
}

/// The request of `import_anki`: an Anki package to bring in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ImportAnkiRequest {
    /// The package: an `.apkg` or `.colpkg` exported by Anki.
    pub file: String,
    /// The folder its notes are written into (default: `Anki` beside the
    /// collection).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub into: Option<String>,
    /// The deck the notes go under (default: the folder's name).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub deck: Option<String>,
    /// Show what would be written and imported, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// The request of `export_anki`: cards to write as an Anki package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ExportAnkiRequest {
    /// The package to write (`.apkg`).
    pub out: String,
    /// Only this deck and its sub-decks (default: every deck).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub deck: Option<String>,
    /// With each card's schedule and review log.
    #[serde(default)]
    pub with_progress: bool,
}

/// The request of `card`: one card by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct CardRequest {
    /// The card's id.
    pub card_id: String,
}

/// The request of `import_notes`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ImportNotesRequest {
    /// Files and folders; none means every source imported before.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Put the notes under this deck.
    #[serde(default)]
    pub deck: Option<String>,
    /// Report without writing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Paths one import request may name (a folder holds any number).
pub const MAX_IMPORT_PATHS: usize = 1000;

/// Cards one action may name at once.
pub const MAX_ACTION_CARDS: usize = 200_000;

/// The request of `act`: one action on a selection of cards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ActRequest {
    /// The cards (none: every card matching `search`).
    #[serde(default)]
    pub card_ids: Vec<String>,
    /// With no card ids: act on every card this search finds.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub search: Option<String>,
    /// `suspend`, `unsuspend`, `bury`, `unbury`, `forget`, `tag` or `untag`.
    pub action: CardAction,
    /// The tag of `tag` and `untag`.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub tag: Option<String>,
}

impl ImportNotesRequest {
    /// The paths and options, checked: at most [`MAX_IMPORT_PATHS`]
    /// paths, and an empty deck name means none.
    pub fn checked(self) -> ApiResult<(Vec<std::path::PathBuf>, ImportRequest)> {
        if self.paths.len() > MAX_IMPORT_PATHS {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("at most {MAX_IMPORT_PATHS} paths per import: import their folder instead"),
            ));
        }
        let request = ImportRequest {
            deck: self.deck.filter(|d| !d.trim().is_empty()),
            dry_run: self.dry_run,
        };
        Ok((self.paths.into_iter().map(Into::into).collect(), request))
    }
}

/// The request of `stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct StatsRequest {
    /// One deck (with its sub-decks), or every deck.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub deck: Option<String>,
    /// Days back from today (1 to 36,500; 30 when absent).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub days: Option<Days>,
    /// Only the cards with this tag (note tag or notedeck tag).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub tag: Option<String>,
}

/// A number of days, read from a number or from the text of one (a query
/// parameter arrives as text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(TS), ts(type = "number"))]
pub struct Days(pub u32);

impl Serialize for Days {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.0)
    }
}

impl<'de> Deserialize<'de> for Days {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Days, D::Error> {
        let value = Value::deserialize(d)?;
        let bad = |shown: &dyn std::fmt::Display| {
            D::Error::custom(format!(
                "days must be a whole number from 1 to {MAX_STATS_DAYS}, not `{shown}`"
            ))
        };
        match &value {
            Value::Number(n) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .map(Days)
                .ok_or_else(|| bad(n)),
            Value::String(text) => text.parse().map(Days).map_err(|_| bad(text)),
            other => Err(bad(other)),
        }
    }
}

/// The request of `dismiss_finding`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct DismissRequest {
    /// The card.
    pub card_id: String,
    /// The doctor's rule (`too_long`, …).
    pub rule: DoctorRule,
    /// True to dismiss (the default), false to bring the finding back.
    #[serde(default = "yes")]
    pub dismissed: bool,
}

fn yes() -> bool {
    true
}

/// The request of `extract`: a cloze of the selected text, or a question
/// answered by it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ExtractRequest {
    /// The card the text was selected on.
    pub card_id: String,
    /// The text to make a cloze of.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub cloze: Option<String>,
    /// The question the selected text answers (with `answer`).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub question: Option<String>,
    /// The selected text that answers `question`.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub answer: Option<String>,
}

/// The request of `undo`: with `expected`, only that step (an
/// `UndoStepDto.id` the learner was shown) is taken back; another newest
/// step fails with `undo_moved` and nothing changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct UndoRequest {
    /// The step to take back.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub expected: Option<String>,
}

/// The request of `forget_device`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct DeviceRequest {
    /// The device's id.
    pub id: String,
}

/// The request of `review_as_reading`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ReadingRequest {
    /// The cards (sections; other kinds are left as they are).
    pub card_ids: Vec<String>,
    /// True (the default) to review them as reading cards, false to make
    /// them flashcards again.
    #[serde(default = "yes")]
    pub reading: bool,
}

/// What `review_as_reading` changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ReadingDto {
    /// The cards whose kind changed.
    pub changed: Vec<String>,
}

/// The request of the exports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ExportRequest {
    /// `csv` (the default) or `json`.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub format: Option<ExportFormat>,
    /// One deck (with its sub-decks), or every deck.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub deck: Option<String>,
}

impl ExportRequest {
    /// The format asked for (CSV when none).
    pub fn format(&self) -> ExportFormat {
        self.format.unwrap_or(ExportFormat::Csv)
    }

    /// The deck asked for (an empty name means every deck).
    pub fn deck(&self) -> Option<&str> {
        non_empty(self.deck.as_deref())
    }
}

/// A deck name from a request: an empty one means every deck.
pub(crate) fn non_empty(deck: Option<&str>) -> Option<&str> {
    deck.filter(|d| !d.is_empty())
}

impl DeckRequest {
    /// The deck asked for (an empty name means every deck).
    pub fn deck(&self) -> Option<&str> {
        non_empty(self.deck.as_deref())
    }

    /// The tag asked for (an empty one means any).
    pub fn tag(&self) -> Option<&str> {
        non_empty(self.tag.as_deref())
    }
}
