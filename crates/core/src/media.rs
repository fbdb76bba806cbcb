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

/// What a media file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    /// Shown as an image.
    Image,
    /// Played as audio.
    Audio,
    /// Played as video.
    Video,
    /// A PDF document, opened outside the card.
    Pdf,
}

/// One accepted file ending: its kind, content type and signature check.
struct Format {
    ext: &'static str,
    kind: MediaKind,
    content_type: &'static str,
    sniff: fn(&[u8]) -> bool,
}

/// Bytes read from the start of a file to check its signature.
pub const SNIFF_BYTES: usize = 512;

/// The largest media file copied from a note (bigger ones are left out, with
/// a warning).
pub const MAX_MEDIA_BYTES: u64 = 256 * 1024 * 1024;

fn starts(prefix: &'static [u8]) -> impl Fn(&[u8]) -> bool {
    move |head: &[u8]| head.starts_with(prefix)
}

fn png(h: &[u8]) -> bool {
    starts(b"\x89PNG\r\n\x1a\n")(h)
}
fn jpeg(h: &[u8]) -> bool {
    starts(b"\xff\xd8\xff")(h)
}
fn gif(h: &[u8]) -> bool {
    starts(b"GIF87a")(h) || starts(b"GIF89a")(h)
}
fn riff(h: &[u8], form: &[u8]) -> bool {
    h.len() >= 12 && &h[..4] == b"RIFF" && &h[8..12] == form
}
fn webp(h: &[u8]) -> bool {
    riff(h, b"WEBP")
}
fn wav(h: &[u8]) -> bool {
    riff(h, b"WAVE")
}
fn bmp(h: &[u8]) -> bool {
    starts(b"BM")(h)
}
fn ico(h: &[u8]) -> bool {
    starts(b"\0\0\x01\0")(h)
}
/// ISO base media (MP4, M4A, MOV, AVIF): a `ftyp` box first.
fn iso_media(h: &[u8]) -> bool {
    h.len() >= 12 && &h[4..8] == b"ftyp"
}
fn avif(h: &[u8]) -> bool {
    iso_media(h) && (&h[8..12] == b"avif" || &h[8..12] == b"avis")
}
fn quicktime(h: &[u8]) -> bool {
    iso_media(h)
        || (h.len() >= 8 && matches!(&h[4..8], b"moov" | b"mdat" | b"wide" | b"free" | b"skip"))
}
fn ogg(h: &[u8]) -> bool {
    starts(b"OggS")(h)
}
fn flac(h: &[u8]) -> bool {
    starts(b"fLaC")(h)
}
fn mp3(h: &[u8]) -> bool {
    starts(b"ID3")(h) || (h.len() >= 2 && h[0] == 0xff && h[1] & 0xe0 == 0xe0)
}
fn aac(h: &[u8]) -> bool {
    h.len() >= 2 && h[0] == 0xff && h[1] & 0xf6 == 0xf0
}
fn matroska(h: &[u8]) -> bool {
    starts(b"\x1a\x45\xdf\xa3")(h)
}
fn pdf(h: &[u8]) -> bool {
    starts(b"%PDF-")(h)
}
/// SVG: XML text whose first element is `<svg`. It is only ever served
/// with a sandboxing policy, so script inside it cannot run.
fn svg(h: &[u8]) -> bool {
    let text = String::from_utf8_lossy(h);
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    loop {
        if rest.starts_with("<svg") {
            return true;
        }
        let skip = if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest.starts_with("<!DOCTYPE svg") || rest.starts_with("<!doctype svg") {
            rest.find('>').map(|i| i + 1)
        } else {
            None
        };
        match skip {
            Some(i) => rest = rest[i..].trim_start(),
            None => return false,
        }
    }
}

#[rustfmt::skip]
const FORMATS: &[Format] = &[
    Format { ext: "png", kind: MediaKind::Image, content_type: "image/png", sniff: png },
    Format { ext: "apng", kind: MediaKind::Image, content_type: "image/apng", sniff: png },
    Format { ext: "jpg", kind: MediaKind::Image, content_type: "image/jpeg", sniff: jpeg },
    Format { ext: "jpeg", kind: MediaKind::Image, content_type: "image/jpeg", sniff: jpeg },
    Format { ext: "gif", kind: MediaKind::Image, content_type: "image/gif", sniff: gif },
    Format { ext: "webp", kind: MediaKind::Image, content_type: "image/webp", sniff: webp },
    Format { ext: "avif", kind: MediaKind::Image, content_type: "image/avif", sniff: avif },
    Format { ext: "bmp", kind: MediaKind::Image, content_type: "image/bmp", sniff: bmp },
    Format { ext: "ico", kind: MediaKind::Image, content_type: "image/x-icon", sniff: ico },
    Format { ext: "svg", kind: MediaKind::Image, content_type: "image/svg+xml", sniff: svg },
    Format { ext: "mp3", kind: MediaKind::Audio, content_type: "audio/mpeg", sniff: mp3 },
    Format { ext: "wav", kind: MediaKind::Audio, content_type: "audio/wav", sniff: wav },
    Format { ext: "ogg", kind: MediaKind::Audio, content_type: "audio/ogg", sniff: ogg },
    Format { ext: "oga", kind: MediaKind::Audio, content_type: "audio/ogg", sniff: ogg },
    Format { ext: "opus", kind: MediaKind::Audio, content_type: "audio/ogg", sniff: ogg },
    Format { ext: "flac", kind: MediaKind::Audio, content_type: "audio/flac", sniff: flac },
    Format { ext: "m4a", kind: MediaKind::Audio, content_type: "audio/mp4", sniff: iso_media },
    Format { ext: "aac", kind: MediaKind::Audio, content_type: "audio/aac", sniff: aac },
    Format { ext: "3gp", kind: MediaKind::Video, content_type: "video/3gpp", sniff: iso_media },
    Format { ext: "mp4", kind: MediaKind::Video, content_type: "video/mp4", sniff: iso_media },
    Format { ext: "m4v", kind: MediaKind::Video, content_type: "video/mp4", sniff: iso_media },
    Format { ext: "mov", kind: MediaKind::Video, content_type: "video/quicktime", sniff: quicktime },
    Format { ext: "webm", kind: MediaKind::Video, content_type: "video/webm", sniff: matroska },
    Format { ext: "mkv", kind: MediaKind::Video, content_type: "video/x-matroska", sniff: matroska },
    Format { ext: "ogv", kind: MediaKind::Video, content_type: "video/ogg", sniff: ogg },
    Format { ext: "pdf", kind: MediaKind::Pdf, content_type: "application/pdf", sniff: pdf },
];

fn format_of(ext: &str) -> Option<&'static Format> {
    FORMATS.iter().find(|f| f.ext.eq_ignore_ascii_case(ext))
}

/// The lower-case extension of a file name or path.
pub fn extension(name: &str) -> Option<String> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, ext) = file.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// The kind a file name's extension claims, if it is a media extension.
pub fn kind_of_name(name: &str) -> Option<MediaKind> {
    extension(name).and_then(|e| format_of(&e)).map(|f| f.kind)
}

/// The content type a media file is served with, from its name; `None` for
/// anything that is not media (and so must not be served).
pub fn content_type(name: &str) -> Option<&'static str> {
    extension(name)
        .and_then(|e| format_of(&e))
        .map(|f| f.content_type)
}

/// True when `head` (a file's first bytes) has the signature of the kind
/// `name`'s extension claims.
pub fn sniff_matches(name: &str, head: &[u8]) -> bool {
    extension(name)
        .and_then(|e| format_of(&e))
        .is_some_and(|f| (f.sniff)(head))
}

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

/// True for a name the media folder may hold and serve: a content hash
/// (letters and digits) and a media extension, nothing else.
pub fn is_media_file_name(name: &str) -> bool {
    let Some((stem, ext)) = name.split_once('.') else {
        return false;
    };
    !stem.is_empty()
        && stem.len() <= 64
        && stem.bytes().all(|b| b.is_ascii_alphanumeric())
        && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        && format_of(ext).is_some()
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
