//! The converted notes and their media written into the folder chosen
//! (`--into`): each note file atomically (a temporary file beside it,
//! renamed over it), and never over a change made on disk: a note file
//! notedeck wrote carries the hash of its text in its front matter, and
//! one edited since (or not written by notedeck) is left as it is and
//! reported. Media are copied into `media/` once; a different file there
//! under the same name is left and reported. Nothing is written outside
//! the folder: every path is made here from checked names.

use std::path::{Path, PathBuf};

use crate::notes::{NoteFile, MEDIA_FOLDER};
use crate::AnkiError;

/// The front-matter line holding the hash of what notedeck wrote.
const HASH_KEY: &str = "notedeck_written";

/// What happened to one note file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileOutcome {
    /// Written anew.
    Written,
    /// Already as it would be written.
    Unchanged,
    /// Rewritten: notedeck wrote it before and it was not edited since.
    Updated,
    /// Left as it is: edited since notedeck wrote it (or not notedeck's).
    Kept,
}

/// The text as written: the front matter gains the hash of the whole
/// text, so a later write can tell an edit.
pub fn stamped(text: &str) -> String {
    let hash = blake3::hash(text.as_bytes()).to_hex();
    match text.strip_prefix("---\n") {
        Some(rest) => format!("---\n{HASH_KEY}: {}\n{rest}", &hash[..16]),
        None => text.to_owned(),
    }
}

/// Whether `existing` is a note notedeck wrote and nobody edited since.
fn unedited(existing: &str) -> bool {
    let Some(rest) = existing.strip_prefix("---\n") else {
        return false;
    };
    let Some((line, body)) = rest.split_once('\n') else {
        return false;
    };
    let Some(hash) = line.strip_prefix(&format!("{HASH_KEY}: ")) else {
        return false;
    };
    let original = format!("---\n{body}");
    blake3::hash(original.as_bytes()).to_hex()[..16] == *hash
}

/// Writes one note file under `into` (unless `dry_run`).
pub fn write_note(into: &Path, file: &NoteFile, dry_run: bool) -> Result<FileOutcome, AnkiError> {
    let path = into.join(&file.path);
    let text = stamped(&file.text);
    let outcome = match std::fs::read_to_string(&path) {
        Ok(existing) if existing == text => FileOutcome::Unchanged,
        Ok(existing) if unedited(&existing) => FileOutcome::Updated,
        Ok(_) => FileOutcome::Kept,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileOutcome::Written,
        Err(e) => return Err(io(&path, e)),
    };
    if dry_run || matches!(outcome, FileOutcome::Unchanged | FileOutcome::Kept) {
        return Ok(outcome);
    }
    atomic_write(&path, text.as_bytes())?;
    Ok(outcome)
}

/// What happened to one media file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaOutcome {
    /// Copied.
    Copied,
    /// Already there, the same.
    Present,
    /// A different file is there under that name: left.
    Conflict,
}

/// Copies one media file into `into/media/` (its name already checked).
pub fn write_media(
    into: &Path,
    name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<MediaOutcome, AnkiError> {
    crate::package::safe_media_name(name).map_err(|why| AnkiError::Damaged {
        entry: name.to_owned(),
        why: why.to_owned(),
    })?;
    let path = into.join(MEDIA_FOLDER).join(name);
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if !meta.is_file() => return Ok(MediaOutcome::Conflict),
        Ok(_) => {
            let same = std::fs::read(&path).is_ok_and(|existing| existing == bytes);
            return Ok(if same {
                MediaOutcome::Present
            } else {
                MediaOutcome::Conflict
            });
        }
        Err(_) => {}
    }
    if !dry_run {
        atomic_write(&path, bytes)?;
    }
    Ok(MediaOutcome::Copied)
}

/// Writes `bytes` to `path` through a temporary file beside it.
fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), AnkiError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| io(dir, e))?;
    std::io::Write::write_all(&mut temp, bytes).map_err(|e| io(path, e))?;
    temp.as_file().sync_all().map_err(|e| io(path, e))?;
    temp.persist(path).map_err(|e| io(path, e.error))?;
    Ok(())
}

fn io(path: &Path, e: std::io::Error) -> AnkiError {
    AnkiError::Unwritable {
        path: PathBuf::from(path),
        why: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_edited_since_it_was_written_is_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let file = NoteFile {
            path: "Deck/Sub.md".into(),
            deck: "Deck::Sub".into(),
            text: "---\ntitle: \"Sub\"\n---\n\nA::B\n".into(),
            notes: 1,
        };
        assert_eq!(
            write_note(dir.path(), &file, false).expect("write"),
            FileOutcome::Written
        );
        assert_eq!(
            write_note(dir.path(), &file, false).expect("again"),
            FileOutcome::Unchanged
        );
        let newer = NoteFile {
            text: "---\ntitle: \"Sub\"\n---\n\nA::C\n".into(),
            ..file.clone()
        };
        assert_eq!(
            write_note(dir.path(), &newer, false).expect("update"),
            FileOutcome::Updated
        );
        let path = dir.path().join("Deck/Sub.md");
        let edited = std::fs::read_to_string(&path).expect("read") + "My own line\n";
        std::fs::write(&path, &edited).expect("edit");
        assert_eq!(
            write_note(dir.path(), &file, false).expect("kept"),
            FileOutcome::Kept
        );
        assert_eq!(std::fs::read_to_string(&path).expect("read"), edited);
    }
}
