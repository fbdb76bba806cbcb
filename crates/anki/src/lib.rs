//! From Anki to notedeck: an Anki package (`.apkg`, `.colpkg`, in the
//! legacy and the current format) read safely ([`package`]), its
//! collection read with SQLite ([`collection`]), its notes written as
//! Markdown the user owns ([`notes`], [`html`]) into a folder of theirs,
//! with its media ([`write`]). The shells then import that folder as any
//! notes. No Anki code is used (its licence is the AGPL): the formats are
//! read from their documented shapes.

pub mod collection;
pub mod export;
pub mod html;
pub mod notes;
pub mod package;
pub mod progress;
pub mod proto;
pub mod write;

use std::path::{Path, PathBuf};

use collection::AnkiCollection;
use package::Package;

/// Why a package could not be read or written out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnkiError {
    /// The file could not be read.
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What the system said.
        why: String,
    },
    /// Not an Anki package.
    NotAPackage {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// An entry of the package is damaged or too large.
    Damaged {
        /// The entry.
        entry: String,
        /// What is wrong with it.
        why: String,
    },
    /// Its collection is not one Anki writes.
    NotAnki(String),
    /// A collection schema this notedeck does not know.
    Schema(i64),
    /// A note or media file could not be written.
    Unwritable {
        /// The file.
        path: PathBuf,
        /// What the system said.
        why: String,
    },
}

impl std::fmt::Display for AnkiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnkiError::Unreadable { path, why } => {
                write!(f, "{} cannot be read ({why}): check the path", path.display())
            }
            AnkiError::NotAPackage { path, why } => write!(
                f,
                "{} is not an Anki package: {why}; export one from Anki with File → Export (Anki Deck Package or Collection Package)",
                path.display()
            ),
            AnkiError::Damaged { entry, why } => write!(
                f,
                "the package's `{entry}` cannot be used ({why}): export the package from Anki again"
            ),
            AnkiError::NotAnki(why) => write!(
                f,
                "the package's collection is not one Anki writes ({why}): export it from Anki again"
            ),
            AnkiError::Schema(v) => write!(
                f,
                "the package's collection is at schema {v}, which this notedeck does not read (11 to 18): export it from a current Anki, or update notedeck"
            ),
            AnkiError::Unwritable { path, why } => write!(
                f,
                "{} cannot be written ({why}): choose another folder with --into",
                path.display()
            ),
        }
    }
}

impl std::error::Error for AnkiError {}

/// One note file of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// Its path under the folder written into.
    pub path: String,
    /// The Anki deck it holds.
    pub deck: String,
    /// The Anki notes in it.
    pub notes: usize,
    /// What happened to it.
    pub outcome: write::FileOutcome,
}

/// What reading and writing out a package did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnkiReport {
    /// The package's format.
    pub format: package::Format,
    /// The folder written into.
    pub into: PathBuf,
    /// Notes, cards and review-log entries in the package.
    pub notes: usize,
    /// Cards in the package.
    pub cards: usize,
    /// Review-log entries in the package.
    pub reviews: usize,
    /// Media files copied, and already there.
    pub media_copied: usize,
    /// Media files already in the folder, the same.
    pub media_present: usize,
    /// Media the notes name that the package lacks.
    pub media_missing: Vec<String>,
    /// Media left out, each with why (a hostile name, a different file
    /// already there under the name).
    pub media_skipped: Vec<String>,
    /// Each note type: its name, how it was written, its notes.
    pub notetypes: Vec<(String, notes::Mapping, usize)>,
    /// The note files.
    pub files: Vec<FileReport>,
    /// Notes left out, each with why.
    pub skipped: Vec<String>,
}

/// A package written out: the report, where each note went, and the
/// collection read (for its progress).
#[derive(Debug, Clone)]
pub struct WrittenOut {
    /// What was read and written.
    pub report: AnkiReport,
    /// Where each Anki note was written.
    pub blocks: Vec<notes::Block>,
    /// The Anki collection.
    pub collection: AnkiCollection,
}

/// Reads the package at `path` and writes its notes and media into
/// `into` (nothing is written with `dry_run`).
pub fn write_out(path: &Path, into: &Path, dry_run: bool) -> Result<WrittenOut, AnkiError> {
    let mut package = Package::open(path)?;
    let collection = AnkiCollection::read(&package.collection_path())?;
    let names: std::collections::HashSet<String> =
        package.media.iter().map(|m| m.name.clone()).collect();
    let converted = notes::convert(&collection, &|name| names.contains(name));
    let mut report = AnkiReport {
        format: package.format,
        into: into.to_owned(),
        notes: collection.notes.len(),
        cards: collection.cards.len(),
        reviews: collection.reviews.len(),
        media_copied: 0,
        media_present: 0,
        media_missing: Vec::new(),
        media_skipped: package
            .refused_media
            .iter()
            .map(|(name, why)| format!("{name}: {why}"))
            .collect(),
        notetypes: converted.notetypes.clone(),
        files: Vec::new(),
        skipped: converted.skipped.clone(),
    };
    report.media_missing = converted.media_missing.clone();
    for file in &converted.files {
        let outcome = write::write_note(into, file, dry_run)?;
        report.files.push(FileReport {
            path: file.path.clone(),
            deck: file.deck.clone(),
            notes: file.notes,
            outcome,
        });
    }
    let entries = package.media.clone();
    for entry in entries
        .iter()
        .filter(|m| converted.media_used.contains(&m.name))
    {
        // A media file that cannot be read (damaged, or larger than any
        // image or sound once decompressed) is left out; the notes still go.
        let bytes = match package.media_bytes(entry) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                report.media_missing.push(entry.name.clone());
                continue;
            }
            Err(why) => {
                report.media_skipped.push(format!("{}: {why}", entry.name));
                continue;
            }
        };
        match write::write_media(into, &entry.name, &bytes, dry_run)? {
            write::MediaOutcome::Copied => report.media_copied += 1,
            write::MediaOutcome::Present => report.media_present += 1,
            write::MediaOutcome::Conflict => report.media_skipped.push(format!(
                "{}: a different file of that name is already in {}",
                entry.name,
                into.join(notes::MEDIA_FOLDER).display()
            )),
        }
    }
    report.media_missing.sort();
    report.media_missing.dedup();
    // The notes are written: only cards and the log are needed from here.
    let mut collection = collection;
    collection.notes = Vec::new();
    Ok(WrittenOut {
        report,
        blocks: converted.blocks,
        collection,
    })
}
