//! The operations every shell offers, defined once.
//!
//! [`OPERATIONS`] lists each operation with its HTTP method and path, the
//! connection it needs and the names of its request and response types;
//! [`Service::dispatch`] runs one from its JSON request. The shells derive
//! from this list: `notedeck serve` makes one route per operation (GET
//! with the request as query parameters, POST with it as the JSON body),
//! the desktop app has one Tauri command, `call`, that dispatches by name,
//! and `ui/src/lib/api/operations.ts` (the UI's map of names, paths and
//! types) is generated from it and checked by the `bindings` test.
//! Adding an operation is one entry here, its request type and its arm in
//! `dispatch`, plus its UI.
//!
//! Two kinds of operation need more than JSON in and out, and each shell
//! delivers them its own way, from the same request type: the import
//! reports progress as it goes ([`Delivery::Progress`]: a streamed body,
//! a Tauri channel) and exports write a file ([`Delivery::File`]: a
//! download, a save dialog).

use chrono::{DateTime, Utc};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

#[cfg(feature = "ts")]
use ts_rs::TS;

use crate::{
    ApiError, ApiResult, ErrorCode, ExportFormat, ImportProgressDto, ImportRequest, Service,
    SettingsUpdate, MAX_STATS_DAYS,
};

/// How a shell calls an operation over HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The request is the query string; nothing changes.
    Get,
    /// The request is the JSON body.
    Post,
}

/// The collection connection an operation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reads only: may run beside a write, on a connection of its own.
    Read,
    /// Writes: one at a time.
    Write,
}

/// How the result reaches the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// The JSON response of [`Service::dispatch`].
    Json,
    /// As [`Delivery::Json`], with progress on the way (the import).
    Progress,
    /// A file the shell writes where the user wants it (the exports).
    File,
}

/// One operation of the service.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// The name: the Tauri `call`'s `op` and the UI's key.
    pub name: &'static str,
    /// The HTTP method of its route.
    pub method: Method,
    /// The HTTP path of its route.
    pub path: &'static str,
    /// The connection it needs.
    pub access: Access,
    /// How its result is delivered.
    pub delivery: Delivery,
    /// The TypeScript type of its request.
    pub request: &'static str,
    /// The TypeScript type of its response.
    pub response: &'static str,
}

const fn op(
    name: &'static str,
    method: Method,
    path: &'static str,
    access: Access,
    request: &'static str,
    response: &'static str,
) -> Operation {
    Operation {
        name,
        method,
        path,
        access,
        delivery: Delivery::Json,
        request,
        response,
    }
}

/// Every operation, in the order the UI's map lists them.
#[rustfmt::skip]
pub const OPERATIONS: &[Operation] = &[
    op("decks", Method::Get, "/api/decks", Access::Read, "DeckRequest", "DeckNode[]"),
    op("cards", Method::Get, "/api/cards", Access::Read, "DeckRequest", "CardDto[]"),
    op("due", Method::Get, "/api/due", Access::Read, "DeckRequest", "QueueCardDto[]"),
    op("study", Method::Get, "/api/study", Access::Read, "StudyRequest", "QueueCardDto[]"),
    op("day_summary", Method::Get, "/api/summary", Access::Read, "DeckRequest", "DaySummaryDto"),
    op("answer", Method::Post, "/api/answer", Access::Write, "AnswerRequest", "AnswerDto"),
    op("undo", Method::Post, "/api/undo", Access::Write, "UndoRequest", "UndoDto"),
    op("undo_preview", Method::Get, "/api/undo", Access::Read, "NoRequest", "UndoStepDto | null"),
    op("act", Method::Post, "/api/cards/act", Access::Write, "ActRequest", "ActDto"),
    op("browse", Method::Get, "/api/browse", Access::Read, "BrowseRequest", "BrowsePageDto"),
    op("card", Method::Get, "/api/card", Access::Read, "CardRequest", "CardDetailDto"),
    op("open_note", Method::Post, "/api/notes/open", Access::Read, "OpenNoteRequest", "OpenedDto"),
    Operation {
        delivery: Delivery::Progress,
        ..op("import_notes", Method::Post, "/api/import", Access::Write, "ImportNotesRequest", "ImportReportDto")
    },
    op("sources", Method::Get, "/api/sources", Access::Read, "NoRequest", "string[]"),
    op("doctor", Method::Get, "/api/doctor", Access::Read, "DeckRequest", "FindingDto[]"),
    op("dismiss_finding", Method::Post, "/api/doctor/dismiss", Access::Write, "DismissRequest", "DismissRequest"),
    op("extract", Method::Post, "/api/extract", Access::Write, "ExtractRequest", "ExtractedDto"),
    op("review_as_reading", Method::Post, "/api/cards/reading", Access::Write, "ReadingRequest", "ReadingDto"),
    op("stats", Method::Get, "/api/stats", Access::Read, "StatsRequest", "StatsDto"),
    op("settings", Method::Get, "/api/settings", Access::Read, "NoRequest", "SettingsDto"),
    op("update_settings", Method::Post, "/api/settings", Access::Write, "SettingsUpdate", "SettingsDto"),
    op("optimize", Method::Post, "/api/scheduler/optimize", Access::Write, "NoRequest", "OptimizedDto"),
    op("evaluate_schedulers", Method::Get, "/api/scheduler/evaluate", Access::Read, "NoRequest", "EvaluationDto"),
    op("deck_options", Method::Get, "/api/decks/options", Access::Read, "DeckRequest", "DeckOptionsDto"),
    op("set_deck_options", Method::Post, "/api/decks/options", Access::Write, "DeckOptionsRequest", "DeckOptionsDto"),
    Operation {
        delivery: Delivery::File,
        ..op("export_reviews", Method::Get, "/api/export/reviews", Access::Read, "ExportRequest", "string")
    },
    Operation {
        delivery: Delivery::File,
        ..op("export_cards", Method::Get, "/api/export/cards", Access::Read, "ExportRequest", "string")
    },
    Operation {
        delivery: Delivery::File,
        ..op("export_report", Method::Get, "/api/export/report", Access::Read, "StatsRequest", "string")
    },
];

/// The operation named `name`, or an error that says there is none.
pub fn operation(name: &str) -> ApiResult<&'static Operation> {
    OPERATIONS.iter().find(|op| op.name == name).ok_or_else(|| {
        ApiError::new(
            ErrorCode::InvalidInput,
            format!("there is no operation `{name}`"),
        )
    })
}

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
    #[cfg_attr(feature = "ts", ts(optional))]
    pub deck: Option<String>,
    /// Only the cards with this tag (note tag or notedeck tag), where the
    /// operation takes one (`decks`, `due`).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub tag: Option<String>,
}

/// The request of `answer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct AnswerRequest {
    /// The card answered.
    pub card_id: String,
    /// 0–5, or again, hard, good, easy.
    pub grade: String,
    /// How long the answer took, in milliseconds, when known.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub duration_ms: Option<i64>,
    /// The custom study session (`ahead`, `extra_new`, `failed_today`,
    /// `cram`) the answer was given in; absent for the daily queue.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub session: Option<String>,
}

/// The request of `study`: a custom session over a deck, a tag or a search
/// (or every card), of one kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct StudyRequest {
    /// One deck and its sub-decks.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub deck: Option<String>,
    /// Cards with this note tag or notedeck tag.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub tag: Option<String>,
    /// Cards this search finds.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub search: Option<String>,
    /// Review ahead: cards due within this many days.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub ahead: Option<Count>,
    /// Cram: every card, schedules untouched.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub cram: Option<Flag>,
    /// This many new cards beyond today's limit.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub extra_new: Option<Count>,
    /// The cards failed today, again.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub failed_today: Option<Flag>,
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
    #[cfg_attr(feature = "ts", ts(optional))]
    pub search: Option<String>,
    /// `note` (the default), `due`, `interval`, `ease`, `lapses` or `created`.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub sort: Option<String>,
    /// Largest first.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub descending: Option<Flag>,
    /// The first card's position (0 first).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub offset: Option<Count>,
    /// Cards on the page (default 200, at most 1000).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
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
    pub new_order: Option<String>,
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
    #[cfg_attr(feature = "ts", ts(optional))]
    pub heading: Option<String>,
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ActRequest {
    /// The cards (none: every card matching `search`).
    #[serde(default)]
    pub card_ids: Vec<String>,
    /// With no card ids: act on every card this search finds.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub search: Option<String>,
    /// `suspend`, `unsuspend`, `bury`, `unbury`, `forget`, `tag` or `untag`.
    pub action: String,
    /// The tag of `tag` and `untag`.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
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
    #[cfg_attr(feature = "ts", ts(optional))]
    pub deck: Option<String>,
    /// Days back from today (1 to 36,500; 30 when absent).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub days: Option<Days>,
    /// Only the cards with this tag (note tag or notedeck tag).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
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
    pub rule: String,
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
    #[cfg_attr(feature = "ts", ts(optional))]
    pub cloze: Option<String>,
    /// The question the selected text answers (with `answer`).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub question: Option<String>,
    /// The selected text that answers `question`.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
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
    #[cfg_attr(feature = "ts", ts(optional))]
    pub expected: Option<String>,
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
    #[cfg_attr(feature = "ts", ts(optional))]
    pub format: Option<String>,
    /// One deck (with its sub-decks), or every deck.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub deck: Option<String>,
}

impl ExportRequest {
    /// The format asked for (CSV when none), or an error naming the choices.
    pub fn format(&self) -> ApiResult<ExportFormat> {
        match self.format.as_deref() {
            None | Some("csv") => Ok(ExportFormat::Csv),
            Some("json") => Ok(ExportFormat::Json),
            Some(other) => Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("unknown export format `{other}`: use csv or json"),
            )),
        }
    }

    /// The deck asked for (an empty name means every deck).
    pub fn deck(&self) -> Option<&str> {
        non_empty(self.deck.as_deref())
    }
}

/// The request of `op` from its JSON (absent means `{}`).
fn request<T: DeserializeOwned>(op: &Operation, args: Value) -> ApiResult<T> {
    let args = if args.is_null() {
        Value::Object(Default::default())
    } else {
        args
    };
    serde_json::from_value(args).map_err(|e| {
        ApiError::new(
            ErrorCode::InvalidInput,
            format!("bad request for {}: {e}", op.name),
        )
    })
}

fn reply<T: Serialize>(value: T) -> ApiResult<Value> {
    serde_json::to_value(value).map_err(|e| {
        ApiError::new(
            ErrorCode::Storage,
            format!("notedeck could not encode its answer ({e}). Please report it"),
        )
    })
}

fn deck_of(request: &DeckRequest) -> Option<&str> {
    non_empty(request.deck.as_deref())
}

/// A deck name from a request: an empty one means every deck.
pub(crate) fn non_empty(deck: Option<&str>) -> Option<&str> {
    deck.filter(|d| !d.is_empty())
}

impl Service {
    /// Runs the operation `name` with its JSON request `args` at `now`;
    /// `progress` hears how an import goes. File deliveries (the exports)
    /// are the shells' own (see [`Delivery::File`]).
    pub fn dispatch(
        &mut self,
        name: &str,
        args: Value,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(ImportProgressDto),
    ) -> ApiResult<Value> {
        let op = operation(name)?;
        match op.name {
            "decks" => {
                let r: DeckRequest = request(op, args)?;
                reply(self.decks_tagged(non_empty(r.tag.as_deref()), now)?)
            }
            "cards" => {
                let r: DeckRequest = request(op, args)?;
                reply(self.cards(deck_of(&r), now)?)
            }
            "due" => {
                let r: DeckRequest = request(op, args)?;
                // Today's first look at the queue takes the day's backup,
                // on a connection of its own.
                self.daily_backup_in_background(now)?;
                reply(self.due_tagged(deck_of(&r), non_empty(r.tag.as_deref()), now)?)
            }
            "day_summary" => {
                let r: DeckRequest = request(op, args)?;
                reply(self.day_summary(deck_of(&r), now)?)
            }
            "answer" => {
                let r: AnswerRequest = request(op, args)?;
                reply(self.answer_in(
                    &r.card_id,
                    &r.grade,
                    now,
                    r.duration_ms,
                    r.session.as_deref(),
                )?)
            }
            "study" => {
                let r: StudyRequest = request(op, args)?;
                reply(self.study(&r, now)?)
            }
            "undo" => {
                let r: UndoRequest = request(op, args)?;
                reply(self.undo_expected(r.expected.as_deref(), now)?)
            }
            "undo_preview" => {
                let NoRequest {} = request(op, args)?;
                reply(self.undo_preview(now)?)
            }
            "act" => {
                let r: ActRequest = request(op, args)?;
                let ids = match (r.card_ids.is_empty(), r.search.as_deref()) {
                    (true, Some(search)) => self.search_ids(search, now)?,
                    _ => r.card_ids,
                };
                reply(self.act(&ids, &r.action, r.tag.as_deref(), now)?)
            }
            "browse" => {
                let r: BrowseRequest = request(op, args)?;
                // Cards left unindexed (an import cut short) are indexed
                // now, in the background.
                self.index_search_in_background()?;
                reply(self.browse(&r, now)?)
            }
            "deck_options" => {
                let r: DeckRequest = request(op, args)?;
                let deck = deck_of(&r).ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::InvalidInput,
                        "name the deck whose options to show",
                    )
                })?;
                reply(self.deck_options(deck)?)
            }
            "set_deck_options" => {
                let r: DeckOptionsRequest = request(op, args)?;
                reply(self.set_deck_options(&r)?)
            }
            "open_note" => {
                let r: OpenNoteRequest = request(op, args)?;
                reply(self.open_note(&r.path, r.heading.as_deref())?)
            }
            "card" => {
                let r: CardRequest = request(op, args)?;
                reply(self.card_detail(&r.card_id, now)?)
            }
            "import_notes" => {
                let (paths, options) = request::<ImportNotesRequest>(op, args)?.checked()?;
                let report = self.import(&paths, &options, now, progress)?;
                self.index_search_in_background()?;
                reply(report)
            }
            "sources" => {
                let NoRequest {} = request(op, args)?;
                reply(self.sources()?)
            }
            "doctor" => {
                let r: DeckRequest = request(op, args)?;
                reply(self.doctor(deck_of(&r))?)
            }
            "dismiss_finding" => {
                let r: DismissRequest = request(op, args)?;
                reply(self.dismiss_finding(&r, now)?)
            }
            "extract" => {
                let r: ExtractRequest = request(op, args)?;
                let made = self.extract(&r, now)?;
                self.index_search_in_background()?;
                reply(made)
            }
            "review_as_reading" => {
                let r: ReadingRequest = request(op, args)?;
                reply(self.review_as_reading(&r, now)?)
            }
            "stats" => {
                let r: StatsRequest = request(op, args)?;
                let deck = non_empty(r.deck.as_deref());
                let tag = non_empty(r.tag.as_deref());
                reply(self.stats_tagged(deck, tag, r.days.map_or(30, |d| d.0), now)?)
            }
            "settings" => {
                let NoRequest {} = request(op, args)?;
                reply(self.settings()?)
            }
            "optimize" => {
                let NoRequest {} = request(op, args)?;
                reply(self.optimize(now, &|_, _| {})?)
            }
            "evaluate_schedulers" => {
                let NoRequest {} = request(op, args)?;
                reply(self.evaluate_schedulers(&|_, _| {})?)
            }
            "update_settings" => {
                let update: SettingsUpdate = request(op, args)?;
                reply(self.update_settings(&update, now)?)
            }
            _ => Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "`{}` delivers a file: ask the app or the server for it, not for JSON",
                    op.name
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_routes_are_unique() {
        for (i, a) in OPERATIONS.iter().enumerate() {
            for b in &OPERATIONS[i + 1..] {
                assert_ne!(a.name, b.name);
                assert!(
                    a.path != b.path || a.method != b.method,
                    "{} and {} share a route",
                    a.name,
                    b.name
                );
            }
        }
    }

    /// Every JSON operation is dispatched (none falls through to the
    /// file-delivery answer), and bad requests get a message naming it.
    #[test]
    fn every_json_operation_is_dispatched() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut service = Service::open(&dir.path().join("c.sqlite3")).expect("open");
        let now = "2026-03-01T09:00:00Z".parse().expect("time");
        for op in OPERATIONS {
            let outcome = service.dispatch(op.name, Value::Null, now, &mut |_| {});
            match (op.delivery, outcome) {
                (Delivery::File, Err(e)) => assert!(e.message.contains("delivers a file")),
                (Delivery::File, Ok(_)) => panic!("{} should not answer with JSON", op.name),
                (_, Err(e)) => assert!(
                    !e.message.contains("delivers a file") && !e.message.contains("no operation"),
                    "{}: {}",
                    op.name,
                    e.message
                ),
                (_, Ok(_)) => {}
            }
        }
        let bad = service
            .dispatch(
                "stats",
                serde_json::json!({ "days": "many" }),
                now,
                &mut |_| {},
            )
            .expect_err("bad days");
        assert_eq!(
            bad.message,
            "bad request for stats: days must be a whole number from 1 to 36500, not `many`"
        );
        let days = service
            .dispatch(
                "stats",
                serde_json::json!({ "days": "7" }),
                now,
                &mut |_| {},
            )
            .expect("days as text");
        assert_eq!(days["days_in_range"], 7);
        assert!(service
            .dispatch("nothing", Value::Null, now, &mut |_| {})
            .is_err());
    }
}
