//! What an import did, note by note.

/// Card counts for one note or a whole import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
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
    /// Sections, notes or files that made no card.
    pub skipped: u64,
}

impl Counts {
    /// Adds another note's counts to these.
    pub fn add(&mut self, other: &Counts) {
        self.added += other.added;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.moved += other.moved;
        self.retired += other.retired;
        self.restored += other.restored;
        self.skipped += other.skipped;
    }
}

/// What happened to a note file as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteStatus {
    /// First import of this file.
    New,
    /// Known file whose content changed.
    Updated,
    /// Known file, nothing changed (not parsed again).
    Unchanged,
    /// A known note found at a new path.
    Moved,
    /// The file was not imported (see `skipped`).
    Skipped,
    /// The file is gone: its cards were retired.
    Missing,
}

impl NoteStatus {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            NoteStatus::New => "new",
            NoteStatus::Updated => "updated",
            NoteStatus::Unchanged => "unchanged",
            NoteStatus::Moved => "moved",
            NoteStatus::Skipped => "skipped",
            NoteStatus::Missing => "missing",
        }
    }
}

/// Something that made no card, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The heading, for a skipped section.
    pub heading: Option<String>,
    /// One-based line, for a skipped section.
    pub line: Option<usize>,
    /// Why, in words the user can act on.
    pub reason: String,
}

/// The import of one note file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteReport {
    /// Absolute path of the file.
    pub path: String,
    /// The deck its cards are in (none when skipped).
    pub deck: Option<String>,
    /// What happened to the file.
    pub status: NoteStatus,
    /// The previous path, for a moved note.
    pub moved_from: Option<String>,
    /// Card counts.
    pub counts: Counts,
    /// Sections (or the whole file) that made no card.
    pub skipped: Vec<Skipped>,
    /// Problems that did not stop a card: encoding repairs, missing images…
    pub warnings: Vec<String>,
    /// The cards this import adds, updates, moves, retires or restores (at
    /// most [`MAX_LISTED_CHANGES`]; the counts have them all).
    pub changes: Vec<CardChange>,
}

/// Cards listed by name per note, at most (a first import adds them all).
pub const MAX_LISTED_CHANGES: usize = 25;

/// One card an import changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardChange {
    /// `added`, `updated`, `moved`, `retired` or `restored`.
    pub kind: &'static str,
    /// The card.
    pub card_id: String,
    /// Its headings (for a retired card, those it had).
    pub heading: String,
    /// For a moved card: the headings it had before.
    pub from: Option<String>,
}

impl NoteReport {
    pub(crate) fn new(path: &str, status: NoteStatus) -> NoteReport {
        NoteReport {
            path: path.to_owned(),
            deck: None,
            status,
            moved_from: None,
            counts: Counts::default(),
            skipped: Vec::new(),
            warnings: Vec::new(),
            changes: Vec::new(),
        }
    }

    pub(crate) fn skipped_file(path: &str, reason: String) -> NoteReport {
        let mut report = NoteReport::new(path, NoteStatus::Skipped);
        report.counts.skipped = 1;
        report.skipped.push(Skipped {
            heading: None,
            line: None,
            reason,
        });
        report
    }
}

/// The whole import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// True when nothing was written.
    pub dry_run: bool,
    /// One entry per note file, in import order.
    pub notes: Vec<NoteReport>,
    /// Sums over all notes.
    pub totals: Counts,
}
