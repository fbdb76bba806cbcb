//! Local images referenced by notes, copied into the collection's media
//! folder under a name made of their content hash.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// An image to copy into the media folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    /// Where the image is now.
    pub from: PathBuf,
    /// Its content-addressed name in the media folder.
    pub name: String,
}

/// Finds images for one import: relative to the note, or anywhere under the
/// import folder by file name (as Obsidian resolves `![[image.png]]`).
pub struct MediaResolver {
    root: Option<PathBuf>,
    by_name: Option<HashMap<String, PathBuf>>,
}

impl MediaResolver {
    /// A resolver for notes under `root` (the imported folder, if any).
    pub fn new(root: Option<PathBuf>) -> MediaResolver {
        MediaResolver {
            root,
            by_name: None,
        }
    }

    /// Resolves `reference` written in the note at `note_dir`; on success
    /// returns the media file to copy.
    pub fn resolve(&mut self, note_dir: &Path, reference: &str, embed: bool) -> Option<MediaFile> {
        let decoded = percent_decode(reference.split(['#', '?']).next().unwrap_or(reference));
        let candidate = note_dir.join(&decoded);
        let path = if candidate.is_file() {
            Some(candidate)
        } else if embed || !decoded.contains('/') {
            let name = Path::new(&decoded)
                .file_name()?
                .to_string_lossy()
                .to_lowercase();
            self.index().get(&name).cloned()
        } else {
            None
        }?;
        let bytes = std::fs::read(&path).ok()?;
        let hash = blake3::hash(&bytes).to_hex();
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_else(|| "bin".into());
        Some(MediaFile {
            from: path,
            name: format!("{}.{ext}", &hash[..20]),
        })
    }

    fn index(&mut self) -> &HashMap<String, PathBuf> {
        let root = self.root.clone();
        self.by_name.get_or_insert_with(|| {
            let mut map = HashMap::new();
            if let Some(root) = root {
                for entry in walkdir::WalkDir::new(root)
                    .into_iter()
                    .filter_entry(|e| {
                        e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                    })
                    .flatten()
                {
                    if entry.file_type().is_file() {
                        map.entry(entry.file_name().to_string_lossy().to_lowercase())
                            .or_insert_with(|| entry.path().to_owned());
                    }
                }
            }
            map
        })
    }
}

/// Copies media files into `dir`, skipping those already there.
pub fn copy_all(dir: &Path, files: &[MediaFile]) -> Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    for file in files {
        let target = dir.join(&file.name);
        if !target.exists() {
            let partial = dir.join(format!("{}.partial", file.name));
            std::fs::copy(&file.from, &partial)
                .and_then(|_| std::fs::rename(&partial, &target))
                .map_err(|e| {
                    Error::io(
                        format!(
                            "cannot copy {} to {}",
                            file.from.display(),
                            target.display()
                        ),
                        e,
                    )
                })?;
        }
    }
    Ok(())
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
