//! Cards made from the review: the learner selects text on a card and
//! notedeck writes a cloze or a question into the card's note, in the
//! note's own syntax ([`place`]), atomically, never over a change made on
//! disk since the note was imported; an undo removes exactly what was
//! written, and only from the file as notedeck left it.

pub mod place;
pub mod visible;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::model::{CardId, CardState};
use crate::storage::Collection;
use crate::{Error, Result};
pub use place::{Edit, Making, Section};

/// A card written into a note (the note is to be imported again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The note's absolute path.
    pub note: String,
    /// The new card's line (1-based) in the note as written.
    pub line: usize,
    /// The inserted byte ranges (offset, length) of the written file.
    pub inserted: Vec<(usize, usize)>,
    /// The file's hash before and after (BLAKE3, as the importer hashes).
    pub hash_before: String,
    /// See `hash_before`.
    pub hash_after: String,
}

/// The largest note notedeck writes into, in bytes.
pub const MAX_NOTE_BYTES: u64 = 16 << 20;

fn refuse(note: &str, reason: impl Into<String>) -> Error {
    Error::CannotWrite {
        note: note.to_owned(),
        reason: reason.into(),
    }
}

/// Writes `making` into the note of `card_id`, in the card's section.
/// Refused (with what to do) when the note changed on disk since it was
/// imported, lives outside every imported folder, is not UTF-8, or the
/// selection is not found in the section.
pub fn write(collection: &Collection, card_id: &CardId, making: &Making) -> Result<Written> {
    let reader = collection.reader();
    let card = reader
        .card(card_id)?
        .ok_or_else(|| Error::CardNotFound(card_id.to_string()))?;
    if card.state == CardState::Retired {
        return Err(Error::CardRetired(card_id.to_string()));
    }
    let path = card.note.clone();
    let note = reader
        .note_by_path(&path)?
        .ok_or_else(|| refuse(&path, "the note is not in the collection: import it first"))?;
    let inside = match note.source_id {
        Some(id) => reader
            .sources()?
            .into_iter()
            .any(|s| s.id == id && Path::new(&path).starts_with(&s.path)),
        None => false,
    };
    if !inside || note.missing {
        return Err(refuse(
            &path,
            "the note is not inside a folder or file you imported (or is gone): import it again first",
        ));
    }
    let bytes = read_note(&path)?;
    let hash_before = blake3::hash(&bytes).to_hex().to_string();
    if hash_before != note.file_hash {
        return Err(refuse(
            &path,
            "the note changed on disk since it was imported: import it again first (`notedeck import`), then make the card",
        ));
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        refuse(
            &path,
            "the note is not UTF-8 text (notedeck read it as Windows-1252): notedeck writes only into UTF-8 notes; save it as UTF-8 and import it again",
        )
    })?;
    let section = section_of(collection, note.id, &card, text)?;
    let edit = place::plan(text, section, making).map_err(|reason| refuse(&path, reason))?;
    let written = edit.apply(text);
    let hash_after = blake3::hash(written.as_bytes()).to_hex().to_string();
    replace_if_unchanged(Path::new(&path), written.as_bytes(), &hash_before)?;
    Ok(Written {
        note: path,
        line: edit.card_line,
        inserted: edit.inserted_ranges(),
        hash_before,
        hash_after,
    })
}

/// Records a card written into a note (`card_id`: the card the import
/// made of it) as the newest step undo takes back; returns its id.
pub fn record(
    collection: &mut Collection,
    written: &Written,
    from_card: &CardId,
    card_id: Option<&CardId>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String> {
    let id = crate::actions::new_id(now);
    let tx = collection.transaction()?;
    tx.insert_extraction(&crate::storage::ExtractionRow {
        seq: 0,
        id: id.clone(),
        note_path: written.note.clone(),
        from_card: from_card.to_string(),
        card_id: card_id.map(CardId::to_string),
        made_at: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        after_review: 0,
        after_action: 0,
        inserted: written.inserted.clone(),
        hash_before: written.hash_before.clone(),
        hash_after: written.hash_after.clone(),
    })?;
    tx.commit()?;
    Ok(id)
}

/// Removes exactly the inserted ranges from the note, if it is as notedeck
/// wrote it (`hash_after`); refused otherwise, the note left as it is.
pub fn take_back(
    note: &str,
    inserted: &[(usize, usize)],
    hash_before: &str,
    hash_after: &str,
) -> Result<()> {
    let bytes = read_note(note)?;
    if blake3::hash(&bytes).to_hex().as_str() != hash_after {
        return Err(refuse(
            note,
            "the note changed on disk since the card was written into it, so undo left it as it is: remove the card from the note by hand (undo again goes on to what came before)",
        ));
    }
    let mut out = bytes.clone();
    for &(at, len) in inserted.iter().rev() {
        if at + len > out.len() {
            return Err(refuse(note, "the recorded insertion is outside the note"));
        }
        out.drain(at..at + len);
    }
    if blake3::hash(&out).to_hex().as_str() != hash_before {
        return Err(refuse(
            note,
            "taking the card out would not give the note as it was",
        ));
    }
    replace_if_unchanged(Path::new(note), &out, hash_after)
}

/// The section the card belongs to: its own (a section or reading card),
/// or the nearest section card or heading above it; it ends where the next
/// section card begins (or at the next heading, see [`place::plan`]).
fn section_of(
    collection: &Collection,
    note_id: i64,
    card: &crate::storage::CardRow,
    text: &str,
) -> Result<Section> {
    let starts = collection.reader().section_lines(note_id)?;
    let line = card.line.max(1) as usize;
    let mut first_line = starts
        .iter()
        .rev()
        .find(|l| **l <= line)
        .copied()
        .unwrap_or(1);
    // A heading between that section card and the card (its own section
    // made no card) starts the card's section.
    let lines: Vec<&str> = text.lines().collect();
    let heading = place::last_heading_at_or_before(&lines, line);
    if let Some(h) = heading.filter(|h| *h > first_line) {
        first_line = h;
    }
    let first_text = lines.get(first_line - 1).copied().unwrap_or_default();
    // A section starts at its heading, or at a label read as one
    // (implicit headings); a note's title section at its first line of
    // text.
    let label = card
        .heading_path
        .last()
        .map(|h| place::fold(h))
        .filter(|h| !h.is_empty());
    let has_heading = heading == Some(first_line)
        || (card.heading_path.len() > 1
            && label.is_some_and(|h| place::fold(first_text).contains(h.trim_end_matches(':'))));
    let tagged_cloze = card.tags.iter().any(|t| t == crate::markdown::CLOZE_TAG);
    Ok(Section {
        first_line,
        next_line: starts.iter().copied().find(|l| *l > first_line),
        has_heading,
        tagged_cloze,
    })
}

fn read_note(path: &str) -> Result<Vec<u8>> {
    let context = || format!("reading {path}");
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io(context(), e))?
        .len();
    if size > MAX_NOTE_BYTES {
        return Err(refuse(
            path,
            format!("the note is larger than {} MB", MAX_NOTE_BYTES >> 20),
        ));
    }
    std::fs::read(path).map_err(|e| Error::io(context(), e))
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over
/// `path` if the file still hashes to `expected`: a reader sees the old
/// note or the new one, never half of one, and a change made on disk in
/// between is never overwritten.
fn replace_if_unchanged(path: &Path, bytes: &[u8], expected: &str) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A fresh name (the note's new content hash and this process), created
    // only if nothing is there: never through a link left in its place.
    let tag = &blake3::hash(bytes).to_hex()[..16];
    let temp: PathBuf = dir.join(format!(".{name}.notedeck-{}-{tag}.tmp", std::process::id()));
    let context = |what: &str| format!("{what} {}", temp.display());
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .map_err(|e| Error::io(context("creating"), e))?;
    let result = (|| {
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io(context("writing"), e))?;
        if let Ok(meta) = std::fs::metadata(path) {
            // Keep the note's permissions.
            let _ = std::fs::set_permissions(&temp, meta.permissions());
        }
        let now = read_note(&path.to_string_lossy())?;
        if blake3::hash(&now).to_hex().as_str() != expected {
            return Err(refuse(
                &path.to_string_lossy(),
                "the note changed on disk while the card was being written: nothing was written; import it again and make the card again",
            ));
        }
        std::fs::rename(&temp, path).map_err(|e| Error::io(context("renaming"), e))?;
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
