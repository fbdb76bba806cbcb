//! A note as one read-only page, read from disk now: what "Open note"
//! shows on a device that cannot open the file (a phone). Only notes of
//! the collection are read, within [`MAX_PAGE_BYTES`]; images resolve as
//! the importer resolves them (inside the imported folder only) and show
//! when the collection's media folder holds them.

use std::path::{Path, PathBuf};

use crate::import::files::Read;
use crate::import::media::{MediaResolver, Resolved};
use crate::markdown::{text, whole};
use crate::storage::{media_dir_of, Collection};
use crate::{Error, Result};

/// The largest note shown as a page (larger ones show their cards).
pub const MAX_PAGE_BYTES: u64 = 2 << 20;

/// Why a note's page could not be made from its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoPage {
    /// The file cannot be read now (moved, removed, not allowed).
    Unreadable(String),
    /// It is larger than [`MAX_PAGE_BYTES`].
    TooLarge,
    /// It is not text.
    NotText,
}

/// The note at `path` (a note of the collection) rendered whole, or why
/// not; `Err` only when the collection cannot be read or `path` is not
/// one of its notes.
pub fn note_page(
    collection: &Collection,
    path: &str,
) -> Result<std::result::Result<String, NoPage>> {
    let reader = collection.reader();
    let Some(note) = reader.note_by_path(path)? else {
        return Err(Error::PathNotFound {
            path: PathBuf::from(path),
        });
    };
    let source = match note.source_id {
        Some(id) => reader.sources()?.into_iter().find(|s| s.id == id),
        None => None,
    };
    let file = Path::new(path);
    let root = match &source {
        Some(source) if source.is_dir => Some(PathBuf::from(&source.path)),
        _ => file.parent().map(Path::to_path_buf),
    };
    // Read as the importer reads notes: bounded while reading, and a FIFO
    // or device in its place never blocks.
    let bytes = match crate::import::files::read_limited(file, MAX_PAGE_BYTES) {
        Ok(Read::Bytes(bytes)) => bytes,
        Ok(Read::TooLarge) => return Ok(Err(NoPage::TooLarge)),
        Ok(Read::NotAFile(kind)) => return Ok(Err(NoPage::Unreadable(format!("it is {kind}")))),
        Err(e) => return Ok(Err(NoPage::Unreadable(e.to_string()))),
    };
    let Ok(decoded) = text::decode(&bytes) else {
        return Ok(Err(NoPage::NotText));
    };
    let media_dir = media_dir_of(collection.path());
    let note_dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
    let jekyll = crate::import::files::in_jekyll_site(file, root.as_deref());
    let mut resolver = MediaResolver::new(root);
    let html =
        whole::render_whole_note(
            &decoded.text,
            jekyll,
            &mut |reference, embed| match resolver.resolve(&note_dir, reference, embed) {
                Resolved::Found(found) if media_dir.join(&found.name).is_file() => {
                    Some(format!("media/{}", found.name))
                }
                _ => None,
            },
        );
    Ok(Ok(html))
}
