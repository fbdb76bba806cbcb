//! Which files may be media in a card, and how they are served.
//!
//! A note may show images, play audio and video, and link a PDF. Nothing
//! else it references is ever copied into the collection or served: a file
//! is media only when its extension names a known kind **and** its first
//! bytes are that kind's signature (so `evil.png` holding HTML is refused).
//! Every shell serves a media file with the fixed content type of its kind,
//! never one guessed from the content.

use std::io::Read;
use std::path::Path;

pub use notedeck_markdown::media::{
    content_type, extension, is_media_file_name, kind_of_name, sniff_matches, MediaKind,
    MAX_MEDIA_BYTES, SNIFF_BYTES,
};

/// Why a file cannot be media, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The extension is not an image, audio, video or PDF ending.
    NotMedia,
    /// The content does not start like the kind its name claims.
    ContentMismatch,
    /// The file is over [`MAX_MEDIA_BYTES`].
    TooLarge,
    /// Not a regular file (a folder, FIFO, device or socket).
    NotAFile,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::NotMedia => "not an image, audio, video or PDF file",
            Refusal::ContentMismatch => "its content is not what its file ending says",
            Refusal::TooLarge => "over the 256 MB limit for one media file",
            Refusal::NotAFile => "not a regular file",
        })
    }
}

/// Checks the file at `path` (already opened as `file`) as media named
/// `name`: a regular file of a media kind whose content matches.
pub fn check_file(name: &str, file: &std::fs::File) -> Result<MediaKind, Refusal> {
    let kind = kind_of_name(name).ok_or(Refusal::NotMedia)?;
    let meta = file.metadata().map_err(|_| Refusal::NotAFile)?;
    if !meta.is_file() {
        return Err(Refusal::NotAFile);
    }
    if meta.len() > MAX_MEDIA_BYTES {
        return Err(Refusal::TooLarge);
    }
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    file.take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|_| Refusal::NotAFile)?;
    if sniff_matches(name, &head) {
        Ok(kind)
    } else {
        Err(Refusal::ContentMismatch)
    }
}

/// Opens `path` for reading without following a final symbolic link and
/// without blocking on a FIFO.
pub fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options.open(path)
}

/// A media file opened for serving: the open file, its length and the
/// content type of its kind.
#[derive(Debug)]
pub struct Served {
    /// The open file.
    pub file: std::fs::File,
    /// Its length in bytes.
    pub len: u64,
    /// The fixed content type of its kind.
    pub content_type: &'static str,
    /// What it is (a PDF is downloaded, not shown).
    pub kind: MediaKind,
}

/// Opens `name` in the media folder `dir` for serving, the one rule every
/// shell follows: the name must be a content hash with a media ending, and
/// the entry a regular file (links are not followed). `None` otherwise.
pub fn open_served(dir: &Path, name: &str) -> Option<Served> {
    if !is_media_file_name(name) {
        return None;
    }
    let content_type = content_type(name)?;
    let kind = kind_of_name(name)?;
    let file = open_no_follow(&dir.join(name)).ok()?;
    let meta = file.metadata().ok()?;
    meta.is_file().then_some(Served {
        file,
        len: meta.len(),
        content_type,
        kind,
    })
}

/// Removes from a media folder everything the media rule refuses: links,
/// names that are not a content hash with a media ending, and files whose
/// content does not match their ending. Returns each name removed with
/// the reason. Temporary `.partial` files are removed without a report.
pub fn clean_folder(dir: &Path) -> Vec<(String, String)> {
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            continue;
        }
        if name.ends_with(".partial") {
            let _ = std::fs::remove_file(&path);
            continue;
        }
        let reason = if meta.file_type().is_symlink() {
            Some("a link, not a file".to_owned())
        } else if !is_media_file_name(&name) {
            Some(Refusal::NotMedia.to_string())
        } else {
            match open_no_follow(&path) {
                Ok(file) => check_file(&name, &file)
                    .err()
                    .filter(|r| *r != Refusal::TooLarge)
                    .map(|r| r.to_string()),
                Err(_) => None,
            }
        };
        if let Some(reason) = reason {
            if std::fs::remove_file(&path).is_ok() {
                removed.push((name, reason));
            }
        }
    }
    removed.sort();
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_content_must_agree() {
        assert!(sniff_matches("a.png", b"\x89PNG\r\n\x1a\nrest"));
        assert!(!sniff_matches("a.png", b"<html><script>alert(1)</script>"));
        assert!(!sniff_matches("a.html", b"<html>"));
        assert!(sniff_matches("a.PDF", b"%PDF-1.7"));
        assert!(sniff_matches(
            "x.svg",
            b"<?xml version=\"1.0\"?>\n<!-- c -->\n<svg xmlns"
        ));
        assert!(!sniff_matches("x.svg", b"<html><svg>"));
        assert!(sniff_matches("m.mp4", b"\0\0\0\x18ftypisom...."));
        assert!(sniff_matches("s.ogg", b"OggS\0"));
        assert!(!sniff_matches("s.js", b"alert(1)"));
    }

    #[test]
    fn only_media_names_are_served() {
        assert_eq!(content_type("abc.png"), Some("image/png"));
        assert_eq!(content_type("abc.html"), None);
        assert_eq!(content_type("abc.js"), None);
        assert_eq!(content_type("abc"), None);
        assert!(is_media_file_name("0123abcd.png"));
        assert!(!is_media_file_name("0123abcd.html"));
        assert!(!is_media_file_name("..png"));
        assert!(!is_media_file_name("a.png.partial"));
        assert!(!is_media_file_name("a/b.png"));
        assert_eq!(kind_of_name("talk.MP3"), Some(MediaKind::Audio));
        assert_eq!(kind_of_name(".png"), None);
    }
}
