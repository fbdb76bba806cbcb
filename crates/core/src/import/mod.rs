//! Importing notes: files → parsed cards → one atomic write to the collection.
//!
//! The data path, one function per step:
//! 1. `plan_files`: find the note files of every import path and decide,
//!    from size and modification time, which may have changed; those are
//!    not even read.
//! 2. `spawn_readers`: reader threads (one per core) read, hash (an
//!    unchanged hash skips parsing), decode and parse the rest, a few
//!    files ahead of the writer (pure: they never touch the collection).
//! 3. In one transaction: `record_sources`; `write_files` takes the
//!    files back in order and `write_note` matches each note's cards to
//!    the stored ones (see [`identity`]), inserts, updates and retires;
//!    `retire_missing_notes` retires what is gone; then the media are
//!    copied and the transaction commits. A failure or a kill before the
//!    commit leaves the collection as it was.

mod deck;
pub mod embeds;
pub mod files;
pub mod identity;
pub mod media;
pub mod report;

#[cfg(test)]
mod amplification_proptests;
#[cfg(test)]
mod proptests;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::markdown::{self, ParsedNote, PARSER_VERSION};
use crate::model::{CardId, CardKind, DECK_SEPARATOR};
use crate::storage::{CardInserts, CardWrite, Collection, NoteRow, NoteWrite, StoredCard, Tx};
use crate::sync::places;
use crate::text::{self, NotText, SourceEncoding};
use crate::{Error, Result};
use deck::DeckRule;
use files::NoteFile;
use identity::Outcome;
use media::{MediaFile, MediaResolver, Resolved};
pub use report::{
    CardChange, Counts, ImportReport, NoteReport, NoteStatus, Skipped, MAX_LISTED_CHANGES,
};

/// Files larger than this are skipped unless the options say otherwise.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// How an import runs.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Put the notes under this deck instead of their own names.
    pub deck: Option<String>,
    /// Do everything but write: the report says what would change.
    pub dry_run: bool,
    /// Skip files larger than this many bytes.
    pub max_file_bytes: u64,
    /// Which sections make no card.
    pub junk: markdown::junk::JunkRules,
}

/// What is stored as a note's parser version: the parser's own version
/// and the junk rules in force, so a change of either parses every note
/// again.
fn parser_stamp(junk: &markdown::junk::JunkRules) -> i64 {
    PARSER_VERSION * 1000 + junk.mask()
}

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions {
            deck: None,
            dry_run: false,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            junk: markdown::junk::JunkRules::default(),
        }
    }
}

/// Import progress, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Files handled so far.
    pub done: usize,
    /// Files in this import.
    pub total: usize,
    /// What the import is doing.
    pub stage: Stage,
}

impl Progress {
    fn reading(done: usize, total: usize) -> Progress {
        Progress {
            done,
            total,
            stage: Stage::Reading,
        }
    }
}

/// The stages of an import a progress bar shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading, parsing and writing notes file by file.
    Reading,
    /// Retiring what is gone and committing.
    Saving,
}

/// Files parsed ahead of the writer by each reader; bounds the memory an
/// import holds.
const READ_AHEAD: usize = 16;

/// Reader threads at most (one per core below that).
const MAX_READERS: usize = 4;

/// One path to import, as planned.
struct Target {
    path: PathBuf,
    is_dir: bool,
    deck: Option<String>,
    files: Vec<NoteFile>,
    /// Folders that could not be read.
    errors: Vec<(PathBuf, String)>,
    /// True when this re-imported source no longer exists.
    gone: bool,
}

impl Target {
    /// The vault this target belongs to (see [`files::vault_root`]).
    fn vault_root(&self) -> Option<PathBuf> {
        let start = if self.is_dir {
            Some(self.path.as_path())
        } else {
            self.path.parent()
        };
        start.map(files::vault_root)
    }
}

/// What the cheap first look decided for one file.
enum Plan {
    /// Decided without reading the file.
    Ready(Work),
    /// The file must be read (and maybe parsed).
    Job(Box<ReadJob>),
}

/// A file to read, with what the plan already knows about it.
struct ReadJob {
    path: PathBuf,
    rule: DeckRule,
    size: i64,
    mtime: i64,
    existing: Option<NoteRow>,
    /// The stored note may be reused when its content hash matches.
    reusable: bool,
    /// The size limit, enforced while reading.
    max_bytes: u64,
    /// Which sections make no card.
    junk: markdown::junk::JunkRules,
    /// The note is part of a Dendron vault.
    dendron: bool,
}

/// What reading decided for one file.
enum Work {
    Skip(String),
    Unchanged { note_id: i64, mtime: Option<i64> },
    Parse(Box<ParsedFile>),
}

struct ParsedFile {
    parsed: ParsedNote,
    /// The parser stamp to store with the note.
    stamp: i64,
    deck: String,
    rule: DeckRule,
    size: i64,
    mtime: i64,
    hash: String,
    existing: Option<NoteRow>,
    media: Vec<MediaFile>,
    warnings: Vec<String>,
    /// What the writer needs of each card that the reader can work out.
    prepared: PreparedCards,
}

/// What each parsed card's row needs that comes from the note alone,
/// worked out on the reader thread so the writer only writes.
struct PreparedCards {
    /// The note's path within its vault (new card ids come from it).
    id_path: String,
    /// Each card's matching key (see [`identity::match_keys`]).
    keys: Vec<String>,
    /// Each card's front with its breadcrumb.
    fronts: Vec<String>,
    /// Each card's id at its first try (see [`card_id_for`]).
    first_ids: Vec<CardId>,
}

impl PreparedCards {
    fn of(parsed: &ParsedNote, deck: &str, id_path: String) -> PreparedCards {
        let keys = identity::match_keys(&parsed.cards);
        let first_ids = keys
            .iter()
            .map(|key| card_id_for(&id_path, key, 0))
            .collect();
        let crumbs = DeckCrumbs::of(deck);
        PreparedCards {
            fronts: parsed.cards.iter().map(|card| crumbs.front(card)).collect(),
            keys,
            first_ids,
            id_path,
        }
    }
}

/// Imports `paths` (or, when empty, every path imported before) into the
/// collection. `now` stamps the rows; `progress` is called as files are read.
///
/// The steps: `plan_files` (stat only), then in one transaction
/// `record_sources`, `write_files` (fed by `spawn_readers`),
/// `retire_missing_notes`, and the commit with the media copied.
pub fn import(
    collection: &mut Collection,
    paths: &[PathBuf],
    options: &ImportOptions,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportReport> {
    let targets = plan_targets(collection, paths, options)?;
    let now_text = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let report = ImportReport {
        dry_run: options.dry_run,
        ..ImportReport::default()
    };
    let plan = plan_files(collection, &targets, options)?;
    // A big first import writes each page once (see
    // `Collection::begin_bulk_write`).
    let bulk = !options.dry_run
        && plan.jobs.len() >= BULK_FILES
        && collection.reader().last_note_id()? == 0
        && collection.begin_bulk_write()?;
    let written = write_plan(
        collection, &targets, plan, options, now_text, report, progress,
    );
    if bulk {
        collection.end_bulk_write()?;
    }
    written
}

/// Files read at which the first import into a collection (one without
/// notes) counts as big: it leaves WAL for a rollback journal while it
/// writes, when nobody else has the collection open, and so writes each
/// new page once instead of into the WAL and again at the checkpoint.
/// Someone opening the collection meanwhile waits for it; later imports
/// change pages others may be reading and always go through the WAL.
pub const BULK_FILES: usize = 256;

/// The import's one transaction over the planned files: reads and writes
/// them, retires what is gone, copies the media and commits (not with
/// `dry_run`).
fn write_plan(
    collection: &mut Collection,
    targets: &[Target],
    plan: FilePlan,
    options: &ImportOptions,
    now_text: String,
    mut report: ImportReport,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportReport> {
    let total = plan.files.len();
    progress(Progress::reading(0, total));

    let media_dir = collection.media_dir();
    let mut tx = collection.transaction()?;
    let mut state = WriteState {
        source_ids: record_sources(&mut tx, targets, &now_text, &mut report)?,
        roots: targets.iter().map(Target::vault_root).collect(),
        now: now_text,
        claimed: HashSet::new(),
        gone_notes: None,
        media: Vec::new(),
        reading_choices: tx.reader().reading_choices()?,
        identity: Identity {
            claims: tx.reader().has_foreign_places()?,
            any: tx.reader().has_places()?,
            epochs: None,
        },
        deck_ids: Default::default(),
    };
    let mut inserts = tx.card_inserts()?;
    std::thread::scope(|scope| {
        let readers = spawn_readers(scope, plan.jobs, &state.roots);
        write_files(
            (&tx, &mut inserts),
            &mut state,
            plan.files,
            &readers,
            &mut report,
            progress,
        )
    })?;
    drop(inserts);
    progress(Progress {
        done: total,
        total,
        stage: Stage::Saving,
    });
    retire_missing_notes(&mut tx, targets, &mut state, &plan.seen, &mut report)?;
    tx.prune_empty_decks()?;

    if options.dry_run {
        drop(tx);
        return Ok(report);
    }
    // Media names are content hashes, so copies left by a failed commit
    // are harmless and are reused by the next import.
    media::copy_all(&media_dir, &state.media)?;
    tx.commit()?;
    Ok(report)
}

/// The files of an import, in order, as the cheap first look left them.
struct FilePlan {
    /// Each file: its target's index, its path, and its work when the plan
    /// already decided it (`None`: a reader reads it, in the same order).
    files: Vec<(usize, String, Option<Work>)>,
    /// The files to read, with their target's index.
    jobs: Vec<(usize, ReadJob)>,
    /// Every file path of the import.
    seen: HashSet<PathBuf>,
}

/// Step 1, on this thread: stat every file and compare with the stored
/// size and time; decides without reading what it can.
fn plan_files(
    collection: &Collection,
    targets: &[Target],
    options: &ImportOptions,
) -> Result<FilePlan> {
    let mut plan = FilePlan {
        files: Vec::new(),
        jobs: Vec::new(),
        seen: HashSet::new(),
    };
    // Into an empty collection no file has a note to look up.
    let known_notes = collection.reader().last_note_id()? != 0;
    for (t, target) in targets.iter().enumerate() {
        let mut dendron = deck::DendronVaults::new(target.vault_root(), &target.files);
        for file in &target.files {
            if !plan.seen.insert(file.path.clone()) {
                continue;
            }
            let path_text = file.path.to_string_lossy().into_owned();
            let mut rule = DeckRule::of(target.is_dir, &target.path, target.deck.as_deref(), file);
            // A Dendron note's deck follows its dotted name.
            let in_dendron = dendron.contains(file);
            if in_dendron {
                rule = dendron.rule(rule, file);
            }
            let existing = if known_notes {
                collection.reader().note_by_path(&path_text)?
            } else {
                None
            };
            let decided = match plan_file(file, existing, &rule, in_dendron, options) {
                Plan::Ready(work) => Some(work),
                Plan::Job(job) => {
                    plan.jobs.push((t, *job));
                    None
                }
            };
            plan.files.push((t, path_text, decided));
        }
    }
    Ok(plan)
}

/// Step 2: records each import path as a source (not one that is gone);
/// reports the folders that could not be read. Returns each target's
/// source id.
fn record_sources(
    tx: &mut Tx<'_>,
    targets: &[Target],
    now: &str,
    report: &mut ImportReport,
) -> Result<Vec<Option<i64>>> {
    let mut source_ids = Vec::with_capacity(targets.len());
    for target in targets {
        let id = if target.gone {
            None
        } else {
            Some(tx.upsert_source(
                &target.path.to_string_lossy(),
                target.is_dir,
                target.deck.as_deref(),
                now,
            )?)
        };
        source_ids.push(id);
        for (path, error) in &target.errors {
            report.notes.push(NoteReport::skipped_file(
                &path.to_string_lossy(),
                error.clone(),
            ));
        }
    }
    Ok(source_ids)
}

/// What the writing steps share.
struct WriteState {
    /// Each target's source id (none for a source that is gone).
    source_ids: Vec<Option<i64>>,
    /// Each target's vault root (see [`files::vault_root`]): media are
    /// looked up only inside it, and new card ids come from paths
    /// relative to it.
    roots: Vec<Option<PathBuf>>,
    /// The import's time, as stored.
    now: String,
    /// Notes this import has written or confirmed.
    claimed: HashSet<i64>,
    /// Notes whose files are gone: candidates for a moved note. Loaded
    /// once, when the first new file needs them.
    gone_notes: Option<Vec<NoteRow>>,
    /// Media the written notes use, copied before the commit.
    media: Vec<MediaFile>,
    /// Sections the learner chose to review as reading cards.
    reading_choices: HashSet<CardId>,
    /// Other devices' decisions about where cards sit.
    identity: Identity,
    /// The decks written to or looked up so far (parents too), by name.
    deck_ids: std::collections::HashMap<String, i64>,
}

/// What an import needs of other devices' identity decisions (see
/// [`crate::sync::places`]).
struct Identity {
    /// Some were taken in: new and matched cards are checked against them.
    claims: bool,
    /// Some decision (here or taken in) is known: a new card at a place
    /// that has one is written down too.
    any: bool,
    /// The schedulers, to replay a card merged into another (loaded when
    /// first needed).
    epochs: Option<std::collections::HashMap<i64, crate::scheduler::Scheduler>>,
}

impl WriteState {
    /// The path a new card's id is made from (see [`id_path_in`]).
    fn id_path(&self, target: usize, path: &str) -> String {
        id_path_in(self.roots[target].as_deref(), path)
    }

    /// The deck's id, made when new; each deck and parent looked up once
    /// per import.
    fn deck_id(&mut self, tx: &Tx<'_>, deck: &str) -> Result<i64> {
        if let Some(id) = self.deck_ids.get(deck) {
            return Ok(*id);
        }
        tx.ensure_deck_known(deck, &mut self.deck_ids)
    }
}

/// The path a new card's id is made from: relative to the vault root,
/// with `/` (so ids survive moving the vault).
fn id_path_in(root: Option<&Path>, path: &str) -> String {
    root.and_then(|root| Path::new(path).strip_prefix(root).ok())
        .map(|rel| {
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_else(|| path.to_owned())
}

/// Step 3: takes every file's work in order (decided by the plan, or
/// parsed by reader k mod n) and writes it.
fn write_files(
    (tx, inserts): (&Tx<'_>, &mut CardInserts<'_>),
    state: &mut WriteState,
    files: Vec<(usize, String, Option<Work>)>,
    readers: &[std::sync::mpsc::Receiver<Work>],
    report: &mut ImportReport,
    progress: &mut dyn FnMut(Progress),
) -> Result<()> {
    let total = files.len();
    let mut next_read = 0usize;
    for (done, (t, path, planned)) in files.into_iter().enumerate() {
        let work = match planned {
            Some(work) => work,
            None => {
                let reader = &readers[next_read % readers.len()];
                next_read += 1;
                reader.recv().map_err(|_| {
                    Error::io(
                        "reading notes",
                        std::io::Error::other("the note reader stopped unexpectedly"),
                    )
                })?
            }
        };
        let note_report = match work {
            Work::Skip(reason) => NoteReport::skipped_file(&path, reason),
            Work::Unchanged { note_id, mtime } => {
                state.claimed.insert(note_id);
                tx.set_note_vault_path(note_id, &state.id_path(t, &path))?;
                if let Some(mtime) = mtime {
                    tx.touch_note(note_id, mtime)?;
                }
                let mut r = NoteReport::new(&path, NoteStatus::Unchanged);
                r.deck = tx.reader().note_deck(note_id)?;
                r.counts.unchanged = tx.reader().active_card_count(note_id)?;
                r
            }
            Work::Parse(mut file) => {
                state.media.append(&mut file.media);
                let source_id = state.source_ids[t].unwrap_or_default();
                write_note((tx, inserts), state, &path, source_id, *file)?
            }
        };
        report.totals.add(&note_report.counts);
        report.notes.push(note_report);
        progress(Progress::reading(done + 1, total));
    }
    Ok(())
}

/// Step 4: the notes of the imported sources whose files are gone (and
/// did not move): their cards are retired and the notes marked missing.
fn retire_missing_notes(
    tx: &mut Tx<'_>,
    targets: &[Target],
    state: &mut WriteState,
    seen: &HashSet<PathBuf>,
    report: &mut ImportReport,
) -> Result<()> {
    for (target, source_id) in targets.iter().zip(&state.source_ids) {
        let prefix = format!(
            "{}{}",
            target.path.to_string_lossy(),
            std::path::MAIN_SEPARATOR
        );
        // What the walk leaves out on purpose (app folders, the templates
        // folder, files the graph hides): notes imported from there before
        // are retired, though their files are still on disk. A folder that
        // could not be read is no such choice: its notes stay.
        let left_out: Vec<&Path> = target
            .errors
            .iter()
            .filter(|(_, why)| !why.starts_with("cannot read"))
            .map(|(path, _)| path.as_path())
            .collect();
        for note in tx.reader().notes()? {
            let belongs = note.path == target.path.to_string_lossy()
                || (target.is_dir && note.path.starts_with(&prefix))
                || (note.source_id.is_some() && note.source_id == *source_id);
            if !belongs || state.claimed.contains(&note.id) || seen.contains(Path::new(&note.path))
            {
                continue;
            }
            let path = Path::new(&note.path);
            let left_out_now = left_out.iter().any(|folder| path.starts_with(folder));
            if note.missing || path.exists() && !target.gone && !left_out_now {
                continue;
            }
            let mut r = NoteReport::new(&note.path, NoteStatus::Missing);
            r.deck = tx.reader().note_deck(note.id)?;
            for card in tx.reader().cards_of_note(note.id)? {
                if !card.retired {
                    tx.retire_card(&card.id, &state.now)?;
                    let place = (
                        note.vault_path.as_deref().unwrap_or(""),
                        card.match_key.as_str(),
                    );
                    places::decide(tx, &card.id, place, true, &state.now)?;
                    r.counts.retired += 1;
                }
            }
            tx.mark_note_missing(note.id)?;
            state.claimed.insert(note.id);
            report.totals.add(&r.counts);
            report.notes.push(r);
        }
    }
    Ok(())
}

/// Starts the threads that read and parse `jobs` (one per core, at most
/// [`MAX_READERS`]): job k goes to reader k mod n, and each reader sends
/// its results in order through its own bounded channel, so the writer
/// takes them back in file order while memory holds only the files in
/// flight.
fn spawn_readers<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    jobs: Vec<(usize, ReadJob)>,
    roots: &[Option<PathBuf>],
) -> Vec<std::sync::mpsc::Receiver<Work>> {
    let readers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, MAX_READERS)
        .min(jobs.len().max(1));
    let mut shares: Vec<Vec<(usize, ReadJob)>> = (0..readers).map(|_| Vec::new()).collect();
    for (k, job) in jobs.into_iter().enumerate() {
        shares[k % readers].push(job);
    }
    shares
        .into_iter()
        .map(|share| {
            let (sender, receiver) = std::sync::mpsc::sync_channel::<Work>(READ_AHEAD);
            let roots = roots.to_vec();
            // A thread that cannot start leaves its files unread: the
            // writer then reports the import as failed, and nothing is
            // written.
            let _ = std::thread::Builder::new()
                .name("notedeck-reader".into())
                .stack_size(crate::PARSER_STACK_BYTES)
                .spawn_scoped(scope, move || read_share(share, roots, &sender));
            receiver
        })
        .collect()
}

/// One reader thread: reads and parses its share of the files in order.
fn read_share(
    share: Vec<(usize, ReadJob)>,
    roots: Vec<Option<PathBuf>>,
    sender: &std::sync::mpsc::SyncSender<Work>,
) {
    let finders: Vec<embeds::NoteFinder> =
        roots.iter().cloned().map(embeds::NoteFinder::new).collect();
    let mut resolvers: Vec<MediaResolver> = roots.iter().cloned().map(MediaResolver::new).collect();
    let mut marks = files::FolderMarks::default();
    for (t, job) in share {
        let resolver = &mut resolvers[t];
        let finder = &finders[t];
        let id_path = id_path_in(roots[t].as_deref(), &job.path.to_string_lossy());
        // A parser bug must cost one file, not the import.
        let work = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read_file(job, (resolver, finder, &mut marks), id_path)
        }))
        .unwrap_or_else(|_| {
            Work::Skip(
                "notedeck failed on this file (an internal error); the rest was imported. Please report it with the file"
                    .to_owned(),
            )
        });
        if sender.send(work).is_err() {
            return; // the writer stopped on an error
        }
    }
}

/// Writes one parsed note and its cards; returns its report.
fn write_note(
    (tx, inserts): (&Tx<'_>, &mut CardInserts<'_>),
    state: &mut WriteState,
    path: &str,
    source_id: i64,
    file: ParsedFile,
) -> Result<NoteReport> {
    let (note_id, status, previous) = write_note_row(tx, state, path, source_id, &file)?;
    let ParsedFile {
        parsed,
        deck,
        warnings,
        prepared,
        ..
    } = file;
    let mut report = NoteReport::new(path, status);
    report.deck = Some(deck.clone());
    report.warnings = warnings;
    report.warnings.extend(parsed.warnings.iter().cloned());
    // A new note has no stored cards to match.
    let stored = match &previous {
        Some(_) => tx.reader().cards_of_note(note_id)?,
        None => Vec::new(),
    };
    if let Some(note) = previous.filter(|_| status == NoteStatus::Moved) {
        report.moved_from = Some(note.path);
    }
    let cards = NoteCards {
        note_id,
        prepared: &prepared,
        note_moved: status == NoteStatus::Moved,
        stored,
        reading_choices: &state.reading_choices,
    };
    (report.counts, report.changes) = write_cards(
        (tx, inserts),
        cards,
        &parsed.cards,
        &state.now,
        &mut state.identity,
    )?;
    report.skipped = skipped_sections(&parsed);
    report.counts.skipped = report.skipped.len() as u64;
    Ok(report)
}

/// The note's own row: updated in place, taken over from a note that moved
/// here, or new. Returns its id, what happened, and the earlier row.
fn write_note_row(
    tx: &Tx<'_>,
    state: &mut WriteState,
    path: &str,
    source_id: i64,
    file: &ParsedFile,
) -> Result<(i64, NoteStatus, Option<NoteRow>)> {
    let (status, previous) = match &file.existing {
        Some(note) => (NoteStatus::Updated, Some(note.clone())),
        None => match find_moved_note(
            tx,
            &file.parsed,
            &file.hash,
            &state.claimed,
            &mut state.gone_notes,
        )? {
            Some(note) => (NoteStatus::Moved, Some(note)),
            None => (NoteStatus::New, None),
        },
    };
    let deck_id = state.deck_id(tx, &file.deck)?;
    let write = NoteWrite {
        path,
        source_id,
        deck_id,
        deck_rule: &file.rule.to_string(),
        title: &file.parsed.title,
        file_size: file.size,
        file_mtime_ns: file.mtime,
        file_hash: &file.hash,
        parser_version: file.stamp,
        embeds_notes: file.parsed.embeds_notes,
        now: &state.now,
        vault_path: &file.prepared.id_path,
    };
    let note_id = match &previous {
        Some(note) => {
            tx.update_note(note.id, &write)?;
            note.id
        }
        None => tx.insert_note(&write)?,
    };
    state.claimed.insert(note_id);
    Ok((note_id, status, previous))
}

/// The note whose cards [`write_cards`] writes.
struct NoteCards<'a> {
    note_id: i64,
    /// Its path within the vault, and its cards' keys, fronts and ids.
    prepared: &'a PreparedCards,
    /// The note's file moved (every card's place changed).
    note_moved: bool,
    /// Its cards as stored before this import.
    stored: Vec<StoredCard>,
    /// Sections the learner chose to review as reading cards.
    reading_choices: &'a HashSet<CardId>,
}

/// Matches the note's parsed cards to its stored ones (see [`identity`])
/// and writes the outcome: added, unchanged, updated, moved, restored and
/// retired cards. Returns the counts and the first changed cards by name.
fn write_cards(
    (tx, inserts): (&Tx<'_>, &mut CardInserts<'_>),
    note: NoteCards<'_>,
    cards: &[markdown::ParsedCard],
    now: &str,
    decisions: &mut Identity,
) -> Result<(Counts, Vec<CardChange>)> {
    let NoteCards {
        note_id,
        prepared,
        note_moved,
        stored,
        reading_choices,
    } = note;
    let id_path = prepared.id_path.as_str();
    let keys = &prepared.keys;
    let mut counts = Counts::default();
    let mut changes: Vec<CardChange> = Vec::new();
    let heading_of = |path: &[String]| path.join(" › ");
    let (mut outcomes, mut to_retire) = identity::match_cards(&stored, cards, keys);
    let adopted = if decisions.claims {
        adopt_claimed(
            tx,
            (id_path, keys, &prepared.first_ids),
            &stored,
            &mut outcomes,
            &mut to_retire,
        )?
    } else {
        vec![None; cards.len()]
    };
    for (ord, ((card, key), outcome)) in cards.iter().zip(keys).zip(outcomes).enumerate() {
        let parts = RowParts {
            note_id,
            card,
            key,
            ord,
            front_html: &prepared.fronts[ord],
            now,
            reading_choices,
        };
        // A new card at a place of its own is written here, at the first
        // id of its place no other card has.
        let fresh = outcome.stored().is_none() && adopted[ord].is_none();
        let id = match (outcome.stored(), &adopted[ord]) {
            (Some(index), _) => stored[index].id.clone(),
            (None, Some(claimed)) => claimed.clone(),
            (None, None) => {
                insert_at_free_id(inserts, &parts, (id_path, &prepared.first_ids[ord]))?
            }
        };
        let id = &id;
        let row = parts.with_id(id);
        let listed = changes.len() < MAX_LISTED_CHANGES;
        let mut change = |kind: &'static str, from: Option<String>| {
            if listed {
                changes.push(CardChange {
                    kind,
                    card_id: id.as_str().to_owned(),
                    heading: heading_of(&card.heading_path),
                    from,
                });
            }
        };
        match outcome {
            Outcome::Added if adopted[ord].is_some() && tx.card_exists(id)? => {
                // Retired here, placed here by another device's import.
                tx.update_card_content(&row, true)?;
                counts.restored += 1;
                change("restored", None);
            }
            Outcome::Added => {
                // A claimed id no card has (just looked): it goes in.
                if !fresh {
                    inserts.insert(&row)?;
                }
                counts.added += 1;
                change("added", None);
            }
            Outcome::Unchanged(_) => {
                tx.update_card_content(&row, false)?;
                counts.unchanged += 1;
            }
            Outcome::Updated(_) => {
                tx.update_card_content(&row, true)?;
                counts.updated += 1;
                change("updated", None);
            }
            Outcome::Moved(_) => {
                // Its headings before, read before they are rewritten.
                let before = if listed {
                    tx.reader().card(id)?.map(|c| heading_of(&c.heading_path))
                } else {
                    None
                };
                tx.update_card_content(&row, true)?;
                counts.moved += 1;
                change("moved", before);
            }
            Outcome::Restored(_) => {
                tx.update_card_content(&row, true)?;
                counts.restored += 1;
                change("restored", None);
            }
        }
        // Decisions another device needs to give this section the same id
        // (one that only ever sees the final text would make it anew).
        let decided = match outcome {
            Outcome::Moved(_) | Outcome::Restored(_) => true,
            Outcome::Unchanged(_) | Outcome::Updated(_) => note_moved,
            // A new card where another card once was decided to sit: a
            // device that followed that card there must learn of this one.
            Outcome::Added => {
                (adopted[ord].is_none() && *id != prepared.first_ids[ord])
                    || (decisions.any && tx.reader().place_has_decisions(id_path, key)?)
            }
        };
        if decided {
            places::decide(tx, id, (id_path, key), false, now)?;
        }
        // Another device placed a different card here: this one joins it.
        if decisions.claims && outcome.stored().is_some() {
            if decisions.epochs.is_none() {
                decisions.epochs = Some(tx.reader().epochs()?);
            }
            if let Some(epochs) = &decisions.epochs {
                places::settle(tx, (id_path, key), id, epochs, now)?;
            }
        }
    }
    for index in to_retire {
        let id = &stored[index].id;
        if changes.len() < MAX_LISTED_CHANGES {
            let heading = tx
                .reader()
                .card(id)?
                .map(|c| heading_of(&c.heading_path))
                .unwrap_or_default();
            changes.push(CardChange {
                kind: "retired",
                card_id: id.as_str().to_owned(),
                heading,
                from: None,
            });
        }
        tx.retire_card(id, now)?;
        places::decide(tx, id, (id_path, &stored[index].match_key), true, now)?;
        counts.retired += 1;
    }
    Ok((counts, changes))
}

/// Sections this import would make new cards for that another device's
/// decision names a card for (see [`places::claimed_for`]): a card of this
/// note left over is moved or restored there instead (and not retired);
/// any other is returned, per parsed card, to be used as the new card's id.
fn adopt_claimed(
    tx: &Tx<'_>,
    (id_path, keys, first_ids): (&str, &[String], &[CardId]),
    stored: &[StoredCard],
    outcomes: &mut [Outcome],
    to_retire: &mut Vec<usize>,
) -> Result<Vec<Option<CardId>>> {
    let mut adopted: Vec<Option<CardId>> = vec![None; outcomes.len()];
    let matched: HashSet<usize> = outcomes.iter().filter_map(|o| o.stored()).collect();
    let unmatched: Vec<CardId> = to_retire.iter().map(|&i| stored[i].id.clone()).collect();
    let mut taken: HashSet<CardId> = HashSet::new();
    for (p, key) in keys.iter().enumerate() {
        if outcomes[p] != Outcome::Added {
            continue;
        }
        let Some(claimed) = places::claimed_for(tx, (id_path, key), &first_ids[p], &unmatched)?
        else {
            continue;
        };
        let index = stored.iter().position(|s| s.id == claimed);
        if index.is_some_and(|i| matched.contains(&i)) || !taken.insert(claimed.clone()) {
            continue;
        }
        match index {
            Some(i) if stored[i].retired => outcomes[p] = Outcome::Restored(i),
            Some(i) => {
                outcomes[p] = Outcome::Moved(i);
                to_retire.retain(|&r| r != i);
            }
            None => adopted[p] = Some(claimed),
        }
    }
    Ok(adopted)
}

/// The sections of a note that made no card, with why (an empty note says
/// so).
fn skipped_sections(parsed: &ParsedNote) -> Vec<Skipped> {
    let mut skipped: Vec<Skipped> = parsed
        .skipped
        .iter()
        .map(|section| Skipped {
            heading: Some(section.heading.clone()),
            line: Some(section.line),
            reason: section.reason.clone(),
        })
        .collect();
    if parsed.cards.is_empty() && parsed.skipped.is_empty() {
        skipped.push(Skipped {
            heading: None,
            line: None,
            reason: "note is empty".to_owned(),
        });
    }
    skipped
}

/// Finds a note whose file is gone and whose content reappears at a new
/// path: the same file hash, or at least half of the cards' content.
fn find_moved_note(
    tx: &Tx<'_>,
    parsed: &ParsedNote,
    hash: &str,
    claimed: &HashSet<i64>,
    gone_notes: &mut Option<Vec<NoteRow>>,
) -> Result<Option<NoteRow>> {
    if gone_notes.is_none() {
        let gone = tx
            .reader()
            .notes()?
            .into_iter()
            .filter(|n| !Path::new(&n.path).exists())
            .collect();
        *gone_notes = Some(gone);
    }
    let candidates: Vec<&NoteRow> = gone_notes
        .iter()
        .flatten()
        .filter(|n| !claimed.contains(&n.id))
        .collect();
    if let Some(note) = candidates.iter().find(|n| n.file_hash == hash) {
        return Ok(Some((*note).clone()));
    }
    if parsed.cards.is_empty() {
        return Ok(None);
    }
    let mine: HashSet<&str> = parsed
        .cards
        .iter()
        .map(|c| c.content_hash.0.as_str())
        .collect();
    let mut best: Option<(f64, &NoteRow)> = None;
    for note in candidates {
        let theirs = tx.reader().cards_of_note(note.id)?;
        if theirs.is_empty() {
            continue;
        }
        let common = theirs
            .iter()
            .filter(|c| mine.contains(c.content_hash.as_str()))
            .count();
        let share = common as f64 / mine.len().min(theirs.len()) as f64;
        if share >= 0.5 && best.as_ref().is_none_or(|(b, _)| share > *b) {
            best = Some((share, note));
        }
    }
    Ok(best.map(|(_, note)| note.clone()))
}

/// What a parsed card's row is made of, but for its id.
struct RowParts<'a> {
    note_id: i64,
    card: &'a markdown::ParsedCard,
    /// Its matching key.
    key: &'a str,
    /// Its position in the note.
    ord: usize,
    front_html: &'a str,
    now: &'a str,
    /// Sections the learner chose to review as reading cards.
    reading_choices: &'a HashSet<CardId>,
}

impl<'a> RowParts<'a> {
    /// The row of the card with id `id`.
    fn with_id<'b>(&'b self, id: &'b CardId) -> CardWrite<'b>
    where
        'a: 'b,
    {
        let card = self.card;
        // A passage too long to answer, or a section the learner chose to
        // read, is a reading card.
        let chosen = card.kind == CardKind::Section && self.reading_choices.contains(id);
        let kind = if card.reading || chosen {
            CardKind::Reading
        } else {
            card.kind
        };
        CardWrite {
            id,
            note_id: self.note_id,
            kind,
            match_key: self.key,
            heading_path: &card.heading_path,
            ord: self.ord as i64,
            line: card.line as i64,
            front_html: self.front_html,
            back_html: &card.back_html,
            source: &card.source,
            content_hash: &card.content_hash.0,
            tags: &card.tags,
            now: self.now,
        }
    }
}

/// Inserts a new card at a stable id: 12 hex digits of a hash of the
/// note's path within its vault (so the same vault imported elsewhere, on
/// another computer, gives the same ids) and the card's key, bumped on the
/// rare collision. Returns the id it took.
fn insert_at_free_id(
    inserts: &mut CardInserts<'_>,
    parts: &RowParts<'_>,
    (path, first): (&str, &CardId),
) -> Result<CardId> {
    if inserts.insert(&parts.with_id(first))? {
        return Ok(first.clone());
    }
    let mut attempt = 1u64;
    loop {
        let id = card_id_for(path, parts.key, attempt);
        if inserts.insert(&parts.with_id(&id))? {
            return Ok(id);
        }
        attempt += 1;
    }
}

/// The id a card at `key` in the note at `path` gets at the `attempt`-th
/// try (the first, unless another card has it).
fn card_id_for(path: &str, key: &str, attempt: u64) -> CardId {
    let mut seed = String::with_capacity(path.len() + key.len() + 22);
    seed.push_str(path);
    seed.push('\0');
    seed.push_str(key);
    seed.push('\0');
    // Writing into a String cannot fail.
    let _ = write!(seed, "{attempt}");
    CardId(markdown::card::hex_prefix(
        &blake3::hash(seed.as_bytes()),
        12,
    ))
}

/// A note's deck as the start of its cards' breadcrumbs, escaped once
/// for all its cards.
struct DeckCrumbs {
    /// The deck's levels, escaped and joined with ` › `.
    all: String,
    /// The same without the last level (the title section's breadcrumb).
    parents: String,
    /// Levels in the deck's name.
    levels: usize,
    /// The first level is empty (a deck of no name).
    first_empty: bool,
}

impl DeckCrumbs {
    fn of(deck: &str) -> DeckCrumbs {
        let levels: Vec<String> = deck
            .split(DECK_SEPARATOR)
            .map(markdown::render::escape_text)
            .collect();
        DeckCrumbs {
            all: levels.join(" › "),
            parents: levels[..levels.len() - 1].join(" › "),
            levels: levels.len(),
            first_empty: levels[0].is_empty(),
        }
    }

    /// The card front: a breadcrumb (deck › parent headings) above the
    /// heading; the title section's shows the deck's parents only.
    fn front(&self, card: &markdown::ParsedCard) -> String {
        let parents = &card.heading_path[..card.heading_path.len().saturating_sub(1)];
        let (deck, crumbs) = if card.heading_path.is_empty() {
            (&self.parents, self.levels - 1)
        } else {
            (&self.all, self.levels + parents.len())
        };
        let mut front = String::with_capacity(
            64 + card.front_html.len()
                + deck.len()
                + parents.iter().map(|p| p.len() + 5).sum::<usize>(),
        );
        // One empty crumb (a deck of no name, no parents) shows no breadcrumb.
        if crumbs > 1 || crumbs == 1 && !self.first_empty {
            front.push_str("<div class=\"breadcrumb\">");
            front.push_str(deck);
            for parent in parents {
                front.push_str(" › ");
                markdown::render::push_escaped_text(&mut front, parent);
            }
            front.push_str("</div>");
        }
        front.push_str("<div class=\"front\">");
        front.push_str(&card.front_html);
        front.push_str("</div>");
        front
    }
}

/// Resolves the import paths (or the stored sources) to targets with files.
fn plan_targets(
    collection: &Collection,
    paths: &[PathBuf],
    options: &ImportOptions,
) -> Result<Vec<Target>> {
    let mut targets = Vec::new();
    if paths.is_empty() {
        let sources = collection.reader().sources()?;
        if sources.is_empty() {
            return Err(Error::NoSources);
        }
        for source in sources {
            let path = PathBuf::from(&source.path);
            let gone = !path.exists();
            let mut target = Target {
                path,
                is_dir: source.is_dir,
                deck: source.deck,
                files: Vec::new(),
                errors: Vec::new(),
                gone,
            };
            if !gone {
                fill_files(&mut target);
            }
            targets.push(target);
        }
        return Ok(targets);
    }
    for path in paths {
        let canonical = std::fs::canonicalize(path).map_err(|_| Error::PathNotFound {
            path: path.to_owned(),
        })?;
        let is_dir = canonical.is_dir();
        if !is_dir {
            let refuse = |reason: String| Error::NotANote {
                path: path.to_owned(),
                reason,
            };
            if let Some(kind) = files::special_kind(&canonical) {
                return Err(refuse(format!("it is {kind}, not a regular file")));
            }
            if !files::is_note(&canonical) {
                return Err(refuse(
                    "only Markdown and text notes (.md, .markdown, .txt) and folders are imported"
                        .to_owned(),
                ));
            }
        }
        let mut target = Target {
            is_dir,
            path: canonical,
            deck: options.deck.clone(),
            files: Vec::new(),
            errors: Vec::new(),
            gone: false,
        };
        fill_files(&mut target);
        targets.push(target);
    }
    Ok(targets)
}

fn fill_files(target: &mut Target) {
    if target.is_dir {
        let (files, errors) = files::walk(&target.path);
        target.files = files;
        target.errors = errors;
    } else {
        target.files = vec![NoteFile {
            path: target.path.clone(),
            folders: Vec::new(),
        }];
    }
}

/// Decides what to do with one file, given the note stored for its path
/// (if any), parsing it if it changed.
fn plan_file(
    file: &NoteFile,
    existing: Option<NoteRow>,
    rule: &DeckRule,
    dendron: bool,
    options: &ImportOptions,
) -> Plan {
    let files::FileStat {
        size,
        mtime_ns: mtime,
        special,
    } = match files::stat(&file.path) {
        Ok(stat) => stat,
        Err(err) => return Plan::Ready(Work::Skip(format!("cannot read this file ({err})"))),
    };
    let reusable = existing.as_ref().is_some_and(|note| {
        !note.missing
            && note.parser_version == parser_stamp(&options.junk)
            && note.deck_rule == rule.to_string()
    });
    // A note that embeds others is read again: they may have changed.
    if let Some(note) = existing.as_ref().filter(|n| reusable && !n.embeds_notes) {
        if note.file_size == size && note.file_mtime_ns == mtime {
            return Plan::Ready(Work::Unchanged {
                note_id: note.id,
                mtime: None,
            });
        }
    }
    if size as u64 > options.max_file_bytes {
        return Plan::Ready(Work::Skip(format!(
            "file is {}, over the {} limit for one note; split it into smaller notes",
            files::human_size(size as u64),
            files::human_size(options.max_file_bytes)
        )));
    }
    if let Some(kind) = special {
        return Plan::Ready(Work::Skip(files::not_a_file(kind)));
    }
    Plan::Job(Box::new(ReadJob {
        path: file.path.clone(),
        rule: rule.clone(),
        size,
        mtime,
        existing,
        reusable,
        max_bytes: options.max_file_bytes,
        junk: options.junk,
        dendron,
    }))
}

/// Reads, decodes and parses one note file (no collection access, so it
/// runs on the reader thread).
fn read_file(
    job: ReadJob,
    (resolver, notes, marks): (
        &mut MediaResolver,
        &embeds::NoteFinder,
        &mut files::FolderMarks,
    ),
    id_path: String,
) -> Work {
    let ReadJob {
        path,
        rule,
        size,
        mtime,
        existing,
        reusable,
        max_bytes,
        junk,
        dendron,
    } = job;
    let bytes = match files::read_limited(&path, max_bytes) {
        Ok(files::Read::Bytes(bytes)) => bytes,
        Ok(files::Read::TooLarge) => return Work::Skip(files::too_large(max_bytes)),
        Ok(files::Read::NotAFile(kind)) => return Work::Skip(files::not_a_file(kind)),
        Err(err) => return Work::Skip(format!("cannot read this file ({err})")),
    };
    let hash = blake3::hash(&bytes).to_hex().to_string();
    if let Some(note) = existing.as_ref().filter(|n| reusable && !n.embeds_notes) {
        if note.file_hash == hash {
            return Work::Unchanged {
                note_id: note.id,
                mtime: Some(mtime),
            };
        }
    }
    let decoded = match text::decode(&bytes) {
        Ok(decoded) => decoded,
        Err(NotText::Binary) => {
            return Work::Skip(
                "binary file (it holds NUL or control bytes), not a text note".to_owned(),
            )
        }
    };
    drop(bytes);
    let mut warnings = Vec::new();
    if decoded.encoding == SourceEncoding::Windows1252 {
        warnings.push("not valid UTF-8: decoded as Windows-1252 (Latin-1)".to_owned());
    }
    if decoded.mojibake_repaired > 0 {
        warnings.push(format!(
            "repaired {} mis-encoded character sequence(s) (UTF-8 read as Windows-1252, e.g. `â€”` for `—`)",
            decoded.mojibake_repaired
        ));
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A Dendron note without a title is named as Dendron names it.
    let stem = if dendron {
        markdown::dendron::title_from_name(&stem)
    } else {
        stem
    };
    let note_dir = path.parent().unwrap_or(Path::new(".")).to_owned();
    notes.start_note(decoded.text.len());
    notes.set_dendron(dendron);
    let mut media = Vec::new();
    let mut refused = Vec::new();
    let source = markdown::NoteSource {
        fallback_title: &stem,
        jekyll_site: marks.in_jekyll_site(&path, resolver.root()),
        gitbook_space: marks.in_gitbook_space(&path, resolver.root()),
        junk,
        logseq_graph: notes.logseq_graph(),
        dendron_vault: dendron,
        resolve_note: Some(&|reference| notes.find(reference)),
        sanitize_all: false,
    };
    let parsed = markdown::parse_note(
        &decoded.text,
        source,
        &mut |reference, embed| match resolver.resolve(&note_dir, reference, embed) {
            Resolved::Found(found) => {
                let src = format!("media/{}", found.name);
                media.push(found);
                Some(src)
            }
            Resolved::Missing => None,
            Resolved::Refused(reason) => {
                refused.push(format!("`{reference}` was not copied: {reason}"));
                None
            }
        },
    );
    refused.dedup();
    warnings.extend(refused);
    let deck = rule.deck_for(&parsed.title);
    Work::Parse(Box::new(ParsedFile {
        prepared: PreparedCards::of(&parsed, &deck, id_path),
        parsed,
        stamp: parser_stamp(&junk),
        deck,
        rule,
        size,
        mtime,
        hash,
        existing,
        media,
        warnings,
    }))
}
