//! The one service layer every notedeck shell calls (CLI, HTTP server,
//! desktop app), with the serialisable types that cross that edge.
//!
//! Shells read the clock and pass `now`; they never touch the core or
//! SQLite directly.

#[cfg(feature = "ts")]
pub mod bindings;
mod budget;
mod choices;
mod dto;
mod error;
mod export;
mod ops;
pub mod report;
mod requests;
mod review_csv;
mod service;
pub use service::{sync_in_background, SyncWaker, SYNC_EVERY, SYNC_SETTLE};
mod shell;
mod stats;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use chrono::{DateTime, Local, Utc};
use notedeck_core::actions::{self, Action};
use notedeck_core::day;
use notedeck_core::import::{self, ImportOptions};
use notedeck_core::model::CardId;
use notedeck_core::queue::{self, Limits};
use notedeck_core::scheduler::{self as core_scheduler, steps, Scheduler};
use notedeck_core::settings::{self, Settings};
use notedeck_core::storage::SortKey;
use notedeck_core::storage::{schedule_of_row, Collection};
use notedeck_core::{backup, resend, review};

pub use budget::{Cancel, SEARCH_BUDGET};
pub use choices::{
    CardAction, DoctorRule, ExportFormat, Grade, LeechAction, NewOrder, SchedulerName, SessionKind,
    Sort,
};
pub use dto::*;
pub use error::{ApiError, ErrorCode};
pub use export::{CardExport, ReviewExport, CARD_COLUMNS, REVIEW_COLUMNS};
pub use notedeck_core::markdown::junk::{JunkRules, RULE_NAMES as JUNK_RULE_NAMES};
pub use notedeck_core::media;
pub use notedeck_core::storage::media_dir_of;
pub use notedeck_core::PARSER_STACK_BYTES;
pub use ops::{
    file_delivery, operation, Access, Delivery, FileDelivery, Method, Operation, OPERATIONS,
};
pub use requests::{
    ActRequest, AnswerRequest, BrowseRequest, CardRequest, Count, Days, DeckOptionsRequest,
    DeckRequest, DeviceRequest, DismissRequest, DoctorPageRequest, ExportAnkiRequest,
    ExportRequest, ExtractRequest, Flag, ImportAnkiRequest, ImportNotesRequest, NoRequest,
    NoteRequest, OpenNoteRequest, ReadingDto, ReadingRequest, StatsRequest, StudyRequest,
    SyncFolderRequest, UndoRequest, DOCTOR_PAGE_FINDINGS, MAX_ACTION_CARDS, MAX_AHEAD_DAYS,
    MAX_DOCTOR_PAGE_FINDINGS, MAX_IMPORT_PATHS, MAX_PAGE_CARDS,
};
pub use shell::{
    default_collection_path, export_file_name, page_csp, platform_collection_path,
    without_huge_pages, write_whole_file, PageShell, COLLECTION_ENV, MEDIA_CSP, REPORT_DAYS,
    REPORT_FILE_NAME, SAMPLE_DECK, SAMPLE_DECKS,
};
pub use stats::*;

/// The scheduler named `name` by the core (SM-2 for a name it does not
/// know, which the core never gives).
fn scheduler_name(name: &str) -> SchedulerName {
    SchedulerName::parse(name).unwrap_or(SchedulerName::Sm2)
}

/// The API's result type.
pub type ApiResult<T> = Result<T, ApiError>;

/// An import that writes at most this many cards counts the card doctor's
/// findings in its report.
pub const DOCTOR_COUNT_CARDS: u64 = 2_000;

/// The longest statistics range, in days (a hundred years).
pub const MAX_STATS_DAYS: i64 = 36_500;

/// The longest time an answer may report having taken: one day, in
/// milliseconds.
pub const MAX_DURATION_MS: i64 = 86_400_000;

/// The most cards a read-only note view shows.
pub const NOTE_VIEW_MAX_CARDS: usize = 500;

/// The most card HTML (bytes) a read-only note view carries.
pub const NOTE_VIEW_MAX_BYTES: usize = 4 << 20;

/// Sets what today's limits allow on each deck: the collection's room,
/// then each deck's own limits (counted on its own answers today), which
/// also cap its sub-decks.
fn allow(
    nodes: &mut [DeckNode],
    room: i64,
    new_room: i64,
    by_deck: &std::collections::HashMap<String, (i64, i64)>,
    options: &std::collections::HashMap<String, notedeck_core::storage::DeckOptions>,
) {
    for node in nodes {
        let own = options.get(&node.name);
        let (mut room, mut new_room) = (room, new_room);
        if let Some(own) = own {
            let (new_done, answers_done) = queue::answered_in_subtree(by_deck, &node.name);
            if let Some(limit) = own.reviews_per_day {
                room = room.min((limit - answers_done).max(0));
            }
            if let Some(limit) = own.new_per_day {
                new_room = new_room.min((limit - new_done).max(0));
            }
        }
        node.due_today = node.due.min(room);
        node.new_today = node.new.min(new_room).min(room - node.due_today).max(0);
        allow(&mut node.children, room, new_room, by_deck, options);
    }
}

/// The node of the deck named `name` in `tree`.
fn find_deck<'a>(tree: &'a [DeckNode], name: &str) -> Option<&'a DeckNode> {
    tree.iter().find_map(|node| {
        if node.name == name {
            Some(node)
        } else {
            find_deck(&node.children, name)
        }
    })
}

/// A grade as its button says it.
fn grade_name(grade: u8) -> &'static str {
    match grade {
        0..=2 => "Again",
        3 => "Hard",
        4 => "Good",
        _ => "Easy",
    }
}

/// Sets how many reading cards today's reading limit still allows on each
/// deck.
fn allow_reading(nodes: &mut [DeckNode], room: i64) {
    for node in nodes {
        node.reading_today = node.reading.min(room);
        allow_reading(&mut node.children, room);
    }
}

/// Leeches listed by `stats`, at most.
const MAX_LISTED_LEECHES: i64 = 100;

/// Marks the notes an import moves to another deck, and says so in words:
/// a folder imported again under another name moves its notes (with their
/// progress) to the new deck.
fn deck_moves(report: &mut ImportReportDto, before: &std::collections::HashMap<String, String>) {
    let mut moves: std::collections::BTreeMap<(String, String), usize> = Default::default();
    for note in &mut report.notes {
        let (Some(old), Some(new)) = (before.get(&note.path), note.deck.as_ref()) else {
            continue;
        };
        if old != new && note.status != "missing" {
            note.deck_before = Some(old.clone());
            *moves.entry((old.clone(), new.clone())).or_default() += 1;
        }
    }
    for ((from, to), count) in moves {
        let notes = if count == 1 {
            "1 note"
        } else {
            &format!("{count} notes")
        };
        let verb = if report.dry_run {
            "would move"
        } else {
            "moved"
        };
        report.warnings.push(format!(
            "{notes} {verb} from the deck {from} to {to}, with their progress (imported before under another deck name); import under the earlier name to keep them where they are."
        ));
    }
}

/// Cards indexed for search per transaction.
pub const SEARCH_INDEX_BATCH: i64 = notedeck_core::search::INDEX_BATCH;

/// Parses a search query; its error names the position.
fn parse_query(text: &str) -> ApiResult<notedeck_core::search::Query> {
    notedeck_core::search::parse(text)
        .map_err(|e| ApiError::from(notedeck_core::Error::BadQuery(e)))
}

/// Refuses `value` outside `range` with a message naming `name`.
pub fn check_range(name: &str, value: i64, range: std::ops::RangeInclusive<i64>) -> ApiResult<()> {
    if range.contains(&value) {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!(
                "{name} must be between {} and {}, not {value}",
                range.start(),
                range.end()
            ),
        ))
    }
}

/// An open collection and the operations on it.
pub struct Service {
    collection: Collection,
    /// The cancellation of the request being served (see
    /// [`Service::dispatch_cancellable`]); never set otherwise.
    cancel: Cancel,
    /// How long one search may run: [`SEARCH_BUDGET`] (tests shorten it).
    search_budget: std::time::Duration,
    /// What the card doctor found last, kept while the collection is
    /// unchanged (Card health opened again answers at once).
    doctor_memo: std::sync::Mutex<Option<service::DoctorMemo>>,
}

impl Service {
    /// Opens (or creates) the collection at `path`.
    pub fn open(path: &Path) -> ApiResult<Service> {
        Ok(Service {
            collection: Collection::open(path)?,
            cancel: Cancel::new(),
            search_budget: SEARCH_BUDGET,
            doctor_memo: std::sync::Mutex::default(),
        })
    }

    /// What opening the collection did that the user should hear about
    /// (a migration's clean-up of the media folder), once.
    pub fn notices(&self) -> &[String] {
        self.collection.notices()
    }

    /// The collection file's path.
    pub fn path(&self) -> &Path {
        self.collection.path()
    }

    /// The learner's day at `now`, honouring the collection's rollover hour.
    pub fn today(&self, now: DateTime<Utc>) -> ApiResult<NaiveDate> {
        let rollover =
            settings::number(&self.collection, &settings::ROLLOVER_HOUR)?.clamp(0, 23) as u32;
        Ok(day::learning_day(&now.with_timezone(&Local), rollover))
    }

    /// The full name of the deck `deck` names: itself when a deck has that
    /// name, else the one deck whose last part it is (`Chemistry` for
    /// `drills::Chemistry`); an ambiguous name lists the candidates.
    fn resolve_deck(&self, deck: &str) -> ApiResult<String> {
        let reader = self.collection.reader();
        if reader.deck_exists(deck)? {
            return Ok(deck.to_owned());
        }
        let candidates = reader.decks_ending_with(deck)?;
        match candidates.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(notedeck_core::Error::DeckNotFound(deck.to_owned()).into()),
            many => Err(ApiError::new(
                ErrorCode::DeckNotFound,
                format!(
                    "`{deck}` names {} decks: {}; give the full name",
                    many.len(),
                    many.join(", ")
                ),
            )),
        }
    }

    /// [`Service::resolve_deck`] of a deck that may be absent (all decks).
    fn resolve_deck_opt(&self, deck: Option<&str>) -> ApiResult<Option<String>> {
        deck.map(|d| self.resolve_deck(d)).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_background_backup_is_taken_over_a_second_connection() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("collection.sqlite3");
        let service = Service::open(&db).expect("open");
        let now = "2026-03-01T09:00:00Z".parse().expect("time");
        service.daily_backup_in_background(now).expect("start");
        let today = service.today(now).expect("today");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !backup::has_daily(&db, today) {
            assert!(
                std::time::Instant::now() < deadline,
                "no backup was written"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let backups = Service::backups_of(&db).expect("list");
        assert_eq!(backups.len(), 1);
    }

    #[test]
    fn cards_not_indexed_yet_are_found_the_slow_way_and_alike() {
        let dir = tempfile::tempdir().expect("temp dir");
        let notes = dir.path().join("notes");
        std::fs::create_dir_all(&notes).expect("mkdir");
        std::fs::write(
            notes.join("cells.md"),
            "# Cells\n\n## Mitochondria\nThe powerhouse makes ATP.\n\n## Nucleus\nHolds the DNA.\n",
        )
        .expect("write");
        let mut service = Service::open(&dir.path().join("c.sqlite3")).expect("open");
        let now = "2026-03-01T09:00:00Z".parse().expect("time");
        service
            .import(&[notes], &ImportRequest::default(), now, &mut |_| {})
            .expect("import");
        let headings = |service: &mut Service, query: &str| -> Vec<String> {
            let mut found: Vec<String> = service
                .cards_matching(None, query, now)
                .expect("search")
                .into_iter()
                .map(|c| c.heading_path.last().cloned().unwrap_or_default())
                .collect();
            found.sort();
            found
        };
        let queries = [
            "powerhouse",
            "\"makes atp\"",
            "-dna",
            "dna nucleus",
            "cells",
        ];
        assert!(
            service
                .collection
                .reader()
                .unindexed_cards()
                .expect("count")
                > 0
        );
        let slow: Vec<Vec<String>> = queries.iter().map(|q| headings(&mut service, q)).collect();
        assert_eq!(slow[0], ["Mitochondria"]);
        assert!(service.index_search().expect("index") > 0);
        assert_eq!(
            service
                .collection
                .reader()
                .unindexed_cards()
                .expect("count"),
            0
        );
        let fast: Vec<Vec<String>> = queries.iter().map(|q| headings(&mut service, q)).collect();
        assert_eq!(slow, fast, "the index finds what the slow way found");
    }

    #[test]
    fn deck_counts_and_the_day_summary_tell_what_today_allows() {
        let dir = tempfile::tempdir().expect("temp dir");
        let notes = dir.path().join("notes");
        std::fs::create_dir_all(&notes).expect("mkdir");
        let note = |title: &str, n: usize| {
            let mut text = format!("# {title}\n");
            for i in 0..n {
                text.push_str(&format!("## Q{i}\nA{i}.\n"));
            }
            text
        };
        std::fs::write(notes.join("a.md"), note("A", 30)).expect("write");
        std::fs::write(notes.join("b.md"), note("B", 5)).expect("write");
        let mut service = Service::open(&dir.path().join("c.sqlite3")).expect("open");
        let now = "2026-03-02T09:00:00Z".parse().expect("time");
        service
            .import(&[notes], &ImportRequest::default(), now, &mut |_| {})
            .expect("import");
        let find = |service: &Service, name: &str| -> DeckNode {
            fn walk(nodes: Vec<DeckNode>, name: &str) -> Option<DeckNode> {
                nodes.into_iter().find_map(|n| {
                    if n.short_name == name {
                        Some(n)
                    } else {
                        walk(n.children, name)
                    }
                })
            }
            walk(service.decks(now).expect("decks"), name).expect("deck")
        };
        let a = find(&service, "A");
        assert_eq!((a.new, a.new_today), (30, 20), "the new-card limit is 20");
        // Answer the 5 cards of b: a may now bring 15 new cards today.
        let b_queue = service
            .due(Some(&find(&service, "B").name), now)
            .expect("queue");
        for card in &b_queue {
            service
                .answer(&card.card.id, Grade::Good, now, None)
                .expect("answer");
        }
        let a = find(&service, "A");
        assert_eq!((a.new, a.new_today), (30, 15));
        let summary_a = service.day_summary(Some(&a.name), now).expect("summary");
        let summary_all = service.day_summary(None, now).expect("summary");
        assert_eq!(
            (summary_a.answers, summary_all.answers),
            (0, 5),
            "a deck counts its own answers"
        );
    }

    #[test]
    fn notes_open_with_obsidian_in_a_vault_and_the_default_program_elsewhere() {
        let dir = tempfile::tempdir().expect("temp dir");
        let vault = dir.path().join("vault");
        let plain = dir.path().join("plain");
        std::fs::create_dir_all(vault.join(".obsidian")).expect("vault");
        std::fs::create_dir_all(vault.join("sub")).expect("sub");
        std::fs::create_dir_all(&plain).expect("plain");
        std::fs::write(
            vault.join("sub/cells.md"),
            "# Cells\n\n## The #nucleus\nDNA.\n",
        )
        .expect("w");
        std::fs::write(plain.join("water.md"), "# Water\n\n## Boiling\n100 °C.\n").expect("w");
        // The opener records what it was asked to open.
        let log = dir.path().join("opened.txt");
        let opener = dir.path().join("opener.sh");
        std::fs::write(
            &opener,
            format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", log.display()),
        )
        .expect("w");
        std::process::Command::new("chmod")
            .arg("+x")
            .arg(&opener)
            .status()
            .expect("chmod");
        std::env::set_var(shell::OPENER_ENV, &opener);
        let mut service = Service::open(&dir.path().join("c.sqlite3")).expect("open");
        let now = "2026-03-01T09:00:00Z".parse().expect("time");
        service
            .import(
                &[vault.clone(), plain.clone()],
                &ImportRequest::default(),
                now,
                &mut |_| {},
            )
            .expect("import");
        let cells = vault.join("sub/cells.md").canonicalize().expect("path");
        let water = plain.join("water.md").canonicalize().expect("path");
        let in_vault = service
            .open_note(cells.to_str().expect("utf-8"), Some("The #nucleus"))
            .expect("open");
        assert_eq!(in_vault.how, "obsidian");
        assert!(
            in_vault.target.starts_with("obsidian://open?path=%2F"),
            "{}",
            in_vault.target
        );
        assert!(
            in_vault.target.ends_with("cells.md%23The%20nucleus"),
            "{}",
            in_vault.target
        );
        let elsewhere = service
            .open_note(water.to_str().expect("utf-8"), None)
            .expect("open");
        assert_eq!(
            (elsewhere.how.as_str(), elsewhere.target.as_str()),
            ("default", water.to_str().expect("utf-8"))
        );
        let refused = service
            .open_note("/etc/passwd", None)
            .expect_err("not a note");
        assert!(refused.message.contains("not a note of this collection"));
        // Both were handed to the system's opener.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let opened = std::fs::read_to_string(&log).unwrap_or_default();
            if opened.lines().count() == 2 {
                assert!(
                    opened.contains(&in_vault.target) && opened.contains(&elsewhere.target),
                    "{opened}"
                );
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the opener was not run: {opened:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}
