//! An Anki package (`.apkg`, `.colpkg`) opened safely: a zip holding the
//! collection (`collection.anki21b`: zstd-compressed SQLite at schema 18;
//! else `collection.anki21` or `collection.anki2`: SQLite at schema 11),
//! a media list (`media`: a zstd-compressed protobuf in the current
//! format, JSON in the legacy one) and the media files under their
//! numbers (zstd-compressed in the current format).
//!
//! Everything read is bounded (entries, each file's size after
//! decompression, the media names), so a zip bomb or a hostile name costs
//! an error, not the disk; nothing is written but the collection, into a
//! temporary folder of its own.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::AnkiError;

/// The most entries a package may hold.
const MAX_ENTRIES: usize = 500_000;
/// The largest collection read (after decompression).
const MAX_COLLECTION_BYTES: u64 = 2 << 30;
/// The largest media file read (after decompression).
pub const MAX_MEDIA_BYTES: u64 = 256 << 20;
/// The largest media list read.
const MAX_MEDIA_LIST_BYTES: u64 = 64 << 20;

/// Which collection file the package holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `collection.anki21b`: schema 18, zstd (Anki 2.1.50 and later).
    Current,
    /// `collection.anki21` or `collection.anki2`: schema 11.
    Legacy,
}

/// A media file the package holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaEntry {
    /// Its name as notes refer to it.
    pub name: String,
    /// Its entry in the zip (a number).
    pub entry: String,
}

/// An opened package: its collection copied out into a temporary folder,
/// its media list read.
pub struct Package {
    archive: zip::ZipArchive<std::fs::File>,
    /// The format it was written in.
    pub format: Format,
    /// Its media, in the list's order.
    pub media: Vec<MediaEntry>,
    /// Names in the media list refused (a path, a hidden file), with why.
    pub refused_media: Vec<(String, String)>,
    dir: tempfile::TempDir,
}

impl std::fmt::Debug for Package {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Package")
            .field("format", &self.format)
            .field("media", &self.media.len())
            .finish()
    }
}

impl Package {
    /// Opens the package at `path`.
    pub fn open(path: &Path) -> Result<Package, AnkiError> {
        let file = std::fs::File::open(path).map_err(|e| AnkiError::Unreadable {
            path: path.to_owned(),
            why: e.to_string(),
        })?;
        let mut archive = zip::ZipArchive::new(file).map_err(|e| AnkiError::NotAPackage {
            path: path.to_owned(),
            why: format!("not a zip archive ({e})"),
        })?;
        if archive.len() > MAX_ENTRIES {
            return Err(AnkiError::NotAPackage {
                path: path.to_owned(),
                why: format!(
                    "{} entries, more than any Anki package holds",
                    archive.len()
                ),
            });
        }
        let (name, format) = [
            "collection.anki21b",
            "collection.anki21",
            "collection.anki2",
        ]
        .into_iter()
        .find(|n| archive.by_name(n).is_ok())
        .map(|n| {
            let format = if n.ends_with('b') {
                Format::Current
            } else {
                Format::Legacy
            };
            (n, format)
        })
        .ok_or_else(|| AnkiError::NotAPackage {
            path: path.to_owned(),
            why: "it holds no collection.anki21b, collection.anki21 or collection.anki2".into(),
        })?;
        let dir = tempfile::tempdir().map_err(|e| AnkiError::Unreadable {
            path: std::env::temp_dir(),
            why: e.to_string(),
        })?;
        let target = dir.path().join("collection.sqlite3");
        let mut file = std::fs::File::create(&target).map_err(|e| AnkiError::Unreadable {
            path: target.clone(),
            why: e.to_string(),
        })?;
        copy_entry(
            &mut archive,
            name,
            (MAX_COLLECTION_BYTES, format),
            &mut file,
        )?;
        let has_media_list = archive.by_name("media").is_ok();
        let (media, refused_media) = if has_media_list {
            media_list(&read_entry(
                &mut archive,
                "media",
                MAX_MEDIA_LIST_BYTES,
                format,
            )?)?
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(Package {
            archive,
            format,
            media,
            refused_media,
            dir,
        })
    }

    /// The collection, copied out (SQLite reads it from there).
    pub fn collection_path(&self) -> PathBuf {
        self.dir.path().join("collection.sqlite3")
    }

    /// The bytes of a media file (decompressed), at most
    /// [`MAX_MEDIA_BYTES`]; `None` when the package lacks it.
    pub fn media_bytes(&mut self, media: &MediaEntry) -> Result<Option<Vec<u8>>, AnkiError> {
        if self.archive.by_name(&media.entry).is_err() {
            return Ok(None);
        }
        read_entry(
            &mut self.archive,
            &media.entry,
            MAX_MEDIA_BYTES,
            self.format,
        )
        .map(Some)
    }
}

/// Copies one entry to `out`, decompressing it as it goes when the
/// format compresses entries with zstd (a collection can be large: it is
/// never held in memory whole), and refuses one larger than `limit` once
/// decompressed. Returns the bytes written.
fn copy_entry<R: std::io::Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
    (limit, format): (u64, Format),
    out: &mut dyn std::io::Write,
) -> Result<u64, AnkiError> {
    let damaged = |why: String| AnkiError::Damaged {
        entry: name.to_owned(),
        why,
    };
    let mut entry = archive.by_name(name).map_err(|e| damaged(e.to_string()))?;
    let mut magic = [0u8; 4];
    let mut got = 0;
    while got < magic.len() {
        match entry.read(&mut magic[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => return Err(damaged(e.to_string())),
        }
    }
    let head = std::io::Cursor::new(magic[..got].to_vec());
    let mut source: Box<dyn Read + '_> = Box::new(head.chain(entry));
    if format == Format::Current && magic[..got] == [0x28, 0xb5, 0x2f, 0xfd] {
        let decoder = ruzstd::decoding::StreamingDecoder::new(source)
            .map_err(|e| damaged(format!("not zstd ({e})")))?;
        source = Box::new(decoder);
    }
    let copied = std::io::copy(
        &mut std::io::BufReader::with_capacity(1 << 20, source.take(limit + 1)),
        out,
    )
    .map_err(|e| damaged(e.to_string()))?;
    if copied > limit {
        return Err(damaged(format!(
            "larger than {} MiB once decompressed",
            limit >> 20
        )));
    }
    Ok(copied)
}

/// Reads one entry whole (see [`copy_entry`]).
fn read_entry<R: std::io::Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
    limit: u64,
    format: Format,
) -> Result<Vec<u8>, AnkiError> {
    let mut bytes = Vec::new();
    copy_entry(archive, name, (limit, format), &mut bytes)?;
    Ok(bytes)
}

/// The media named in a package's list, and the names refused with why.
type MediaList = (Vec<MediaEntry>, Vec<(String, String)>);

/// The media list: JSON `{"0": "name.png"}` (legacy), or the protobuf
/// `MediaEntries { repeated MediaEntry entries = 1 }` with
/// `MediaEntry { string name = 1; uint32 size = 2; bytes sha1 = 3;
/// optional uint32 legacy_zip_filename = 255 }` (current), where the n-th
/// entry's file is the zip entry `n` unless it names another.
fn media_list(bytes: &[u8]) -> Result<MediaList, AnkiError> {
    let damaged = |why: &str| AnkiError::Damaged {
        entry: "media".into(),
        why: why.to_owned(),
    };
    let mut named: Vec<(String, String)> = Vec::new();
    if bytes.first() == Some(&b'{') {
        let map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(bytes).map_err(|_| damaged("not the JSON media list"))?;
        for (entry, name) in map {
            if let Some(name) = name.as_str() {
                named.push((entry, name.to_owned()));
            }
        }
        named.sort_by_key(|(entry, _)| entry.parse::<u64>().unwrap_or(u64::MAX));
    } else {
        let entries = crate::proto::fields(bytes).ok_or_else(|| damaged("not a media list"))?;
        for (index, (number, value)) in entries.into_iter().enumerate() {
            let crate::proto::Value::Bytes(entry) = value else {
                continue;
            };
            if number != 1 {
                continue;
            }
            let fields = crate::proto::fields(entry).ok_or_else(|| damaged("a damaged entry"))?;
            let name = fields.iter().find_map(|(n, v)| match (n, v) {
                (1, crate::proto::Value::Bytes(b)) => std::str::from_utf8(b).ok(),
                _ => None,
            });
            let zip_name = fields.iter().find_map(|(n, v)| match (n, v) {
                (255, crate::proto::Value::Varint(z)) => Some(z.to_string()),
                _ => None,
            });
            if let Some(name) = name {
                named.push((
                    zip_name.unwrap_or_else(|| index.to_string()),
                    name.to_owned(),
                ));
            }
        }
    }
    let mut media = Vec::new();
    let mut refused = Vec::new();
    for (entry, name) in named {
        match safe_media_name(&name) {
            Ok(()) => media.push(MediaEntry { name, entry }),
            Err(why) => refused.push((name, why.to_owned())),
        }
    }
    Ok((media, refused))
}

/// A media name is a plain file name: no folder, no `..`, not hidden, no
/// control characters, at most 255 bytes.
pub fn safe_media_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() || name.len() > 255 {
        return Err("an empty or overlong name");
    }
    if name.contains(['/', '\\', ':']) || name == "." || name == ".." {
        return Err("a path, not a file name");
    }
    if name.starts_with('.') {
        return Err("a hidden file");
    }
    if name.chars().any(char::is_control) {
        return Err("control characters in its name");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn an_entry_larger_than_its_bound_once_decompressed_is_refused() {
        let mut bytes = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut bytes);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("0", options).expect("entry");
            zip.write_all(&vec![0u8; 64 * 1024]).expect("write");
            zip.finish().expect("finish");
        }
        assert!(bytes.get_ref().len() < 1024, "a small bomb");
        let mut archive = zip::ZipArchive::new(bytes).expect("zip");
        let refused = read_entry(&mut archive, "0", 4096, Format::Legacy).expect_err("bounded");
        assert!(refused.to_string().contains("larger than"), "{refused}");
        assert_eq!(
            read_entry(&mut archive, "0", 1 << 20, Format::Legacy)
                .expect("within")
                .len(),
            64 * 1024
        );
    }

    #[test]
    fn media_names_are_plain_file_names() {
        for bad in ["../x.png", "a/b.png", ".hidden", "", "c:\\x", "a\u{7}.png"] {
            assert!(safe_media_name(bad).is_err(), "{bad:?}");
        }
        assert!(safe_media_name("cell image (1).png").is_ok());
    }
}
