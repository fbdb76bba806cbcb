//! The operations every shell offers, each defined once.
//!
//! [`operations!`] below holds one entry per operation: its doc, name,
//! HTTP method and path, the connection it needs, how its result is
//! delivered, its request and response types and its handler. From that
//! one list come [`OPERATIONS`] (which `notedeck serve` turns into routes
//! and the desktop app into its `call`, `save_file` and `import_notes`
//! commands), [`Service::dispatch`] and [`file_delivery`], and, with the
//! `ts` feature, the UI's `operations.ts` (each operation's types, route
//! and a typed client) and `types.ts` (every type an operation reaches).
//! Adding an operation is one entry here plus its UI.
//!
//! Two kinds of operation need more than JSON in and out, and each shell
//! delivers them its own way, from the same request type: the import
//! reports progress as it goes ([`Delivery::Progress`]: a streamed body,
//! a Tauri channel) and exports write a file ([`Delivery::File`]: a
//! download, a save dialog), described by a [`FileDelivery`].

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::requests::non_empty;
use crate::*;

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
    /// Reads, and acts on the machine that holds the collection (opens a
    /// program there): only for requests from that machine, never from a
    /// phone on the home network.
    Here,
}

/// How the result reaches the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// The JSON response of [`Service::dispatch`].
    Json,
    /// As [`Delivery::Json`], with progress on the way (the import).
    Progress,
    /// A file the shell writes where the user wants it (the exports): see
    /// [`file_delivery`].
    File,
}

/// One operation of the service.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// The name: the Tauri `call`'s `op` and the UI's key.
    pub name: &'static str,
    /// What it does (its doc comment).
    pub doc: &'static str,
    /// The HTTP method of its route.
    pub method: Method,
    /// The HTTP path of its route.
    pub path: &'static str,
    /// The connection it needs.
    pub access: Access,
    /// How its result is delivered.
    pub delivery: Delivery,
}

impl Operation {
    /// True for an operation whose [`Service`] keeps what it read for its
    /// next call while the collection is unchanged (the card doctor's
    /// findings): a shell with several reading connections runs it on the
    /// same one each time.
    pub fn keeps_what_it_read(&self) -> bool {
        matches!(self.name, "doctor" | "doctor_page")
    }
}

/// A file an operation delivers: the name to offer, its content type and
/// how to write it. Each shell puts it where its user wants it (a
/// download, a save dialog) and calls [`FileDelivery::write_to`].
pub struct FileDelivery {
    /// The file name to offer (`notedeck-reviews.csv`).
    pub file_name: String,
    /// The content type of a download.
    pub content_type: &'static str,
    write: WriteFile,
}

type WriteFile =
    Box<dyn FnOnce(&mut Service, DateTime<Utc>, &mut dyn std::io::Write) -> ApiResult<u64> + Send>;

impl FileDelivery {
    fn new(
        file_name: String,
        content_type: &'static str,
        write: impl FnOnce(&mut Service, DateTime<Utc>, &mut dyn std::io::Write) -> ApiResult<u64>
            + Send
            + 'static,
    ) -> FileDelivery {
        FileDelivery {
            file_name,
            content_type,
            write: Box::new(write),
        }
    }

    /// Writes the file to `out` from the collection as of `now`; gives
    /// the rows (or bytes) written.
    pub fn write_to(
        self,
        service: &mut Service,
        now: DateTime<Utc>,
        out: &mut dyn std::io::Write,
    ) -> ApiResult<u64> {
        (self.write)(service, now, out)
    }
}

impl std::fmt::Debug for FileDelivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileDelivery")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

/// The operation named `name`, or an error that says there is none.
pub fn operation(name: &str) -> ApiResult<&'static Operation> {
    OPERATIONS.iter().find(|op| op.name == name).ok_or_else(|| {
        ApiError::new(
            ErrorCode::InvalidInput,
            format!("there is no operation `{name}`"),
        )
    })
}

/// The request of `op` from its JSON (absent means `{}`).
fn request<T: DeserializeOwned>(name: &str, args: Value) -> ApiResult<T> {
    let args = if args.is_null() {
        Value::Object(Default::default())
    } else {
        args
    };
    serde_json::from_value(args).map_err(|e| {
        ApiError::new(
            ErrorCode::InvalidInput,
            format!("bad request for {name}: {e}"),
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

fn wrong_delivery(name: &str, delivery: Delivery) -> ApiError {
    let how = match delivery {
        Delivery::File => "delivers a file: ask the app or the server for it, not for JSON",
        Delivery::Json | Delivery::Progress => "answers with JSON, not a file",
    };
    ApiError::new(ErrorCode::InvalidInput, format!("`{name}` {how}"))
}

/// The TypeScript side of one operation (see [`crate::bindings`]).
#[cfg(feature = "ts")]
pub(crate) struct OperationTypes {
    /// The operation.
    pub op: &'static Operation,
    /// Its request type's TypeScript name.
    pub request: String,
    /// Its response type's TypeScript name.
    pub response: String,
    /// Every declared type its request and response reach: name and
    /// declaration.
    pub decls: Vec<(String, String)>,
}

/// Collects the declarations a type reaches (itself included), once each.
#[cfg(feature = "ts")]
pub(crate) struct Declarations<'a> {
    cfg: &'a ts_rs::Config,
    seen: std::collections::HashSet<std::any::TypeId>,
    /// Name and declaration of each type reached, in the order reached.
    pub found: Vec<(String, String)>,
}

#[cfg(feature = "ts")]
impl<'a> Declarations<'a> {
    pub(crate) fn new(cfg: &'a ts_rs::Config) -> Declarations<'a> {
        Declarations {
            cfg,
            seen: Default::default(),
            found: Vec::new(),
        }
    }

    /// Adds `T` and everything it reaches.
    pub(crate) fn add<T: ts_rs::TS + 'static + ?Sized>(&mut self) {
        use ts_rs::TypeVisitor;
        self.visit::<T>();
        T::visit_generics(self);
        T::visit_dependencies(self);
    }
}

#[cfg(feature = "ts")]
impl ts_rs::TypeVisitor for Declarations<'_> {
    fn visit<T: ts_rs::TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_none() || !self.seen.insert(std::any::TypeId::of::<T>()) {
            return;
        }
        self.found.push((T::ident(self.cfg), T::decl(self.cfg)));
        T::visit_generics(self);
        T::visit_dependencies(self);
    }
}

/// Turns the one list of operations into everything made from it.
macro_rules! operations {
    ($(
        $(#[doc = $doc:literal])+
        $name:ident: $method:ident $path:literal, $access:ident, $delivery:ident,
        $req:ty => $resp:ty,
        |$service:pat_param, $r:ident, $now:pat_param, $progress:pat_param| $body:expr;
    )*) => {
        /// Every operation, in the order the UI's map lists them.
        pub const OPERATIONS: &[Operation] = &[$(
            Operation {
                name: stringify!($name),
                doc: concat!($($doc, "\n"),+),
                method: Method::$method,
                path: $path,
                access: Access::$access,
                delivery: Delivery::$delivery,
            },
        )*];

        impl Service {
            /// Runs the operation `name` with its JSON request `args` at
            /// `now`; `progress` hears how an import goes. Operations that
            /// deliver a file are refused: see [`file_delivery`].
            pub fn dispatch(
                &mut self,
                name: &str,
                args: Value,
                now: DateTime<Utc>,
                progress: &mut dyn FnMut(ImportProgressDto),
            ) -> ApiResult<Value> {
                let op = operation(name)?;
                match op.name {
                    $(stringify!($name) => operations!(@json $delivery, self, args, now, progress, $name, $req, $resp,
                        |$service, $r, $now, $progress| $body),)*
                    _ => Err(ApiError::new(ErrorCode::InvalidInput, format!("there is no operation `{name}`"))),
                }
            }
        }

        /// The file the operation `name` delivers for its JSON request
        /// `args` (the exports), ready to write; other operations are
        /// refused.
        pub fn file_delivery(name: &str, args: Value) -> ApiResult<FileDelivery> {
            let op = operation(name)?;
            match op.name {
                $(stringify!($name) => operations!(@file $delivery, args, $name, $req, |$r| $body),)*
                _ => Err(ApiError::new(ErrorCode::InvalidInput, format!("there is no operation `{name}`"))),
            }
        }

        /// Each operation's TypeScript types.
        #[cfg(feature = "ts")]
        pub(crate) fn operation_types(cfg: &ts_rs::Config) -> Vec<OperationTypes> {
            use ts_rs::TS;
            let mut all = Vec::new();
            $({
                let mut decls = Declarations::new(cfg);
                decls.add::<$req>();
                decls.add::<$resp>();
                all.push(OperationTypes {
                    op: operation(stringify!($name)).expect("listed"),
                    request: <$req>::name(cfg),
                    response: <$resp>::name(cfg),
                    decls: decls.found,
                });
            })*
            all
        }
    };
    (@json File, $self:ident, $args:ident, $now_in:ident, $progress_in:ident, $name:ident, $req:ty, $resp:ty,
        |$service:pat_param, $r:ident, $now:pat_param, $progress:pat_param| $body:expr) => {
        Err(wrong_delivery(stringify!($name), Delivery::File))
    };
    (@json $delivery:ident, $self:ident, $args:ident, $now_in:ident, $progress_in:ident, $name:ident, $req:ty, $resp:ty,
        |$service:pat_param, $r:ident, $now:pat_param, $progress:pat_param| $body:expr) => {{
        let $r: $req = request(stringify!($name), $args)?;
        let $service: &mut Service = $self;
        let $now: DateTime<Utc> = $now_in;
        let $progress: &mut dyn FnMut(ImportProgressDto) = $progress_in;
        let out: $resp = $body?;
        reply(out)
    }};
    (@file File, $args:ident, $name:ident, $req:ty, |$r:ident| $body:expr) => {{
        let $r: $req = request(stringify!($name), $args)?;
        $body
    }};
    (@file $delivery:ident, $args:ident, $name:ident, $req:ty, |$r:ident| $body:expr) => {
        Err(wrong_delivery(stringify!($name), Delivery::$delivery))
    };
}

operations! {
    /// The deck tree (counting only the cards with `tag`, if given).
    decks: Get "/api/decks", Read, Json, DeckRequest => Vec<DeckNode>,
        |s, r, now, _| s.decks_tagged(r.tag(), now);
    /// Every card (of a deck and its sub-decks).
    cards: Get "/api/cards", Read, Json, DeckRequest => Vec<CardDto>,
        |s, r, now, _| s.cards(r.deck(), now);
    /// Today's queue (of a deck, and of the cards with `tag`, if given).
    due: Get "/api/due", Read, Json, DeckRequest => Vec<QueueCardDto>,
        |s, r, now, _| {
            // Today's first look at the queue takes the day's backup, on
            // a connection of its own.
            s.daily_backup_in_background(now)?;
            s.due_tagged(r.deck(), r.tag(), now)
        };
    /// A custom study session's queue.
    study: Get "/api/study", Read, Json, StudyRequest => Vec<QueueCardDto>,
        |s, r, now, _| s.study(&r, now);
    /// Today's answers (to one deck's cards, or to any) and what waits.
    day_summary: Get "/api/summary", Read, Json, DeckRequest => DaySummaryDto,
        |s, r, now, _| s.day_summary(r.deck(), now);
    /// Records an answer (in a custom study session, when `session` is given).
    answer: Post "/api/answer", Write, Json, AnswerRequest => AnswerDto,
        |s, r, now, _| s.answer_request(&r, now);
    /// Takes back the newest answer or action (a whole selection at once);
    /// with `expected`, only that step.
    undo: Post "/api/undo", Write, Json, UndoRequest => UndoDto,
        |s, r, now, _| s.undo_expected(r.expected.as_deref(), now);
    /// What the next undo would take back (null: nothing), to ask first.
    undo_preview: Get "/api/undo", Read, Json, NoRequest => Option<UndoStepDto>,
        |s, _r, now, _| s.undo_preview(now);
    /// Suspends, buries, forgets or tags cards (or every card a search
    /// finds), as one undoable step.
    act: Post "/api/cards/act", Write, Json, ActRequest => ActDto,
        |s, r, now, _| {
            let ids = match (r.card_ids.is_empty(), r.search.as_deref()) {
                (true, Some(search)) => s.search_ids(search, now)?,
                _ => r.card_ids,
            };
            s.act(&ids, r.action, r.tag.as_deref(), now)
        };
    /// One page of the card browser's search.
    browse: Get "/api/browse", Read, Json, BrowseRequest => BrowsePageDto,
        |s, r, now, _| {
            // Cards left unindexed (an import cut short) are indexed now,
            // in the background.
            s.index_search_in_background()?;
            s.browse(&r, now)
        };
    /// One card with its whole history.
    card: Get "/api/card", Read, Json, CardRequest => CardDetailDto,
        |s, r, now, _| s.card_detail(&r.card_id, now);
    /// A note's cards in note order, read-only: what a device that cannot
    /// open the note (a phone) shows for "Open note".
    note: Get "/api/note", Read, Json, NoteRequest => NoteViewDto,
        |s, r, _, _| s.note_view(&r.path);
    /// Opens a note the way the system does (Obsidian in a vault, else the
    /// default program).
    open_note: Post "/api/notes/open", Here, Json, OpenNoteRequest => OpenedDto,
        |s, r, _, _| s.open_note(&r.path, r.heading.as_deref());
    /// Imports (or, with `dry_run`, previews) notes, telling how far it is
    /// as it goes: files read, then the write.
    import_notes: Post "/api/import", Write, Progress, ImportNotesRequest => ImportReportDto,
        |s, r, now, progress| {
            let (paths, options) = r.checked()?;
            let report = s.import(&paths, &options, now, progress)?;
            s.index_search_in_background()?;
            Ok::<_, ApiError>(report)
        };
    /// The folders and files imported before.
    sources: Get "/api/sources", Read, Json, NoRequest => Vec<String>,
        |s, _r, _, _| s.sources();
    /// The card doctor's findings (of a deck and its sub-decks, or all).
    doctor: Get "/api/doctor", Read, Json, DeckRequest => Vec<FindingDto>,
        |s, r, _, _| s.doctor(r.deck());
    /// A part of the card doctor's findings: how many each rule has, and
    /// the first of each (or of one rule).
    doctor_page: Get "/api/doctor/page", Read, Json, DoctorPageRequest => DoctorPageDto,
        |s, r, _, _| s.doctor_page(&r);
    /// Dismisses one finding of the card doctor (or brings it back).
    dismiss_finding: Post "/api/doctor/dismiss", Write, Json, DismissRequest => DismissRequest,
        |s, r, now, _| s.dismiss_finding(&r, now);
    /// Writes a card made from text selected on a card into its note (a
    /// cloze of the text, or a question it answers), imports the note
    /// again and gives the new card; undo takes it out.
    extract: Post "/api/extract", Write, Json, ExtractRequest => ExtractedDto,
        |s, r, now, _| {
            let made = s.extract(&r, now)?;
            s.index_search_in_background()?;
            Ok::<_, ApiError>(made)
        };
    /// Makes sections reading cards (or flashcards again); kept across
    /// imports.
    review_as_reading: Post "/api/cards/reading", Write, Json, ReadingRequest => ReadingDto,
        |s, r, now, _| s.review_as_reading(&r, now);
    /// Statistics over the last `days` days (30 when absent).
    stats: Get "/api/stats", Read, Json, StatsRequest => StatsDto,
        |s, r, now, _| s.stats_tagged(
            non_empty(r.deck.as_deref()),
            non_empty(r.tag.as_deref()),
            r.days.map_or(30, |d| d.0),
            now,
        );
    /// The collection's settings.
    settings: Get "/api/settings", Read, Json, NoRequest => SettingsDto,
        |s, _r, _, _| s.settings();
    /// Changes some settings (the fields given) at once.
    update_settings: Post "/api/settings", Write, Json, SettingsUpdate => SettingsDto,
        |s, r, now, _| s.update_settings(&r, now);
    /// Fits FSRS's parameters to the review log.
    optimize: Post "/api/scheduler/optimize", Write, Json, NoRequest => OptimizedDto,
        |s, _r, now, _| s.optimize(now, &|_, _| {});
    /// Scores SM-2 and FSRS (default and fitted) on the learner's later
    /// answers.
    evaluate_schedulers: Get "/api/scheduler/evaluate", Read, Json, NoRequest => EvaluationDto,
        |s, _r, _, _| s.evaluate_schedulers(&|_, _| {});
    /// A deck's options: its own and those in force.
    deck_options: Get "/api/decks/options", Read, Json, DeckRequest => DeckOptionsDto,
        |s, r, _, _| {
            let deck = r.deck().ok_or_else(|| {
                ApiError::new(ErrorCode::InvalidInput, "name the deck whose options to show")
            })?;
            s.deck_options(deck)
        };
    /// Sets a deck's own options (null fields are inherited).
    set_deck_options: Post "/api/decks/options", Write, Json, DeckOptionsRequest => DeckOptionsDto,
        |s, r, now, _| s.set_deck_options(&r, now);
    /// The devices paired with `serve --lan`, the most recently paired
    /// first.
    devices: Get "/api/devices", Read, Json, NoRequest => Vec<DeviceDto>,
        |s, _r, _, _| s.devices();
    /// Forgets a paired device: its token opens nothing from then on.
    forget_device: Post "/api/devices/forget", Write, Json, DeviceRequest => Vec<DeviceDto>,
        |s, r, _, _| s.forget_device(&r.id);
    /// Where sync through a folder stands: this device and each other one.
    sync_status: Get "/api/sync", Read, Json, NoRequest => SyncStatusDto,
        |s, _r, _, _| s.sync_status();
    /// Syncs now: writes this device's new records to the sync folder and
    /// merges the other devices'.
    sync_now: Post "/api/sync", Write, Json, NoRequest => SyncReportDto,
        |s, _r, now, _| s.sync_now(now);
    /// Sets the folder to sync through (and syncs), or with none turns
    /// sync off (everything merged so far stays). Only on the computer
    /// that holds the collection.
    sync_folder: Post "/api/sync/folder", Here, Json, SyncFolderRequest => SyncStatusDto,
        |s, r, now, _| s.sync_folder(r.folder.as_deref(), now);
    /// Reads an Anki package (`.apkg`, `.colpkg`) on this computer, writes
    /// its notes as Markdown and its media into a folder, and imports it.
    import_anki: Post "/api/anki/import", Here, Json, ImportAnkiRequest => AnkiImportDto,
        |s, r, now, progress| s.import_anki(&r, now, progress);
    /// Writes cards (a deck, or all) as an Anki package (`.apkg`) on this
    /// computer, with their progress when asked.
    export_anki: Post "/api/anki/export", Here, Json, ExportAnkiRequest => AnkiExportDto,
        |s, r, now, _| s.export_anki(&r, now);
    /// The review log as CSV or JSON.
    export_reviews: Get "/api/export/reviews", Read, File, ExportRequest => String,
        |_, r, _, _| {
            let format = r.format();
            let deck = r.deck().map(str::to_owned);
            Ok(FileDelivery::new(
                export_file_name("reviews", format.extension()),
                format.content_type(),
                move |s, _, out| s.export_reviews(deck.as_deref(), format, out),
            ))
        };
    /// Every card with its schedule, as CSV or JSON.
    export_cards: Get "/api/export/cards", Read, File, ExportRequest => String,
        |_, r, _, _| {
            let format = r.format();
            let deck = r.deck().map(str::to_owned);
            Ok(FileDelivery::new(
                export_file_name("cards", format.extension()),
                format.content_type(),
                move |s, _, out| s.export_cards(deck.as_deref(), format, out),
            ))
        };
    /// The progress report: one HTML page, no script (the last
    /// `REPORT_DAYS` days when `days` is absent).
    export_report: Get "/api/export/report", Read, File, StatsRequest => String,
        |_, r, _, _| {
            let deck = non_empty(r.deck.as_deref()).map(str::to_owned);
            let days = r.days.map_or(REPORT_DAYS, |d| d.0);
            // An attachment browsers never show in this origin.
            Ok(FileDelivery::new(
                REPORT_FILE_NAME.to_owned(),
                "application/octet-stream",
                move |s, now, out| s.stats_report(deck.as_deref(), days, now, out),
            ))
        };
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
