//! Serialisable types shared with every shell and the UI. Field names are
//! part of the public contract (`cards --json`, the HTTP API): extend, never
//! rename.

use std::collections::BTreeMap;

use notedeck_core::import::{Counts, ImportReport, NoteReport, Progress, Skipped, Stage};
use notedeck_core::storage::{CardRow, DeckCounts};
use serde::{Deserialize, Serialize};

use crate::{DoctorRule, LeechAction, NewOrder, SchedulerName};
#[cfg(feature = "ts")]
use ts_rs::TS;

/// Options of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ImportRequest {
    /// Put the notes under this deck.
    pub deck: Option<String>,
    /// Report without writing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Card counts of an import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct CountsDto {
    /// New cards.
    pub added: u64,
    /// Cards whose content changed in place.
    pub updated: u64,
    /// Cards whose content did not change.
    pub unchanged: u64,
    /// Cards matched by content after a rename or move.
    pub moved: u64,
    /// Cards whose section left the note.
    pub retired: u64,
    /// Retired cards whose section came back.
    pub restored: u64,
    /// Sections or files that made no card.
    pub skipped: u64,
}

impl From<Counts> for CountsDto {
    fn from(c: Counts) -> CountsDto {
        CountsDto {
            added: c.added,
            updated: c.updated,
            unchanged: c.unchanged,
            moved: c.moved,
            retired: c.retired,
            restored: c.restored,
            skipped: c.skipped,
        }
    }
}

/// Something that made no card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct SkippedDto {
    /// The heading, for a section.
    pub heading: Option<String>,
    /// One-based line, for a section.
    pub line: Option<usize>,
    /// Why.
    pub reason: String,
}

impl From<Skipped> for SkippedDto {
    fn from(s: Skipped) -> SkippedDto {
        SkippedDto {
            heading: s.heading,
            line: s.line,
            reason: s.reason,
        }
    }
}

/// The import of one note file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct NoteReportDto {
    /// Absolute path.
    pub path: String,
    /// Deck of its cards.
    pub deck: Option<String>,
    /// `new`, `updated`, `unchanged`, `moved`, `skipped` or `missing`.
    pub status: String,
    /// Previous path of a moved note.
    pub moved_from: Option<String>,
    /// The deck its cards were in before, when this import moves them to
    /// another deck.
    #[serde(default)]
    pub deck_before: Option<String>,
    /// Card counts.
    #[serde(flatten)]
    pub counts: CountsDto,
    /// What made no card, and why.
    pub skipped_items: Vec<SkippedDto>,
    /// Problems that did not stop a card.
    pub warnings: Vec<String>,
    /// The cards added, updated, moved, retired or restored, by name (the
    /// first 25 of a note; the counts have them all).
    #[serde(default)]
    pub changes: Vec<CardChangeDto>,
}

/// One card an import changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct CardChangeDto {
    /// `added`, `updated`, `moved`, `retired` or `restored`.
    pub kind: String,
    /// The card.
    pub card_id: String,
    /// Its headings.
    pub heading: String,
    /// For a moved card: its headings before.
    pub from: Option<String>,
}

impl From<NoteReport> for NoteReportDto {
    fn from(n: NoteReport) -> NoteReportDto {
        NoteReportDto {
            path: n.path,
            deck: n.deck,
            status: n.status.as_str().to_owned(),
            moved_from: n.moved_from,
            deck_before: None,
            counts: n.counts.into(),
            skipped_items: n.skipped.into_iter().map(SkippedDto::from).collect(),
            warnings: n.warnings,
            changes: n
                .changes
                .into_iter()
                .map(|c| CardChangeDto {
                    kind: c.kind.to_owned(),
                    card_id: c.card_id,
                    heading: c.heading,
                    from: c.from,
                })
                .collect(),
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ImportReportDto {
    /// True when nothing was written.
    pub dry_run: bool,
    /// Sums over all notes.
    pub totals: CountsDto,
    /// One entry per note file.
    pub notes: Vec<NoteReportDto>,
    /// What the card doctor finds in the cards of the notes this import
    /// added or changed (not dismissed; see `notedeck doctor`); null for a
    /// dry run, or when the import wrote more than
    /// [`crate::DOCTOR_COUNT_CARDS`] cards (the doctor then runs on demand
    /// only, so a large import stays fast).
    #[serde(default)]
    pub doctor_findings: Option<u64>,
    /// What the learner should know before (or after) this import, in
    /// words: notes moving to another deck, say.
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl From<ImportReport> for ImportReportDto {
    fn from(r: ImportReport) -> ImportReportDto {
        ImportReportDto {
            dry_run: r.dry_run,
            totals: r.totals.into(),
            notes: r.notes.into_iter().map(NoteReportDto::from).collect(),
            doctor_findings: None,
            warnings: Vec::new(),
        }
    }
}

/// How far an import is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ImportProgressDto {
    /// Note files handled so far.
    pub done: usize,
    /// Note files in this import.
    pub total: usize,
    /// `reading` while files are read and written, then `saving`.
    pub phase: ImportPhase,
}

/// The stage an import is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "snake_case")]
pub enum ImportPhase {
    /// Reading, parsing and writing note files.
    Reading,
    /// Retiring what is gone and committing.
    Saving,
}

/// Lets through the import progress worth showing: the first, each phase
/// change, the last file, and otherwise at most one every 50 ms, so a
/// shell does not send one message per file.
#[derive(Debug, Default)]
pub struct ProgressGate {
    last: Option<(std::time::Instant, ImportPhase)>,
}

impl ProgressGate {
    /// Least time between two progress messages.
    pub const EVERY: std::time::Duration = std::time::Duration::from_millis(50);

    /// True when `progress` should be sent (and remembers that it was).
    pub fn admit(&mut self, progress: &ImportProgressDto) -> bool {
        let due = self.last.is_none_or(|(at, phase)| {
            phase != progress.phase
                || progress.done == progress.total
                || at.elapsed() >= Self::EVERY
        });
        if due {
            self.last = Some((std::time::Instant::now(), progress.phase));
        }
        due
    }
}

impl From<Progress> for ImportProgressDto {
    fn from(p: Progress) -> ImportProgressDto {
        ImportProgressDto {
            done: p.done,
            total: p.total,
            phase: match p.stage {
                Stage::Reading => ImportPhase::Reading,
                Stage::Saving => ImportPhase::Saving,
            },
        }
    }
}

/// A deck in the tree, with counts that include its sub-decks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct DeckNode {
    /// Full name, `Parent::Child`.
    pub name: String,
    /// Last part of the name.
    pub short_name: String,
    /// Cards not retired.
    pub total: i64,
    /// Cards never answered.
    pub new: i64,
    /// Answered cards due today or earlier.
    pub due: i64,
    /// Reading cards waiting (never read, or due again), counted apart
    /// from the flashcards above.
    pub reading: i64,
    /// Reading cards today's reading limit still allows.
    pub reading_today: i64,
    /// Flashcards due by tomorrow (with today's left undone).
    pub due_tomorrow: i64,
    /// New cards today's limits still allow (the rest wait for later days).
    pub new_today: i64,
    /// Due cards today's review limit still allows.
    pub due_today: i64,
    /// Sub-decks.
    pub children: Vec<DeckNode>,
}

/// Builds the deck tree from per-deck rows (sorted by name).
pub fn deck_tree(rows: &[DeckCounts]) -> Vec<DeckNode> {
    let mut children: BTreeMap<Option<i64>, Vec<&DeckCounts>> = BTreeMap::new();
    for row in rows {
        children.entry(row.parent_id).or_default().push(row);
    }
    fn build(
        parent: Option<i64>,
        children: &BTreeMap<Option<i64>, Vec<&DeckCounts>>,
    ) -> Vec<DeckNode> {
        children
            .get(&parent)
            .map(|rows| {
                rows.iter()
                    .map(|row| {
                        let kids = build(Some(row.id), children);
                        DeckNode {
                            short_name: row
                                .name
                                .rsplit("::")
                                .next()
                                .unwrap_or(&row.name)
                                .to_owned(),
                            name: row.name.clone(),
                            total: row.total + kids.iter().map(|k| k.total).sum::<i64>(),
                            new: row.new + kids.iter().map(|k| k.new).sum::<i64>(),
                            due: row.due + kids.iter().map(|k| k.due).sum::<i64>(),
                            reading: row.reading + kids.iter().map(|k| k.reading).sum::<i64>(),
                            reading_today: 0,
                            due_tomorrow: row.due_next_day
                                + kids.iter().map(|k| k.due_tomorrow).sum::<i64>(),
                            new_today: 0,
                            due_today: 0,
                            children: kids,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
    build(None, &children)
}

/// A card as every shell shows it (`cards --json`, `due --json`, the UI).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct CardDto {
    /// Stable id.
    pub id: String,
    /// Full deck name.
    pub deck: String,
    /// Absolute path of the source note.
    pub note: String,
    /// One-based line of the card's heading in the note.
    pub line: i64,
    /// Headings from the top of the note down to the card.
    pub heading_path: Vec<String>,
    /// `section`, `definition`, `basic`, `reversed`, `cloze` or `reading`.
    pub kind: String,
    /// Front: breadcrumb and heading, sanitised HTML.
    pub front_html: String,
    /// Back: the section body, sanitised HTML.
    pub back_html: String,
    /// Tags.
    pub tags: Vec<String>,
    /// `new`, `learning`, `review` or `retired`.
    pub state: String,
    /// SM-2 E-Factor.
    pub ease_factor: f64,
    /// Current interval in days.
    pub interval_days: i64,
    /// SM-2 repetitions.
    pub repetitions: i64,
    /// Times a learned card was forgotten.
    pub lapses: i64,
    /// Due day `YYYY-MM-DD`, or null for new cards.
    pub due: Option<String>,
    /// Put aside: out of every queue until unsuspended.
    pub suspended: bool,
    /// Buried: out of the queue before this day `YYYY-MM-DD` (null when not).
    pub buried_until: Option<String>,
    /// Failed too often (tagged `leech`).
    pub leech: bool,
    /// notedeck's own tags, kept in the collection (never in the note).
    pub user_tags: Vec<String>,
    /// FSRS's stability (days for recall to fall to 90 %); null under SM-2.
    pub stability: Option<f64>,
    /// FSRS's difficulty (1–10); null under SM-2.
    pub difficulty: Option<f64>,
    /// FSRS's probability of recalling the card today (0–1); null under
    /// SM-2 and for new cards.
    pub retrievability: Option<f64>,
}

/// An `f32` as the decimal it was written as (0.88, not 0.87999999…), for
/// JSON.
pub fn decimal(value: f32) -> f64 {
    value.to_string().parse().unwrap_or(f64::from(value))
}

impl CardDto {
    /// The card as `From` gives it, with its retrievability today when
    /// `scheduler` is FSRS.
    pub fn under(
        row: CardRow,
        scheduler: &notedeck_core::scheduler::Scheduler,
        today: chrono::NaiveDate,
    ) -> CardDto {
        let retrievability = scheduler
            .retrievability(&notedeck_core::storage::schedule_of_row(&row), today)
            .map(decimal);
        CardDto {
            retrievability,
            ..CardDto::from(row)
        }
    }
}

impl From<CardRow> for CardDto {
    fn from(c: CardRow) -> CardDto {
        let leech = c.is_leech();
        CardDto {
            id: c.id.0,
            deck: c.deck,
            note: c.note,
            line: c.line,
            heading_path: c.heading_path,
            kind: c.kind.as_str().to_owned(),
            front_html: c.front_html,
            back_html: c.back_html,
            tags: c.tags,
            state: c.state.as_str().to_owned(),
            ease_factor: c.ease_factor,
            interval_days: c.interval_days,
            repetitions: c.repetitions,
            lapses: c.lapses,
            due: c.due.map(notedeck_core::day::format_day),
            suspended: c.suspended,
            buried_until: c.buried_until.map(notedeck_core::day::format_day),
            leech,
            user_tags: c.user_tags,
            stability: c.memory.map(|m| decimal(m.stability)),
            difficulty: c.memory.map(|m| decimal(m.difficulty)),
            retrievability: None,
        }
    }
}

/// The collection's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct SettingsDto {
    /// New cards introduced per day.
    pub new_per_day: i64,
    /// First-of-day answers per day, new cards included.
    pub reviews_per_day: i64,
    /// Hour (0–23) at which a new learning day starts.
    pub rollover_hour: i64,
    /// Cards may load images from the web (off: only the collection's own
    /// media and embedded images are shown).
    pub remote_images: bool,
    /// Which kinds of section make no card (each on unless turned off).
    pub skip_rules: SkipRulesDto,
    /// Labels in prose (`Part 1:`, a bold line, a short line above a
    /// paragraph) start sections of their own (on unless turned off).
    pub implicit_headings: bool,
    /// Reading cards offered per day (default 5); 0 turns reading cards
    /// off (long sections are flashcards).
    pub reading_per_day: i64,
    /// Learning steps of new cards (`1m 10m`; empty: none, SM-2 alone).
    pub learning_steps: String,
    /// Relearning steps of lapsed cards (`10m`; empty: none).
    pub relearning_steps: String,
    /// Lapses from which a card is a leech (0: never).
    pub leech_threshold: i64,
    /// What happens to a leech: `suspend` (and tag) or only `tag`.
    pub leech_action: LeechAction,
    /// The scheduler in force: `sm2` (the default) or `fsrs`.
    pub scheduler: SchedulerName,
    /// FSRS's desired retention (0.70–0.97), kept under SM-2 too.
    pub desired_retention: f64,
    /// FSRS's 21 parameters (the published defaults until `optimize`).
    pub fsrs_parameters: Vec<f64>,
    /// When `optimize` last fitted the parameters (null: the defaults).
    pub fsrs_fitted_at: Option<String>,
}

/// The junk-section rules: true skips such sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct SkipRulesDto {
    /// Sections holding only `#tags`.
    pub only_tags: bool,
    /// Sections holding only links (reading lists).
    pub only_links: bool,
    /// Sections holding only tasks (to-do lists).
    pub only_tasks: bool,
    /// Sections left empty after unsafe HTML was removed.
    pub empty: bool,
    /// Sections whose only content is media that is not there.
    pub only_missing_media: bool,
    /// Whole notes that are mostly links (index, map-of-content pages).
    pub link_pages: bool,
}

impl From<notedeck_core::markdown::junk::JunkRules> for SkipRulesDto {
    fn from(r: notedeck_core::markdown::junk::JunkRules) -> SkipRulesDto {
        SkipRulesDto {
            only_tags: r.only_tags,
            only_links: r.only_links,
            only_tasks: r.only_tasks,
            empty: r.empty,
            only_missing_media: r.only_missing_media,
            link_pages: r.link_pages,
        }
    }
}

impl From<SkipRulesDto> for notedeck_core::markdown::junk::JunkRules {
    fn from(r: SkipRulesDto) -> notedeck_core::markdown::junk::JunkRules {
        notedeck_core::markdown::junk::JunkRules {
            only_tags: r.only_tags,
            only_links: r.only_links,
            only_tasks: r.only_tasks,
            empty: r.empty,
            only_missing_media: r.only_missing_media,
            link_pages: r.link_pages,
            implicit_headings: true,
            reading_cards: true,
        }
    }
}

/// A card as one row of the card browser: what the list shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct CardSummaryDto {
    /// Stable id.
    pub id: String,
    /// Full deck name.
    pub deck: String,
    /// The card's own heading (or its deck's last part).
    pub heading: String,
    /// The front as plain text, without the breadcrumb (at most 200 characters).
    pub front_text: String,
    /// `section`, `definition`, `basic`, `reversed`, `cloze` or `reading`.
    pub kind: String,
    /// `new`, `learning`, `review` or `retired`.
    pub state: String,
    /// Due day, or null for a new card.
    pub due: Option<String>,
    /// Current interval in days.
    pub interval_days: i64,
    /// SM-2 E-Factor.
    pub ease_factor: f64,
    /// Times forgotten.
    pub lapses: i64,
    /// Suspended.
    pub suspended: bool,
    /// Buried until this day, if still to come.
    pub buried_until: Option<String>,
    /// Tagged `leech`.
    pub leech: bool,
    /// Note tags and notedeck tags.
    pub tags: Vec<String>,
}

/// The longest front text of a browser row, in characters.
pub const SUMMARY_FRONT_CHARS: usize = 200;

impl From<&CardRow> for CardSummaryDto {
    fn from(c: &CardRow) -> CardSummaryDto {
        let text = notedeck_core::markdown::plain::text_of(
            notedeck_core::markdown::plain::without_breadcrumb(&c.front_html),
        )
        .replace('\n', " ");
        let front_text = match text.char_indices().nth(SUMMARY_FRONT_CHARS) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text,
        };
        CardSummaryDto {
            id: c.id.0.clone(),
            deck: c.deck.clone(),
            heading: c
                .heading_path
                .last()
                .cloned()
                .unwrap_or_else(|| c.deck.rsplit("::").next().unwrap_or_default().to_owned()),
            front_text,
            kind: c.kind.as_str().to_owned(),
            state: c.state.as_str().to_owned(),
            due: c.due.map(notedeck_core::day::format_day),
            interval_days: c.interval_days,
            ease_factor: c.ease_factor,
            lapses: c.lapses,
            suspended: c.suspended,
            buried_until: c.buried_until.map(notedeck_core::day::format_day),
            leech: c.is_leech(),
            tags: c.tags.iter().chain(&c.user_tags).cloned().collect(),
        }
    }
}

/// One page of the card browser's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct BrowsePageDto {
    /// Cards matching the search, in all.
    pub total: u64,
    /// The position of the first card of this page.
    pub offset: u64,
    /// The page's cards.
    pub cards: Vec<CardSummaryDto>,
}

/// A card with its whole history, for the browser's detail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct CardDetailDto {
    /// The card, as `cards --json` shows it.
    pub card: CardDto,
    /// Its answers from the log, oldest first.
    pub reviews: Vec<ReviewDto>,
    /// What was done to it (suspend, bury, forget, tag), oldest first.
    pub actions: Vec<ActionDto>,
}

/// One thing the card doctor found (see `notedeck_core::doctor`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct FindingDto {
    /// The card.
    pub card_id: String,
    /// The note file.
    pub note: String,
    /// The card's line in the note.
    pub line: i64,
    /// The card's front as plain text (at most 120 characters).
    pub front: String,
    /// The rule that found it.
    pub rule: DoctorRule,
    /// What was measured.
    pub value: f64,
    /// The rule's threshold, in the same unit.
    pub threshold: f64,
    /// What to do about it.
    pub fix: String,
}

impl From<notedeck_core::doctor::Finding> for FindingDto {
    fn from(f: notedeck_core::doctor::Finding) -> FindingDto {
        FindingDto {
            card_id: f.card_id,
            note: f.note,
            line: f.line,
            front: f.front,
            rule: f.rule.into(),
            value: f.value,
            threshold: f.threshold,
            fix: f.fix,
        }
    }
}

/// A part of the card doctor's findings (`doctor_page`), with how many
/// there are in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct DoctorPageDto {
    /// Every rule with findings, and how many (not dismissed), in the
    /// doctor's order of rules.
    pub rules: Vec<RuleFindingsDto>,
    /// Cards with at least one finding.
    pub cards: u64,
    /// The first findings of each rule (or of the rule asked for), by note
    /// and line.
    pub findings: Vec<FindingDto>,
}

/// How many findings one rule of the card doctor has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct RuleFindingsDto {
    /// The rule.
    pub rule: DoctorRule,
    /// Its findings.
    pub findings: u64,
}

/// A change to some settings; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct SettingsUpdate {
    /// New cards introduced per day.
    pub new_per_day: Option<i64>,
    /// First-of-day answers per day.
    pub reviews_per_day: Option<i64>,
    /// Hour at which a new learning day starts.
    pub rollover_hour: Option<i64>,
    /// Whether cards may load images from the web.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub remote_images: Option<bool>,
    /// Whether labels in prose start sections (the next import applies it).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub implicit_headings: Option<bool>,
    /// Reading cards offered per day, 0–1000 (0 turns reading cards off;
    /// turning them on or off applies at the next import).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub reading_per_day: Option<i64>,
    /// Learning steps of new cards (`1m 10m`; empty: none).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub learning_steps: Option<String>,
    /// Relearning steps of lapsed cards (`10m`; empty: none).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub relearning_steps: Option<String>,
    /// The junk-section rules, all of them (the next import applies them).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub skip_rules: Option<SkipRulesDto>,
    /// Lapses from which a card is a leech (0: never).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub leech_threshold: Option<i64>,
    /// What happens to a leech.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub leech_action: Option<LeechAction>,
    /// `sm2` or `fsrs`: a switch replays the review log under the new
    /// scheduler (switching back gives exactly the states of before).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub scheduler: Option<SchedulerName>,
    /// FSRS's desired retention, 0.70–0.97.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub desired_retention: Option<f32>,
}

/// A card in today's queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct QueueCardDto {
    /// The card, with every field of `cards --json`.
    #[serde(flatten)]
    pub card: CardDto,
    /// Why it is queued: `due`, `new`, `repeat` or `learning` (in its
    /// learning steps).
    pub queue: String,
    /// Interval in days that Again, Hard, Good and Easy would give.
    pub intervals: [u32; 4],
    /// Seconds until Again, Hard, Good and Easy would show the card again
    /// within its learning steps (null: the interval in days applies; all
    /// null without learning steps).
    pub step_seconds: [Option<u32>; 4],
}

/// One answer from the review log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ReviewDto {
    /// Globally unique id (UUIDv7).
    pub id: String,
    /// Card answered.
    pub card_id: String,
    /// UTC time, RFC 3339.
    pub answered_at: String,
    /// Learner's day, `YYYY-MM-DD`.
    pub day: String,
    /// Grade 0–5.
    pub grade: u8,
    /// `learn`, `review`, `relearn` or `repeat`.
    pub kind: String,
    /// State before the answer.
    pub before: ScheduleDto,
    /// State after the answer.
    pub after: ScheduleDto,
    /// Time taken, when known.
    pub duration_ms: Option<i64>,
}

/// An SM-2 state in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ScheduleDto {
    /// Repetitions `n`.
    pub repetitions: u32,
    /// E-Factor in hundredths (250 = 2.5), exact.
    pub ease_hundredths: u32,
    /// Interval in days.
    pub interval_days: u32,
    /// Due day, or null for a new card.
    pub due: Option<String>,
    /// Lapses.
    pub lapses: u32,
}

impl From<notedeck_core::scheduler::Schedule> for ScheduleDto {
    fn from(s: notedeck_core::scheduler::Schedule) -> ScheduleDto {
        ScheduleDto {
            repetitions: s.repetitions,
            ease_hundredths: s.ease.0,
            interval_days: s.interval_days,
            due: s.due.map(notedeck_core::day::format_day),
            lapses: s.lapses,
        }
    }
}

impl From<notedeck_core::storage::ReviewRow> for ReviewDto {
    fn from(r: notedeck_core::storage::ReviewRow) -> ReviewDto {
        ReviewDto {
            id: r.id,
            card_id: r.card_id.0,
            answered_at: r.answered_at,
            day: notedeck_core::day::format_day(r.day),
            grade: r.grade,
            kind: r.kind.as_str().to_owned(),
            before: r.before.into(),
            after: r.after.into(),
            duration_ms: r.duration_ms,
        }
    }
}

/// An answer and the card as it is now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct AnswerDto {
    /// The log row.
    pub review: ReviewDto,
    /// The card after the answer.
    pub card: CardDto,
    /// True when this answer made the card a leech (tagged `leech`, and
    /// suspended unless the leech action is `tag`).
    #[serde(default)]
    pub became_leech: bool,
    /// True when this answer had arrived before (sent again after its reply
    /// was lost): nothing was recorded now, and `review` is the earlier one.
    #[serde(default)]
    pub again: bool,
}

/// What an undo took back, and the card to show again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct UndoDto {
    /// The answer taken back, or null when actions were.
    pub review: Option<ReviewDto>,
    /// The card as it is now (the answered card, or the first acted on).
    pub card: CardDto,
    /// The actions taken back (with an answer: a leech's tag and suspension).
    pub actions: Vec<ActionDto>,
    /// The card taken out of its note (`extract` undone; `line` is 0), if
    /// that was what undo took back.
    pub unwritten: Option<ExtractedDto>,
}

/// What the next undo would take back (`undo_preview`), to ask first when
/// it is not the learner's own step of today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct UndoStepDto {
    /// The step's id: pass it as `undo`'s `expected`.
    pub id: String,
    /// `answer`, `actions` or `extraction`.
    pub what: String,
    /// The answered card, the first acted on, or the card a new card was
    /// made on.
    pub card_id: String,
    /// That card's heading.
    pub heading: String,
    /// Cards the step changes.
    pub cards: i64,
    /// The learner's day it was done on, `YYYY-MM-DD`.
    pub day: String,
    /// When, UTC RFC 3339.
    pub at: String,
    /// True when it was done today.
    pub today: bool,
    /// One line naming the card and when (`Good on “Tides”, answered
    /// yesterday (2026-03-01 09:14 UTC)`).
    pub description: String,
}

/// A card written into its note from a selection (`extract`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ExtractedDto {
    /// The new card's id.
    pub card_id: String,
    /// The note written into (absolute path).
    pub note: String,
    /// The new card's line (1-based) in the note.
    pub line: i64,
    /// The write's id, which `undo_preview` shows while it is the newest
    /// step.
    pub undo_id: String,
}

/// One action on a card, from the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ActionDto {
    /// Globally unique id (UUIDv7).
    pub id: String,
    /// The card acted on.
    pub card_id: String,
    /// UTC time, RFC 3339.
    pub acted_at: String,
    /// Learner's day, `YYYY-MM-DD`.
    pub day: String,
    /// `suspend`, `unsuspend`, `bury`, `unbury`, `forget`, `tag` or `untag`.
    pub action: String,
    /// The tag of a tag action.
    pub tag: Option<String>,
    /// The day a bury lasts until.
    pub buried_until: Option<String>,
}

impl From<notedeck_core::storage::ActionRow> for ActionDto {
    fn from(a: notedeck_core::storage::ActionRow) -> ActionDto {
        ActionDto {
            id: a.id,
            card_id: a.card_id.0,
            acted_at: a.acted_at,
            day: notedeck_core::day::format_day(a.day),
            action: a.action.as_str().to_owned(),
            tag: a.action.tag().map(str::to_owned),
            buried_until: a.action.buried_until().map(notedeck_core::day::format_day),
        }
    }
}

/// A deck's options: its own (null: inherited) and those in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct DeckOptionsDto {
    /// The deck.
    pub deck: String,
    /// Set on this deck (null fields are inherited).
    pub own: DeckOptionValues,
    /// In force: the deck's own, its parents', then the collection's.
    pub effective: DeckOptionValues,
}

/// The values of a deck's options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct DeckOptionValues {
    /// New cards introduced per day.
    pub new_per_day: Option<i64>,
    /// First-of-day answers per day.
    pub reviews_per_day: Option<i64>,
    /// Note order or random.
    pub new_order: Option<NewOrder>,
    /// The longest interval, in days (null: none).
    pub max_interval: Option<i64>,
    /// Siblings (the cards of one `:::` pair or cloze paragraph) are not
    /// shown on the same day (on by default).
    pub bury_siblings: Option<bool>,
    /// Learning steps of new cards (`1m 10m`; empty: none).
    pub learning_steps: Option<String>,
    /// Relearning steps of lapsed cards.
    pub relearning_steps: Option<String>,
}

impl From<notedeck_core::storage::DeckOptions> for DeckOptionValues {
    fn from(o: notedeck_core::storage::DeckOptions) -> DeckOptionValues {
        DeckOptionValues {
            new_per_day: o.new_per_day,
            reviews_per_day: o.reviews_per_day,
            new_order: o.new_order.as_deref().and_then(NewOrder::parse),
            max_interval: o.max_interval,
            bury_siblings: o.bury_siblings,
            learning_steps: o.learning_steps,
            relearning_steps: o.relearning_steps,
        }
    }
}

/// A note shown read-only where it cannot be opened (a phone): its whole
/// text rendered, and its cards in note order as last imported (each
/// already sanitised card HTML), shown when the text cannot be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct NoteViewDto {
    /// The note's path, as the collection has it.
    pub path: String,
    /// The note's file name.
    pub file_name: String,
    /// Its cards (at most [`crate::NOTE_VIEW_MAX_CARDS`], and at most
    /// [`crate::NOTE_VIEW_MAX_BYTES`] of HTML), in note order.
    pub cards: Vec<NoteCardDto>,
    /// Cards of the note left out for those limits.
    pub left_out: usize,
    /// The note's whole text, read from disk now and rendered (sanitised
    /// as cards are); null when it cannot be (then `cards` are shown).
    pub html: Option<String>,
    /// Why `html` is null, in a line to show.
    pub no_html: Option<String>,
}

/// One card of a [`NoteViewDto`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct NoteCardDto {
    /// The card's id.
    pub id: String,
    /// `section`, `reading`, `cloze`, …
    pub kind: String,
    /// Its line in the note (1-based).
    pub line: i64,
    /// The headings above it, the note's title first.
    pub heading_path: Vec<String>,
    /// Its front, as the review shows it.
    pub front_html: String,
    /// Its back.
    pub back_html: String,
}

/// A new pairing code offered by `notedeck serve --lan` (asked for on the
/// computer that holds the collection): the URL a phone opens once, within
/// `minutes`, and its QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct PairingDto {
    /// The URL that pairs a phone, at the best home-network address.
    pub url: String,
    /// The network interface that address is on (`wlan0`, say).
    pub interface: String,
    /// The same code at the machine's other addresses (VPN, bridges).
    pub other_urls: Vec<String>,
    /// Minutes the code may be used in (once).
    pub minutes: u32,
    /// The QR code of `url` as an SVG document (made by notedeck).
    pub qr_svg: String,
}

/// How a note was opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct OpenedDto {
    /// `obsidian` (the note is in an Obsidian vault) or `default` (the
    /// system's program for the file).
    pub how: String,
    /// What was opened: Obsidian's link or the file's path.
    pub target: String,
}

/// What an action on a selection of cards did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ActDto {
    /// The action.
    pub action: String,
    /// Cards it changed.
    pub changed: u64,
    /// Cards it left as they were (already suspended, say).
    pub unchanged: u64,
    /// The batch's id, which `undo_preview` shows while it is the newest
    /// step (null when nothing changed).
    pub undo_id: Option<String>,
}

/// What `check` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct CheckDto {
    /// True when nothing is wrong.
    pub ok: bool,
    /// Answers replayed.
    pub reviews: i64,
    /// Actions (suspend, bury, forget, tag) replayed.
    pub actions: i64,
    /// Cards compared.
    pub cards: i64,
    /// One line per problem.
    pub problems: Vec<String>,
}

/// Where sync stands (`notedeck sync --status --json`, Settings → Sync).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct SyncStatusDto {
    /// The folder the user's sync carries, when sync is on.
    pub folder: Option<String>,
    /// This device's id, once sync has been set up.
    pub device_id: Option<String>,
    /// This device's name (the computer's).
    pub device_name: String,
    /// The other devices.
    pub devices: Vec<SyncDeviceDto>,
}

/// Another device syncing through the same folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct SyncDeviceDto {
    /// Its id (its folder's name in `notedeck-sync/`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// When its newest record merged here happened (UTC, RFC 3339).
    pub last_record_at: Option<String>,
    /// Its records merged here.
    pub records: i64,
    /// Its lines skipped here (damaged, changed, from a newer notedeck).
    pub skipped: i64,
    /// Why lines were skipped, one per file that has one.
    pub problems: Vec<String>,
    /// Its files a sync tool made as conflicting copies (read like any).
    pub conflict_copies: Vec<String>,
    /// Its records waiting to be merged here.
    pub waiting: i64,
    /// Why the newest of them waits.
    pub waiting_reason: Option<String>,
}

/// What one sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct SyncReportDto {
    /// Records this device wrote to its files.
    pub written: usize,
    /// Records of other devices merged here.
    pub merged: usize,
    /// Records waiting to be merged.
    pub waiting: usize,
    /// Lines of other devices' files skipped.
    pub skipped: usize,
}

/// What bringing in an Anki package did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct AnkiImportDto {
    /// The package's format: `current` (Anki 2.1.50 and later, zstd) or
    /// `legacy` (schema 11).
    pub format: String,
    /// The folder the notes were written into.
    pub into: String,
    /// Notes in the package.
    pub notes: usize,
    /// Cards in the package.
    pub cards: usize,
    /// Review-log entries in the package.
    pub reviews: usize,
    /// Media files copied into the folder's `media/`.
    pub media_copied: usize,
    /// Media files already there, the same.
    pub media_present: usize,
    /// Media the notes name that the package lacks.
    pub media_missing: Vec<String>,
    /// Media left out, each with why.
    pub media_skipped: Vec<String>,
    /// Each note type and how its notes were written.
    pub notetypes: Vec<AnkiNoteTypeDto>,
    /// The note files, one per deck.
    pub files: Vec<AnkiFileDto>,
    /// Notes left out, each with why.
    pub skipped: Vec<String>,
    /// The import of the written notes (none in a dry run).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub import: Option<ImportReportDto>,
    /// Anki's schedules and review log brought to the cards (none in a
    /// dry run).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub progress: Option<AnkiProgressDto>,
}

/// What writing an Anki package did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct AnkiExportDto {
    /// The package written.
    pub out: String,
    /// Anki notes written (a reversed pair is one note).
    pub notes: usize,
    /// Cards written.
    pub cards: usize,
    /// Review-log entries written (with progress).
    pub reviews: usize,
    /// Media files included.
    pub media: usize,
    /// Media the cards name that the media folder lacks.
    pub media_missing: Vec<String>,
}

/// Anki's progress brought to the cards its notes made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct AnkiProgressDto {
    /// Cards whose schedule and answers were brought in.
    pub cards: usize,
    /// Answers added to the log (imported: the replay starts from them).
    pub answers: usize,
    /// Answers already in the log from an earlier import.
    pub already: usize,
    /// Cards suspended, buried or flagged as in Anki.
    pub marked: usize,
    /// Cards with a schedule in Anki but no answer to carry it (a due
    /// date set by hand on a new card): they start new.
    pub without_answers: usize,
    /// Anki cards that found no card here, each with why.
    pub unmatched: Vec<String>,
}

/// A note type of an Anki package and how its notes were written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct AnkiNoteTypeDto {
    /// Its name in Anki.
    pub name: String,
    /// How its notes were written (`basic`, `reversed`,
    /// `optional_reversed`, `cloze`, `fields`).
    pub mapped_as: String,
    /// What that means, in words.
    pub mapping: String,
    /// Its notes.
    pub notes: usize,
}

/// One note file written from an Anki deck.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct AnkiFileDto {
    /// Its path under the folder.
    pub path: String,
    /// The Anki deck.
    pub deck: String,
    /// The Anki notes in it.
    pub notes: usize,
    /// `written`, `unchanged`, `updated` (notedeck wrote it before and it
    /// was not edited since) or `kept` (edited since: left as it is).
    pub outcome: String,
}

/// A device paired with `serve --lan`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct DeviceDto {
    /// Its id (`notedeck devices --forget ID`).
    pub id: String,
    /// Its name, from its browser.
    pub name: String,
    /// When it was paired (UTC, RFC 3339).
    pub paired_at: String,
    /// When it last made a request (UTC, RFC 3339).
    pub last_seen: String,
}

impl From<notedeck_core::storage::DeviceRow> for DeviceDto {
    fn from(d: notedeck_core::storage::DeviceRow) -> DeviceDto {
        DeviceDto {
            id: d.id,
            name: d.name,
            paired_at: d.paired_at,
            last_seen: d.last_seen,
        }
    }
}

/// A backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct BackupDto {
    /// Path of the file.
    pub path: String,
    /// Day of a daily backup.
    pub day: Option<String>,
    /// Size in bytes.
    pub size: u64,
}

impl From<notedeck_core::backup::Backup> for BackupDto {
    fn from(b: notedeck_core::backup::Backup) -> BackupDto {
        BackupDto {
            path: b.path.to_string_lossy().into_owned(),
            day: b.day.map(notedeck_core::day::format_day),
            size: b.size,
        }
    }
}

/// A finished restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct RestoreDto {
    /// The backup put back.
    pub restored: String,
    /// Where the state before the restore was saved.
    pub previous_state_saved_to: String,
}

/// What was done today and what comes tomorrow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct DaySummaryDto {
    /// The learner's day.
    pub day: String,
    /// Answers given today.
    pub answers: i64,
    /// Distinct cards answered today.
    pub cards: i64,
    /// Answers below 3.
    pub again: i64,
    /// Time spent answering, when measured.
    pub time_ms: i64,
    /// Cards due tomorrow (in the deck and its sub-decks when one is
    /// given; flashcards, new ones not counted).
    pub due_tomorrow: i64,
    /// New cards today's limits hold back for later days.
    pub new_waiting: i64,
    /// Due cards today's limits hold back.
    pub due_waiting: i64,
    /// Reading cards the daily reading limit holds back.
    pub reading_waiting: i64,
    /// What holds cards back and by which limit, in words (null: nothing
    /// is held back).
    pub held_back: Option<String>,
}

/// What choosing a scheduler did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct SwitchedDto {
    /// The scheduler now in force.
    pub scheduler: SchedulerName,
    /// True when the review log was replayed under it (a switch).
    pub rebuilt: bool,
    /// False when the setting was already in force.
    pub changed: bool,
    /// Answers replayed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub answers_replayed: i64,
    /// Cards whose schedule changed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub cards_rescheduled: i64,
}

/// What `optimize` fitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct OptimizedDto {
    /// The 21 fitted parameters, now FSRS's.
    pub parameters: Vec<f64>,
    /// Answers fitted on (first answers of a day after a gap).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub reviews_used: i64,
    /// True when FSRS is in force: the parameters apply to the answers
    /// from now on (under SM-2 they wait until FSRS is chosen).
    pub applied: bool,
}

/// How well one scheduler predicted the learner's later answers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ScoreDto {
    /// Mean log loss (lower is better).
    pub log_loss: f64,
    /// RMSE over the open benchmark's bins (lower is better).
    pub rmse_bins: f64,
    /// Answers tested.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub reviews_tested: i64,
    /// Answers its parameters were fitted on (0: none were fitted).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub reviews_trained: i64,
}

impl ScoreDto {
    /// A core score, fitted on `trained` answers.
    pub fn of(s: notedeck_core::optimize::Score, trained: usize) -> ScoreDto {
        ScoreDto {
            log_loss: s.log_loss,
            rmse_bins: s.rmse_bins,
            reviews_tested: s.tested as i64,
            reviews_trained: trained as i64,
        }
    }
}

/// `scheduler evaluate`: one entry per scheduler variant, scored on the
/// later 20 % of the learner's answers (FSRS fitted on the earlier 80 %).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct EvaluationDto {
    /// SM-2 (recall taken as 90 % after its interval).
    pub sm2: ScoreDto,
    /// FSRS with the published default parameters.
    pub fsrs_default: ScoreDto,
    /// FSRS with parameters fitted on the earlier answers.
    pub fsrs_fitted: ScoreDto,
}

/// What one desired retention is expected to bring (`simulate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct ProjectionDto {
    /// The desired retention simulated.
    pub desired_retention: f64,
    /// Mean reviews a day, new cards included.
    pub reviews_per_day: f64,
    /// Reviews over the whole span.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total_reviews: u64,
    /// Mean minutes of reviewing a day.
    pub minutes_per_day: f64,
    /// Cards you would recall on the last day if tested on all of them.
    pub remembered_at_end: f64,
    /// Cards simulated (the collection's active cards).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub cards: u64,
}
