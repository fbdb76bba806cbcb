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
mod shell;
mod stats;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use chrono::{DateTime, Local, Utc};
use notedeck_core::actions::{self, Action, LeechRule};
use notedeck_core::day;
use notedeck_core::import::{self, ImportOptions};
use notedeck_core::model::CardId;
use notedeck_core::queue::{self, Limits};
use notedeck_core::scheduler::{self as core_scheduler, steps, Scheduler};
use notedeck_core::settings::{self, Settings};
use notedeck_core::storage::SortKey;
use notedeck_core::storage::{schedule_of_row, Collection};
use notedeck_core::{backup, review};

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
    DeckRequest, DismissRequest, ExportRequest, ExtractRequest, Flag, ImportNotesRequest,
    NoRequest, OpenNoteRequest, ReadingDto, ReadingRequest, StatsRequest, StudyRequest,
    UndoRequest, MAX_ACTION_CARDS, MAX_AHEAD_DAYS, MAX_IMPORT_PATHS, MAX_PAGE_CARDS,
};
pub use shell::{
    default_collection_path, export_file_name, page_csp, platform_collection_path, PageShell,
    COLLECTION_ENV, MEDIA_CSP, REPORT_DAYS, REPORT_FILE_NAME, SAMPLE_DECK, SAMPLE_DECKS,
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

/// Copies each deck's due count of `later` (the tree counted on tomorrow)
/// into `due_tomorrow`.
fn set_due_tomorrow(nodes: &mut [DeckNode], later: &[DeckNode]) {
    for node in nodes {
        if let Some(other) = later.iter().find(|o| o.name == node.name) {
            node.due_tomorrow = other.due;
            set_due_tomorrow(&mut node.children, &other.children);
        }
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

/// Queue entries as every shell shows them, with the interval each button
/// would give (under the card's deck's maximum interval, if any).
impl Service {
    fn queue_dtos(
        &self,
        queue: Vec<(notedeck_core::storage::CardRow, queue::QueueReason)>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> ApiResult<Vec<QueueCardDto>> {
        let mut caps: std::collections::HashMap<String, Option<u32>> = Default::default();
        let (_, scheduler) = self.collection.reader().current_scheduler()?;
        let mut rules: std::collections::HashMap<String, steps::StepRule> = Default::default();
        let mut out = Vec::with_capacity(queue.len());
        for (row, reason) in queue {
            // An answer moves a card's due day past today, so only the
            // same-day repeats (and cards failed today) were answered today;
            // a card in its learning steps may have been, or not.
            let first_of_day = match reason {
                queue::QueueReason::Repeat | queue::QueueReason::Failed => false,
                queue::QueueReason::Learning => {
                    !self.collection.reader().answered_on(&row.id, today)?
                }
                _ => true,
            };
            let cap = match caps.get(&row.deck) {
                Some(cap) => *cap,
                None => {
                    let cap = self.max_interval_of(&row.deck)?;
                    caps.insert(row.deck.clone(), cap);
                    cap
                }
            };
            let intervals = if reason == queue::QueueReason::Cram {
                // A cram answer changes nothing.
                [0; 4]
            } else if row.kind.is_reading() {
                notedeck_core::scheduler::reading::preview(schedule_of_row(&row), today, cap)
            } else {
                scheduler.preview(
                    schedule_of_row(&row),
                    today,
                    first_of_day,
                    row.id.as_str(),
                    cap,
                )
            };
            // Within the learning steps, what each button does is minutes.
            let before = schedule_of_row(&row);
            if !rules.contains_key(&row.deck) {
                rules.insert(row.deck.clone(), self.step_rule_of(&row.deck)?);
            }
            let rule = &rules[&row.deck];
            let in_steps = reason != queue::QueueReason::Cram
                && !row.kind.is_reading()
                && (!rule.learning.is_empty() || !rule.relearning.is_empty());
            let step_seconds = if in_steps {
                let afters = [
                    core_scheduler::Grade::AGAIN,
                    core_scheduler::Grade::HARD,
                    core_scheduler::Grade::GOOD,
                    core_scheduler::Grade::EASY,
                ]
                .map(|g| {
                    scheduler
                        .answer(before, g, today, first_of_day, row.id.as_str(), cap)
                        .0
                });
                steps::preview(
                    &before,
                    afters,
                    now.timestamp(),
                    &rule.learning,
                    &rule.relearning,
                )
            } else {
                [None; 4]
            };
            out.push(QueueCardDto {
                card: CardDto::under(row, &scheduler, today),
                queue: reason.as_str().to_owned(),
                intervals,
                step_seconds,
            });
        }
        Ok(out)
    }
}

/// Setting key: when `optimize` last fitted FSRS's parameters.
const FSRS_FITTED_AT: &str = "fsrs_fitted_at";

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
}

impl Service {
    /// Opens (or creates) the collection at `path`.
    pub fn open(path: &Path) -> ApiResult<Service> {
        Ok(Service {
            collection: Collection::open(path)?,
            cancel: Cancel::new(),
            search_budget: SEARCH_BUDGET,
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

    /// The collection's settings (defaults where unset).
    pub fn settings(&self) -> ApiResult<SettingsDto> {
        let settings = Settings::read(&self.collection)?;
        let fsrs = self.collection.fsrs_config()?;
        Ok(SettingsDto {
            new_per_day: settings.new_per_day,
            reviews_per_day: settings.reviews_per_day,
            rollover_hour: settings.rollover_hour,
            remote_images: settings.remote_images,
            skip_rules: settings.junk.into(),
            implicit_headings: settings.junk.implicit_headings,
            reading_per_day: settings.reading_per_day,
            learning_steps: settings.steps.learning.text(),
            relearning_steps: settings.steps.relearning.text(),
            leech_threshold: i64::from(settings.leech.threshold),
            leech_action: if settings.leech.suspend {
                LeechAction::Suspend
            } else {
                LeechAction::Tag
            },
            scheduler: scheduler_name(self.collection.reader().current_scheduler()?.1.name()),
            desired_retention: decimal(fsrs.desired_retention),
            fsrs_parameters: fsrs.parameters.iter().copied().map(decimal).collect(),
            fsrs_fitted_at: self.collection.setting(FSRS_FITTED_AT)?,
        })
    }

    /// Changes the settings given, all at once or (when one is refused)
    /// none; returns all settings. A change of scheduler replays the
    /// review log under the new one, in the same transaction.
    pub fn update_settings(
        &mut self,
        update: &SettingsUpdate,
        now: DateTime<Utc>,
    ) -> ApiResult<SettingsDto> {
        let steps_of = |flag: &str, text: &Option<String>| -> ApiResult<Option<steps::Steps>> {
            text.as_deref()
                .map(|t| {
                    steps::Steps::parse(t).map_err(|e| {
                        ApiError::new(ErrorCode::InvalidInput, format!("--{flag}: {e}"))
                    })
                })
                .transpose()
        };
        let change = settings::Change {
            new_per_day: update.new_per_day,
            reviews_per_day: update.reviews_per_day,
            reading_per_day: update.reading_per_day,
            rollover_hour: update.rollover_hour,
            leech_threshold: update.leech_threshold,
            leech_suspends: update.leech_action.map(|a| a == LeechAction::Suspend),
            remote_images: update.remote_images,
            implicit_headings: update.implicit_headings,
            skip_rules: update.skip_rules.map(Into::into),
            learning_steps: steps_of("learning-steps", &update.learning_steps)?,
            relearning_steps: steps_of("relearning-steps", &update.relearning_steps)?,
        };
        let scheduler = if update.scheduler.is_some() || update.desired_retention.is_some() {
            Some(self.scheduler_change(update.scheduler, update.desired_retention)?)
        } else {
            None
        };
        settings::apply(
            &mut self.collection,
            &change,
            scheduler,
            now,
            &mut |_, _| {},
        )?;
        self.settings()
    }

    /// The scheduler a change asks for (`name`, else the one in force)
    /// with FSRS's settings (`desired_retention`, else as they are),
    /// checked.
    fn scheduler_change(
        &self,
        name: Option<SchedulerName>,
        desired_retention: Option<f32>,
    ) -> ApiResult<settings::SchedulerChange> {
        Ok(settings::SchedulerChange::new(
            &self.collection,
            name.map(|n| n == SchedulerName::Fsrs),
            desired_retention,
        )?)
    }

    /// Puts a scheduler in force (`sm2` or `fsrs`; none: the one in
    /// force) with FSRS's desired retention (none: as it is). A switch of
    /// scheduler replays the log under the new one in one transaction
    /// (`progress` hears answers replayed of all); a new retention under
    /// FSRS applies to the answers after it.
    pub fn set_scheduler(
        &mut self,
        name: Option<SchedulerName>,
        desired_retention: Option<f32>,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> ApiResult<SwitchedDto> {
        let scheduler = self.scheduler_change(name, desired_retention)?;
        let nothing = settings::Change::default();
        let switched = settings::apply(
            &mut self.collection,
            &nothing,
            Some(scheduler),
            now,
            progress,
        )?
        .ok_or_else(ApiError::internal)?;
        Ok(SwitchedDto {
            scheduler: scheduler_name(switched.scheduler),
            rebuilt: switched.rebuilt,
            changed: switched.changed,
            answers_replayed: switched.answers as i64,
            cards_rescheduled: switched.cards_changed as i64,
        })
    }

    /// Fits FSRS's parameters to the review log and keeps them (in force
    /// at once when FSRS is the scheduler); `progress` hears the fit's
    /// (done, total).
    pub fn optimize(
        &mut self,
        now: DateTime<Utc>,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> ApiResult<OptimizedDto> {
        let items = notedeck_core::optimize::training_items(&self.collection)?;
        let parameters = notedeck_core::optimize::fit(&items, progress)?;
        let mut config = self.collection.fsrs_config()?;
        config.parameters = parameters.clone();
        let fitted = Scheduler::fsrs(&config).map_err(notedeck_core::Error::BadScheduler)?;
        let applied = self.collection.reader().current_scheduler()?.1.name() == "fsrs";
        if applied {
            // In force from the next answer (a new setting, not a replay).
            notedeck_core::switch::set_scheduler(
                &mut self.collection,
                fitted,
                now,
                &mut |_, _| {},
            )?;
        }
        self.collection.set_fsrs_config(&config)?;
        self.collection.set_setting(
            FSRS_FITTED_AT,
            &now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        )?;
        Ok(OptimizedDto {
            parameters: parameters.iter().copied().map(decimal).collect(),
            reviews_used: items.len() as i64,
            applied,
        })
    }

    /// Scores SM-2, FSRS with default parameters and FSRS fitted on the
    /// earlier 80 % of the log, on the later 20 %.
    pub fn evaluate_schedulers(
        &self,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> ApiResult<EvaluationDto> {
        let items = notedeck_core::optimize::training_items(&self.collection)?;
        let evaluation = notedeck_core::optimize::evaluate(&items, progress)?;
        Ok(EvaluationDto {
            sm2: ScoreDto::of(evaluation.sm2, 0),
            fsrs_default: ScoreDto::of(evaluation.fsrs_default, 0),
            fsrs_fitted: ScoreDto::of(evaluation.fsrs_fitted, evaluation.trained),
        })
    }

    /// Simulates `days` days under FSRS for each desired retention, from
    /// the collection's cards, with today's new-card limit.
    pub fn simulate(
        &self,
        retentions: &[f32],
        days: usize,
        now: DateTime<Utc>,
    ) -> ApiResult<Vec<ProjectionDto>> {
        let today = self.today(now)?;
        let new_per_day = usize::try_from(self.limits()?.new_per_day).unwrap_or(0);
        let projections = notedeck_core::simulate::simulate(
            &self.collection,
            retentions,
            days,
            new_per_day,
            today,
        )?;
        Ok(projections
            .into_iter()
            .map(|p| ProjectionDto {
                desired_retention: decimal(p.desired_retention),
                reviews_per_day: p.reviews_per_day,
                total_reviews: p.total_reviews,
                minutes_per_day: p.minutes_per_day,
                remembered_at_end: p.remembered_at_end,
                cards: p.cards as u64,
            })
            .collect())
    }

    /// The learner's day at `now`, honouring the collection's rollover hour.
    pub fn today(&self, now: DateTime<Utc>) -> ApiResult<NaiveDate> {
        let rollover =
            settings::number(&self.collection, &settings::ROLLOVER_HOUR)?.clamp(0, 23) as u32;
        Ok(day::learning_day(&now.with_timezone(&Local), rollover))
    }

    /// Takes today's automatic backup if none was taken yet; call when a
    /// collection is opened for review.
    pub fn daily_backup(&self, now: DateTime<Utc>) -> ApiResult<Option<PathBuf>> {
        let today = self.today(now)?;
        Ok(backup::daily(&self.collection, today)?)
    }

    /// Takes today's backup on another thread, over a second connection, so
    /// the first card of the day does not wait for it. At most one runs at
    /// a time; a failure is reported on standard error (the review goes
    /// on: yesterday's backup is still there).
    pub fn daily_backup_in_background(&self, now: DateTime<Utc>) -> ApiResult<()> {
        static RUNNING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        use std::sync::atomic::Ordering;
        let today = self.today(now)?;
        if backup::has_daily(self.collection.path(), today) || RUNNING.swap(true, Ordering::AcqRel)
        {
            return Ok(());
        }
        let sibling = match self.collection.sibling_reader() {
            Ok(sibling) => sibling,
            Err(err) => {
                RUNNING.store(false, Ordering::Release);
                return Err(err.into());
            }
        };
        std::thread::spawn(move || {
            if let Err(err) = backup::daily(&sibling, today) {
                eprintln!("notedeck: today's backup could not be taken: {err}");
            }
            RUNNING.store(false, Ordering::Release);
        });
        Ok(())
    }

    /// Today's queue, in order, with the interval each button would give.
    pub fn due(&self, deck: Option<&str>, now: DateTime<Utc>) -> ApiResult<Vec<QueueCardDto>> {
        self.due_tagged(deck, None, now)
    }

    /// Today's queue of the cards with `tag` (in `deck`, if given), under
    /// the same daily limits.
    pub fn due_tagged(
        &self,
        deck: Option<&str>,
        tag: Option<&str>,
        now: DateTime<Utc>,
    ) -> ApiResult<Vec<QueueCardDto>> {
        let deck = self.resolve_deck_opt(deck)?;
        let deck = deck.as_deref();
        let tag = tag.map(actions::parse_tag).transpose()?;
        let today = self.today(now)?;
        let limits = self.limits_of(deck)?;
        let scope = notedeck_core::storage::Scope {
            deck,
            tag: tag.as_deref(),
        };
        let queue = queue::today_at(&self.collection, now.timestamp(), today, scope, limits)?;
        self.queue_dtos(queue, today, now)
    }

    /// The collection's learning steps.
    fn step_rule(&self) -> ApiResult<steps::StepRule> {
        Ok(Settings::read(&self.collection)?.steps)
    }

    /// The learning steps in force on the cards of `deck`: its own (or a
    /// parent's), else the collection's.
    fn step_rule_of(&self, deck: &str) -> ApiResult<steps::StepRule> {
        let mut rule = self.step_rule()?;
        let own = self.collection.reader().inherited_deck_options(deck)?;
        let parse = |text: Option<String>| text.and_then(|t| steps::Steps::parse(&t).ok());
        if let Some(list) = parse(own.learning_steps) {
            rule.learning = list;
        }
        if let Some(list) = parse(own.relearning_steps) {
            rule.relearning = list;
        }
        Ok(rule)
    }

    /// The limits in the settings.
    fn limits(&self) -> ApiResult<Limits> {
        Ok(Limits {
            siblings: queue::SiblingRule {
                set: self
                    .collection
                    .reader()
                    .all_deck_options()?
                    .into_iter()
                    .filter_map(|(deck, o)| o.bury_siblings.map(|on| (deck, on)))
                    .collect(),
            },
            ..Settings::read(&self.collection)?.limits()
        })
    }

    /// The limits of a queue of `deck` (its options, then the
    /// collection's), or the collection's for every deck.
    fn limits_of(&self, deck: Option<&str>) -> ApiResult<Limits> {
        let mut limits = self.limits()?;
        if let Some(deck) = deck {
            let reader = self.collection.reader();
            // The deck and each parent with limits of its own cap the queue.
            let mut name = Some(deck);
            while let Some(current) = name {
                let own = reader.deck_options(current)?;
                if own.new_per_day.is_some() || own.reviews_per_day.is_some() {
                    limits.decks.push((
                        current.to_owned(),
                        queue::DeckLimits {
                            new_per_day: own.new_per_day.unwrap_or(i64::MAX),
                            reviews_per_day: own.reviews_per_day.unwrap_or(i64::MAX),
                        },
                    ));
                }
                name = current.rsplit_once("::").map(|(parent, _)| parent);
            }
            let options = reader.inherited_deck_options(deck)?;
            limits.random_new = options.new_order.as_deref() == Some("random");
        }
        Ok(limits)
    }

    /// The longest interval in force on a card of `deck`, if any.
    fn max_interval_of(&self, deck: &str) -> ApiResult<Option<u32>> {
        Ok(self.collection.reader().max_interval_of(deck)?)
    }

    /// A deck's options: its own and those in force.
    pub fn deck_options(&self, deck: &str) -> ApiResult<DeckOptionsDto> {
        let deck = self.resolve_deck(deck)?;
        let (own, effective) = settings::deck_options(&self.collection, &deck)?;
        Ok(DeckOptionsDto {
            deck,
            own: own.into(),
            effective: effective.into(),
        })
    }

    /// Sets a deck's own options (null fields are inherited).
    pub fn set_deck_options(&mut self, request: &DeckOptionsRequest) -> ApiResult<DeckOptionsDto> {
        let deck = self.resolve_deck(&request.deck)?;
        let options = notedeck_core::storage::DeckOptions {
            new_per_day: request.new_per_day,
            reviews_per_day: request.reviews_per_day,
            new_order: request.new_order.map(|order| order.as_str().to_owned()),
            max_interval: request.max_interval,
            bury_siblings: request.bury_siblings,
            learning_steps: request.learning_steps.clone(),
            relearning_steps: request.relearning_steps.clone(),
        };
        settings::set_deck_options(&mut self.collection, &deck, &options)?;
        self.deck_options(&deck)
    }

    /// A custom study session's queue (see [`StudyRequest`]); the daily
    /// queue and its limits stay as they are. Its search runs under
    /// [`SEARCH_BUDGET`].
    pub fn study(
        &mut self,
        request: &StudyRequest,
        now: DateTime<Utc>,
    ) -> ApiResult<Vec<QueueCardDto>> {
        let deck = requests::non_empty(request.deck.as_deref());
        let deck = self.resolve_deck_opt(deck)?;
        let deck = deck.as_deref();
        let study = request.study()?;
        let mut selection = parse_query(request.search.as_deref().unwrap_or_default())?;
        if let Some(tag) = requests::non_empty(request.tag.as_deref()) {
            selection.terms.push(notedeck_core::search::Term {
                negated: false,
                filter: notedeck_core::search::Filter::Tag(actions::parse_tag(tag)?),
            });
        }
        let today = self.today(now)?;
        let limits = self.limits_of(deck)?;
        let queue = self.bounded(|collection| {
            queue::study(collection, today, deck, &selection, study, limits)
        })?;
        self.queue_dtos(queue, today, now)
    }

    /// Records an answer.
    pub fn answer(
        &mut self,
        card_id: &str,
        grade: Grade,
        now: DateTime<Utc>,
        duration_ms: Option<i64>,
    ) -> ApiResult<AnswerDto> {
        self.answer_in(card_id, grade, now, duration_ms, None)
    }

    /// Records an answer given in a custom study session (`ahead`,
    /// `extra_new`, `failed_today` or `cram`; none: the daily queue). A cram
    /// answer changes no schedule.
    pub fn answer_in(
        &mut self,
        card_id: &str,
        grade: Grade,
        now: DateTime<Utc>,
        duration_ms: Option<i64>,
        session: Option<SessionKind>,
    ) -> ApiResult<AnswerDto> {
        let session = session.map(queue::Session::from);
        let grade = core_scheduler::Grade::from(grade);
        if let Some(ms) = duration_ms {
            check_range("duration_ms", ms, 0..=MAX_DURATION_MS)?;
        }
        let today = self.today(now)?;
        let card_id = notedeck_core::model::CardId::from(card_id);
        let deck = self
            .collection
            .reader()
            .card(&card_id)?
            .map(|c| c.deck)
            .unwrap_or_default();
        let options = review::AnswerOptions {
            duration_ms,
            leech: self.leech_rule()?,
            session,
            steps: self.step_rule_of(&deck)?,
        };
        let answered = review::answer(&mut self.collection, &card_id, grade, now, today, &options)?;
        let card = review::card_now(&self.collection, &card_id)?;
        let (_, scheduler) = self.collection.reader().current_scheduler()?;
        Ok(AnswerDto {
            became_leech: answered.made_leech(),
            review: ReviewDto::from(answered.review),
            card: CardDto::under(card, &scheduler, today),
        })
    }

    /// The leech rule in the settings (read alone: it is on every answer's
    /// path).
    fn leech_rule(&self) -> ApiResult<LeechRule> {
        Ok(Settings::read(&self.collection)?.leech)
    }

    /// What the next undo would take back, described for asking first
    /// (null: nothing). `today` is false for a step of an earlier day.
    pub fn undo_preview(&self, now: DateTime<Utc>) -> ApiResult<Option<UndoStepDto>> {
        let Some(step) = review::next_undo(&self.collection)? else {
            return Ok(None);
        };
        let today = self.today(now)?;
        let card = self.collection.reader().card(&step.card_id)?;
        let heading = card.as_ref().map_or_else(String::new, |c| {
            c.heading_path
                .last()
                .cloned()
                .unwrap_or_else(|| c.deck.rsplit("::").next().unwrap_or(&c.deck).to_owned())
        });
        let when = match (today - step.day).num_days() {
            0 => "today".to_owned(),
            1 => "yesterday".to_owned(),
            n => format!("{n} days ago"),
        };
        let time = step.at.get(11..16).unwrap_or("");
        let description = match step.what {
            "answer" => format!(
                "{} on “{heading}”, answered {when} ({} {time} UTC){}",
                grade_name(step.grade.unwrap_or(0)),
                day::format_day(step.day),
                step.session
                    .map_or(String::new(), |s| format!(" in a {} session", s.as_str()))
            ),
            "actions" => {
                let target = if step.cards == 1 {
                    format!("“{heading}”")
                } else {
                    format!("{} cards", step.cards)
                };
                format!(
                    "{} of {target}, {when} ({} {time} UTC)",
                    step.action.as_deref().unwrap_or("action"),
                    day::format_day(step.day)
                )
            }
            _ => {
                format!("the card made from “{heading}”, written into its note {when} ({time} UTC)")
            }
        };
        Ok(Some(UndoStepDto {
            id: step.id,
            what: step.what.to_owned(),
            card_id: step.card_id.to_string(),
            heading,
            cards: step.cards as i64,
            day: day::format_day(step.day),
            at: step.at,
            today: step.day == today,
            description,
        }))
    }

    /// Takes back the newest answer or action (a whole selection at once),
    /// or the newest card written into a note (the note is imported again).
    pub fn undo(&mut self, now: DateTime<Utc>) -> ApiResult<UndoDto> {
        self.undo_expected(None, now)
    }

    /// [`Service::undo`]; with `expected`, only if that step (an
    /// [`UndoStepDto::id`]) is still the newest, else nothing changes
    /// (`undo_moved`).
    pub fn undo_expected(
        &mut self,
        expected: Option<&str>,
        now: DateTime<Utc>,
    ) -> ApiResult<UndoDto> {
        let undone = match expected {
            Some(id) => review::undo_expected(&mut self.collection, now, id)?,
            None => review::undo(&mut self.collection, now)?,
        };
        let mut unwritten = None;
        if let review::Undone::Extraction(made, _) = &undone {
            self.import_note_again(&made.note_path, now)?;
            unwritten = Some(ExtractedDto {
                card_id: made.card_id.clone().unwrap_or_default(),
                note: made.note_path.clone(),
                line: 0,
                undo_id: made.id.clone(),
            });
        }
        let card = review::card_now(&self.collection, undone.card_id())?;
        let (review, actions) = match undone {
            review::Undone::Answer(answered) => (Some(answered.review), answered.actions),
            review::Undone::Actions(rows) => (None, rows),
            review::Undone::Extraction(..) => (None, Vec::new()),
        };
        Ok(UndoDto {
            review: review.map(ReviewDto::from),
            card: CardDto::from(card),
            actions: actions.into_iter().map(ActionDto::from).collect(),
            unwritten,
        })
    }

    /// Writes a card made from text selected on `card_id` into its note (a
    /// cloze of the text, or a question answered by it), imports the note
    /// again at once and returns the new card. Refused, with the note left
    /// as it is, when the note changed on disk since its import or lives
    /// outside the imported folders. Undo takes it out again.
    pub fn extract(
        &mut self,
        request: &ExtractRequest,
        now: DateTime<Utc>,
    ) -> ApiResult<ExtractedDto> {
        use notedeck_core::extract::{self, Making};
        let making = match (&request.cloze, &request.question, &request.answer) {
            (Some(text), None, None) => Making::Cloze { text: text.clone() },
            (None, Some(question), Some(answer)) => Making::Question {
                question: question.clone(),
                answer: answer.clone(),
            },
            _ => {
                return Err(ApiError::new(
                    ErrorCode::InvalidInput,
                    "give either --cloze TEXT, or --question Q with --answer TEXT",
                ))
            }
        };
        let from = notedeck_core::model::CardId::from(request.card_id.as_str());
        let written = extract::write(&self.collection, &from, &making)?;
        let report = self.import_note_again(&written.note, now)?;
        // The card the import added at the written line (a cloze's section
        // newly tagged may add others: the one at the line is this one).
        let added: Vec<String> = report
            .notes
            .iter()
            .filter(|n| n.path == written.note)
            .flat_map(|n| n.changes.iter())
            .filter(|c| c.kind == "added" || c.kind == "restored")
            .map(|c| c.card_id.clone())
            .collect();
        let reader = self.collection.reader();
        let mut card_id = None;
        for id in &added {
            let card = reader.card(&notedeck_core::model::CardId::from(id.as_str()))?;
            if card.is_some_and(|c| c.line as usize == written.line) {
                card_id = Some(id.clone());
                break;
            }
        }
        let card_id = card_id.or_else(|| added.first().cloned());
        let new_id = card_id.as_deref().map(notedeck_core::model::CardId::from);
        let undo_id = extract::record(&mut self.collection, &written, &from, new_id.as_ref(), now)?;
        let card_id = card_id.ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "the card was written into {} at line {}, but the import made no new card of it (see `notedeck import`); `notedeck undo` takes it out",
                    written.note, written.line
                ),
            )
        })?;
        Ok(ExtractedDto {
            card_id,
            note: written.note,
            line: written.line as i64,
            undo_id,
        })
    }

    /// Imports again the source that holds `note` (as `notedeck import`
    /// with no path does for every source).
    fn import_note_again(&mut self, note: &str, now: DateTime<Utc>) -> ApiResult<ImportReportDto> {
        let source = self
            .collection
            .reader()
            .sources()?
            .into_iter()
            .filter(|s| Path::new(note).starts_with(&s.path))
            .max_by_key(|s| s.path.len())
            .ok_or_else(|| notedeck_core::Error::NoSources)?;
        let request = ImportRequest {
            deck: source.deck.clone(),
            dry_run: false,
        };
        self.import(&[PathBuf::from(source.path)], &request, now, &mut |_| {})
    }

    /// Does `action` (`suspend`, `unsuspend`, `bury`, `unbury`, `forget`,
    /// `tag`, `untag`; the last two with `tag`) to every card of `ids`, as
    /// one undoable step. An unknown or retired card fails the whole
    /// call and changes nothing. Burying lasts until tomorrow.
    pub fn act(
        &mut self,
        ids: &[String],
        action: CardAction,
        tag: Option<&str>,
        now: DateTime<Utc>,
    ) -> ApiResult<ActDto> {
        if ids.is_empty() {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "no cards given: name at least one card id",
            ));
        }
        if ids.len() > MAX_ACTION_CARDS {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "{} cards given; at most {MAX_ACTION_CARDS} at once",
                    ids.len()
                ),
            ));
        }
        let today = self.today(now)?;
        let needs_tag = || -> ApiResult<String> {
            let text = tag.ok_or_else(|| {
                ApiError::new(ErrorCode::InvalidInput, format!("`{action}` needs a tag"))
            })?;
            Ok(actions::parse_tag(text)?)
        };
        let action = match action {
            CardAction::Suspend => Action::Suspend,
            CardAction::Unsuspend => Action::Unsuspend,
            CardAction::Bury => Action::Bury {
                until: today.succ_opt().unwrap_or(today),
            },
            CardAction::Unbury => Action::Unbury,
            CardAction::Forget => Action::Forget,
            CardAction::Tag => Action::Tag(needs_tag()?),
            CardAction::Untag => Action::Untag(needs_tag()?),
        };
        let ids: Vec<CardId> = ids.iter().map(|id| CardId::from(id.as_str())).collect();
        let rows = actions::act(&mut self.collection, &ids, &action, now, today)?;
        let mut distinct: Vec<&CardId> = ids.iter().collect();
        distinct.sort();
        distinct.dedup();
        Ok(ActDto {
            action: action.as_str().to_owned(),
            changed: rows.len() as u64,
            unchanged: (distinct.len() - rows.len().min(distinct.len())) as u64,
            undo_id: rows.first().map(|r| r.batch.clone()),
        })
    }

    /// Replays the review log and checks the database.
    pub fn check(&self) -> ApiResult<CheckDto> {
        let report = review::check(&self.collection)?;
        Ok(CheckDto {
            ok: report.problems.is_empty(),
            reviews: report.reviews,
            actions: report.actions,
            cards: report.cards,
            problems: report.problems,
        })
    }

    /// Puts a backup back into the collection at `collection`, after saving
    /// the current state; works when the collection is too damaged to open.
    /// `file` is a path or a name from [`Service::backups_of`].
    pub fn restore_file(
        collection: &Path,
        file: &Path,
        now: DateTime<Utc>,
    ) -> ApiResult<RestoreDto> {
        let dir = backup::backup_dir(collection);
        let path = if file.is_file() || file.components().count() > 1 {
            file.to_owned()
        } else {
            dir.join(file)
        };
        let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
        let saved = backup::restore_file(collection, &path, &stamp)?;
        Ok(RestoreDto {
            restored: path.to_string_lossy().into_owned(),
            previous_state_saved_to: saved.to_string_lossy().into_owned(),
        })
    }

    /// The backups of the collection at `collection`, newest first, without
    /// opening it (it may be damaged).
    pub fn backups_of(collection: &Path) -> ApiResult<Vec<BackupDto>> {
        let dir = backup::backup_dir(collection);
        Ok(backup::list(&dir)?
            .into_iter()
            .map(BackupDto::from)
            .collect())
    }

    /// Every path imported before, oldest first.
    pub fn sources(&self) -> ApiResult<Vec<String>> {
        Ok(self
            .collection
            .reader()
            .sources()?
            .into_iter()
            .map(|s| s.path)
            .collect())
    }

    /// Statistics for the `days` days ending today.
    pub fn stats(&self, deck: Option<&str>, days: u32, now: DateTime<Utc>) -> ApiResult<StatsDto> {
        self.stats_tagged(deck, None, days, now)
    }

    /// Statistics of the cards with `tag` (in `deck`, if given).
    pub fn stats_tagged(
        &self,
        deck: Option<&str>,
        tag: Option<&str>,
        days: u32,
        now: DateTime<Utc>,
    ) -> ApiResult<StatsDto> {
        check_range("days", i64::from(days), 1..=MAX_STATS_DAYS)?;
        let deck = self.resolve_deck_opt(deck)?;
        let deck = deck.as_deref();
        let tag = tag.map(actions::parse_tag).transpose()?;
        let today = self.today(now)?;
        let scope = notedeck_core::storage::Scope {
            deck,
            tag: tag.as_deref(),
        };
        let stats = notedeck_core::stats::compute(&self.collection, scope, today, days)?;
        let from = stats.from;
        let mut dto = StatsDto::from_stats(stats, days.max(1));
        dto.tag = tag.clone();
        if let (_, Scheduler::Fsrs(fsrs)) = self.collection.reader().current_scheduler()? {
            dto.fsrs = Some(
                notedeck_core::fsrs_stats::compute(&self.collection, scope, today, from, &fsrs)?
                    .into(),
            );
        }
        let mut terms = vec![notedeck_core::search::Term {
            negated: false,
            filter: notedeck_core::search::Filter::State(notedeck_core::search::StateFilter::Leech),
        }];
        if let Some(tag) = &tag {
            terms.push(notedeck_core::search::Term {
                negated: false,
                filter: notedeck_core::search::Filter::Tag(tag.clone()),
            });
        }
        let leeches = notedeck_core::search::Query { terms };
        let (_, rows) = self.collection.reader().search_cards(
            &leeches,
            deck,
            today,
            (SortKey::Lapses, true),
            MAX_LISTED_LEECHES,
            0,
        )?;
        dto.leeches = rows.into_iter().map(CardDto::from).collect();
        Ok(dto)
    }

    /// The progress report: everything `stats` computes as one
    /// self-contained HTML page (no script, no request); returns its size
    /// in bytes.
    pub fn stats_report(
        &self,
        deck: Option<&str>,
        days: u32,
        now: DateTime<Utc>,
        out: &mut dyn std::io::Write,
    ) -> ApiResult<u64> {
        report::write_html(&self.stats(deck, days, now)?, out)
    }

    /// Streams the review log (optionally of one deck) to `out`; returns
    /// the number of rows.
    pub fn export_reviews(
        &self,
        deck: Option<&str>,
        format: ExportFormat,
        out: &mut dyn std::io::Write,
    ) -> ApiResult<u64> {
        let deck = self.resolve_deck_opt(deck)?;
        let deck = deck.as_deref();
        let reader = self.collection.reader();
        export::stream(format, out, REVIEW_COLUMNS, ReviewExport::from, |visit| {
            reader.for_each_review_export(deck, visit)
        })
    }

    /// Streams the cards with their current states to `out`.
    pub fn export_cards(
        &self,
        deck: Option<&str>,
        format: ExportFormat,
        out: &mut dyn std::io::Write,
    ) -> ApiResult<u64> {
        let deck = self.resolve_deck_opt(deck)?;
        let deck = deck.as_deref();
        let reader = self.collection.reader();
        export::stream(format, out, CARD_COLUMNS, CardExport::from, |visit| {
            reader.for_each_card(deck, visit)
        })
    }

    /// Today's summary: answers given, and cards due tomorrow.
    pub fn day_summary(&self, deck: Option<&str>, now: DateTime<Utc>) -> ApiResult<DaySummaryDto> {
        let deck = self.resolve_deck_opt(deck)?;
        let deck = deck.as_deref();
        let today = self.today(now)?;
        let reader = self.collection.reader();
        let reviews = reader.reviews_on(today, deck)?;
        // Counted as the deck list counts (the deck with its sub-decks),
        // from the same tree, tomorrow's count included.
        let tree = self.decks(now)?;
        let nodes: Vec<&DeckNode> = match deck {
            Some(name) => find_deck(&tree, name).into_iter().collect(),
            None => tree.iter().collect(),
        };
        let (due_tomorrow, new_waiting, due_waiting, reading_waiting) =
            nodes.iter().fold((0, 0, 0, 0), |t, n| {
                (
                    t.0 + n.due_tomorrow,
                    t.1 + n.new - n.new_today,
                    t.2 + n.due - n.due_today,
                    t.3 + n.reading - n.reading_today,
                )
            });
        let held_back = self.held_back(deck, today, (new_waiting, due_waiting, reading_waiting))?;
        Ok(DaySummaryDto {
            day: day::format_day(today),
            answers: reviews.len() as i64,
            cards: reviews
                .iter()
                .map(|r| r.card_id.as_str())
                .collect::<std::collections::HashSet<_>>()
                .len() as i64,
            again: reviews.iter().filter(|r| r.grade < 3).count() as i64,
            time_ms: reviews.iter().filter_map(|r| r.duration_ms).sum(),
            due_tomorrow,
            new_waiting,
            due_waiting,
            reading_waiting,
            held_back,
        })
    }

    /// What today's limits hold back in `deck` (or everywhere), and by
    /// which limit, in one sentence; `None` when nothing is.
    fn held_back(
        &self,
        deck: Option<&str>,
        today: NaiveDate,
        (new, due, reading): (i64, i64, i64),
    ) -> ApiResult<Option<String>> {
        if new + due + reading == 0 {
            return Ok(None);
        }
        let limits = self.limits_of(deck)?;
        let reader = self.collection.reader();
        let (new_done, answers_done) = reader.answered_today(today)?;
        let by_deck = reader.answered_today_by_deck(&day::format_day(today))?;
        let plural = |n: i64, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        let mut waiting = Vec::new();
        if new > 0 {
            waiting.push(plural(new, "new card", "new cards"));
        }
        if due > 0 {
            waiting.push(plural(due, "due card", "due cards"));
        }
        if reading > 0 {
            waiting.push(plural(reading, "reading card", "reading cards"));
        }
        let mut reasons = Vec::new();
        if answers_done >= limits.reviews_per_day && due + new > 0 {
            reasons.push(format!(
                "the daily limit of {} reached",
                plural(limits.reviews_per_day, "answer is", "answers is")
            ));
        } else if new > 0 && new_done >= limits.new_per_day {
            reasons.push(format!(
                "the daily limit of {} reached",
                plural(limits.new_per_day, "new card is", "new cards is")
            ));
        }
        for (name, own) in &limits.decks {
            let (deck_new, deck_answers) = queue::answered_in_subtree(&by_deck, name);
            if new > 0 && deck_new >= own.new_per_day {
                reasons.push(format!(
                    "{name}'s own limit of {} a day is reached",
                    plural(own.new_per_day, "new card", "new cards")
                ));
            } else if deck_answers >= own.reviews_per_day {
                reasons.push(format!(
                    "{name}'s own limit of {} a day is reached",
                    plural(own.reviews_per_day, "answer", "answers")
                ));
            }
        }
        if reading > 0 {
            reasons.push(format!(
                "the reading limit of {} a day",
                plural(limits.reading_per_day, "card", "cards")
            ));
        }
        if reasons.is_empty() {
            reasons.push("today's limits".to_owned());
        }
        Ok(Some(format!(
            "{} wait for later days: {}. Study more shows them now without changing the limits.",
            waiting.join(", "),
            reasons.join("; ")
        )))
    }

    /// Imports notes (every known source when `paths` is empty).
    pub fn import(
        &mut self,
        paths: &[PathBuf],
        request: &ImportRequest,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(ImportProgressDto),
    ) -> ApiResult<ImportReportDto> {
        let options = ImportOptions {
            deck: request.deck.clone(),
            dry_run: request.dry_run,
            junk: Settings::read(&self.collection)?.junk,
            ..ImportOptions::default()
        };
        let paths: Vec<PathBuf> = paths.iter().map(|p| shell::expand_home(p)).collect();
        let decks_before = self.collection.reader().note_decks()?;
        let report = import::import(&mut self.collection, &paths, &options, now, &mut |p| {
            progress(p.into());
        })?;
        let mut dto = ImportReportDto::from(report);
        deck_moves(&mut dto, &decks_before);
        let t = &dto.totals;
        let written = t.added + t.updated + t.moved + t.restored;
        if !dto.dry_run && written <= DOCTOR_COUNT_CARDS {
            dto.doctor_findings = Some(self.doctor_count(&dto)?);
        }
        Ok(dto)
    }

    /// Opens a note of the collection the way the system opens it: with
    /// Obsidian (at `heading`) when the note is inside an Obsidian vault,
    /// with the default program for its file otherwise. Only notes the
    /// collection holds are opened.
    pub fn open_note(&self, path: &str, heading: Option<&str>) -> ApiResult<OpenedDto> {
        if self.collection.reader().note_by_path(path)?.is_none() {
            return Err(ApiError::new(
                ErrorCode::PathNotFound,
                format!("{path} is not a note of this collection; `notedeck import` it first"),
            ));
        }
        let note = Path::new(path);
        let (how, target) = match shell::obsidian_vault(note) {
            Some(_) => ("obsidian", shell::obsidian_link(note, heading)),
            None => ("default", path.to_owned()),
        };
        shell::open_with_system(&target)?;
        Ok(OpenedDto {
            how: how.to_owned(),
            target,
        })
    }

    /// Puts every card the importer added or changed into the search index
    /// now, in batches of [`SEARCH_INDEX_BATCH`] (one short transaction
    /// each, so answers are not held up); returns how many.
    pub fn index_search(&mut self) -> ApiResult<usize> {
        Ok(notedeck_core::search::index_pending(&mut self.collection)?)
    }

    /// Indexes new and changed cards for search on a connection of its
    /// own, in the background (the desktop app and `serve`, after an
    /// import); until it is done, such cards are searched the slow way.
    pub fn index_search_in_background(&self) -> ApiResult<()> {
        static RUNNING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        use std::sync::atomic::Ordering;
        if self.collection.reader().unindexed_cards()? == 0 || RUNNING.swap(true, Ordering::AcqRel)
        {
            return Ok(());
        }
        let path = self.collection.path().to_owned();
        std::thread::spawn(move || {
            let indexed = Collection::open(&path)
                .and_then(|mut c| notedeck_core::search::index_pending(&mut c));
            if let Err(err) = indexed {
                eprintln!("notedeck: the search index could not be brought up to date: {err}");
            }
            RUNNING.store(false, Ordering::Release);
        });
        Ok(())
    }

    /// The card doctor's findings (not dismissed) in the cards of the notes
    /// an import added or changed.
    fn doctor_count(&self, report: &ImportReportDto) -> ApiResult<u64> {
        let reader = self.collection.reader();
        let mut doctor = notedeck_core::doctor::Doctor::new();
        for note in &report.notes {
            if matches!(note.status.as_str(), "new" | "updated" | "moved") {
                for card in reader.cards_of_note_path(&note.path)? {
                    doctor.look_at(&card);
                }
            }
        }
        Ok(self.undismissed(doctor)?.len() as u64)
    }

    /// What `doctor` found, without the findings the learner dismissed.
    fn undismissed(
        &self,
        doctor: notedeck_core::doctor::Doctor,
    ) -> ApiResult<Vec<notedeck_core::doctor::Finding>> {
        let dismissed = self.collection.reader().dismissed_findings()?;
        let mut findings = doctor.finish();
        findings.retain(|f| !dismissed.contains(&(f.card_id.clone(), f.rule.as_str().to_owned())));
        Ok(findings)
    }

    /// The deck tree with counts that include sub-decks.
    pub fn decks(&self, now: DateTime<Utc>) -> ApiResult<Vec<DeckNode>> {
        self.decks_tagged(None, now)
    }

    /// The deck tree counting only the cards with `tag` (decks without
    /// such cards show zeros).
    pub fn decks_tagged(&self, tag: Option<&str>, now: DateTime<Utc>) -> ApiResult<Vec<DeckNode>> {
        let tag = tag.map(actions::parse_tag).transpose()?;
        let day = self.today(now)?;
        let today = day::format_day(day);
        let reader = self.collection.reader();
        let rows = reader.deck_counts_tagged(&today, tag.as_deref())?;
        let mut tree = dto::deck_tree(&rows);
        // What today's limits still allow, as the queue will give it.
        let limits = self.limits()?;
        let (new_done, answers_done) = reader.answered_today(day)?;
        let room = (limits.reviews_per_day - answers_done).max(0);
        let new_room = (limits.new_per_day - new_done).max(0);
        let by_deck = reader.answered_today_by_deck(&today)?;
        let options = reader.all_deck_options()?;
        allow(&mut tree, room, new_room, &by_deck, &options);
        let reading_room = (limits.reading_per_day - reader.read_today(day)?).max(0);
        allow_reading(&mut tree, reading_room);
        // Tomorrow's due count of each deck, as the deck list counts.
        if let Some(tomorrow) = day.succ_opt() {
            let later = dto::deck_tree(
                &reader.deck_counts_tagged(&day::format_day(tomorrow), tag.as_deref())?,
            );
            set_due_tomorrow(&mut tree, &later);
        }
        Ok(tree)
    }

    /// What the card doctor finds in every card, or in those of `deck` and
    /// its sub-decks. It only reports.
    pub fn doctor(&self, deck: Option<&str>) -> ApiResult<Vec<FindingDto>> {
        let deck = self.resolve_deck_opt(deck)?;
        let deck = deck.as_deref();
        let mut doctor = notedeck_core::doctor::Doctor::new();
        self.collection.reader().for_each_card(deck, &mut |card| {
            doctor.look_at(&card);
            Ok(())
        })?;
        Ok(self
            .undismissed(doctor)?
            .into_iter()
            .map(FindingDto::from)
            .collect())
    }

    /// Dismisses a finding of the card doctor (it stays dismissed), or
    /// brings it back.
    pub fn dismiss_finding(
        &mut self,
        request: &DismissRequest,
        now: DateTime<Utc>,
    ) -> ApiResult<DismissRequest> {
        notedeck_core::doctor::dismiss(
            &mut self.collection,
            &CardId::from(request.card_id.as_str()),
            request.rule.into(),
            request.dismissed,
            now,
        )?;
        Ok(request.clone())
    }

    /// Makes section cards reading cards (`reading`) or flashcards again
    /// (the doctor's "Review as reading"); the choice is kept across
    /// imports. Cards of other kinds are left as they are. Returns the
    /// cards whose kind changed.
    pub fn review_as_reading(
        &mut self,
        request: &ReadingRequest,
        now: DateTime<Utc>,
    ) -> ApiResult<ReadingDto> {
        if request.card_ids.len() > MAX_ACTION_CARDS {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("at most {MAX_ACTION_CARDS} cards at once: choose fewer"),
            ));
        }
        let rules = Settings::read(&self.collection)?.junk;
        let ids: Vec<CardId> = request
            .card_ids
            .iter()
            .map(|id| CardId::from(id.as_str()))
            .collect();
        let changed = notedeck_core::doctor::review_as_reading(
            &mut self.collection,
            &ids,
            request.reading,
            &rules,
            now,
        )?
        .into_iter()
        .map(|id| id.0)
        .collect();
        Ok(ReadingDto { changed })
    }

    /// Every card, or those of `deck` and its sub-decks.
    pub fn cards(&self, deck: Option<&str>, now: DateTime<Utc>) -> ApiResult<Vec<CardDto>> {
        let deck = self.resolve_deck_opt(deck)?;
        let deck = deck.as_deref();
        let rows = self.collection.reader().cards(deck)?;
        self.card_dtos(rows, now)
    }

    /// Cards as DTOs, with their retrievability today under FSRS.
    fn card_dtos(
        &self,
        rows: Vec<notedeck_core::storage::CardRow>,
        now: DateTime<Utc>,
    ) -> ApiResult<Vec<CardDto>> {
        let today = self.today(now)?;
        let (_, scheduler) = self.collection.reader().current_scheduler()?;
        Ok(rows
            .into_iter()
            .map(|row| CardDto::under(row, &scheduler, today))
            .collect())
    }

    /// Cards matching `search` (the card browser's query language), in
    /// note order, optionally within `deck`; found under [`SEARCH_BUDGET`].
    pub fn cards_matching(
        &mut self,
        deck: Option<&str>,
        search: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<Vec<CardDto>> {
        let deck = self.resolve_deck_opt(deck)?;
        let deck = deck.as_deref();
        let query = parse_query(search)?;
        let today = self.today(now)?;
        let (_, rows) = self.bounded(|collection| {
            collection.reader().search_cards(
                &query,
                deck,
                today,
                (SortKey::NoteOrder, false),
                i64::MAX,
                0,
            )
        })?;
        self.card_dtos(rows, now)
    }

    /// The ids of every card `search` finds (to act on a whole search):
    /// found under the search budget, before anything is written.
    pub fn search_ids(&mut self, search: &str, now: DateTime<Utc>) -> ApiResult<Vec<String>> {
        let query = parse_query(search)?;
        let today = self.today(now)?;
        let ids =
            self.bounded(|collection| collection.reader().search_card_ids(&query, None, today))?;
        Ok(ids.into_iter().map(|id| id.0).collect())
    }

    /// One page of the card browser, found (and counted) under
    /// [`SEARCH_BUDGET`].
    pub fn browse(
        &mut self,
        request: &BrowseRequest,
        now: DateTime<Utc>,
    ) -> ApiResult<BrowsePageDto> {
        let query = parse_query(request.search.as_deref().unwrap_or_default())?;
        let sort = request.sort.map_or(SortKey::NoteOrder, SortKey::from);
        let limit = request.limit.map_or(200, |c| c.0).clamp(1, MAX_PAGE_CARDS);
        let offset = request.offset.map_or(0, |c| c.0).min(i64::MAX as u64);
        let today = self.today(now)?;
        let descending = request.descending.is_some_and(|d| d.0);
        let (total, rows) = self.bounded(|collection| {
            collection.reader().search_cards(
                &query,
                None,
                today,
                (sort, descending),
                limit as i64,
                offset as i64,
            )
        })?;
        Ok(BrowsePageDto {
            total: total.max(0) as u64,
            offset,
            cards: rows.iter().map(CardSummaryDto::from).collect(),
        })
    }

    /// One card with its whole history from the log.
    pub fn card_detail(&self, card_id: &str, now: DateTime<Utc>) -> ApiResult<CardDetailDto> {
        let id = CardId::from(card_id);
        let today = self.today(now)?;
        let reader = self.collection.reader();
        let card = reader
            .card(&id)?
            .ok_or_else(|| notedeck_core::Error::CardNotFound(card_id.to_owned()))?;
        let (_, scheduler) = reader.current_scheduler()?;
        Ok(CardDetailDto {
            card: CardDto::under(card, &scheduler, today),
            reviews: reader
                .reviews_of_card(&id)?
                .into_iter()
                .map(ReviewDto::from)
                .collect(),
            actions: reader
                .actions_of_card(&id)?
                .into_iter()
                .map(ActionDto::from)
                .collect(),
        })
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
