//! Which file names and contents are media a card may show: a file is
//! media only when its extension names a known kind **and** its first
//! bytes are that kind's signature (so `evil.png` holding HTML is
//! refused). Pure: the collection's media folder and serving are the
//! core's.

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
