//! Finding note files and reading them without surprises.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

/// File endings read as notes.
pub const NOTE_EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// A note file found under an import path.
#[derive(Debug, Clone)]
pub struct NoteFile {
    /// Absolute path.
    pub path: PathBuf,
    /// Folder names between the import folder and the file.
    pub folders: Vec<String>,
}

/// True for `.md`, `.markdown` and `.txt` files.
pub fn is_note(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| NOTE_EXTENSIONS.iter().any(|n| e.eq_ignore_ascii_case(n)))
}

/// Note files below `root`, sorted, skipping hidden files and folders
/// (`.git`, `.obsidian`, …). Folders that cannot be read are returned as
/// errors beside the files.
pub fn walk(root: &Path) -> (Vec<NoteFile>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() && is_note(entry.path()) => {
                let folders = entry
                    .path()
                    .parent()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map(|rel| {
                        rel.components()
                            .map(|c| c.as_os_str().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                files.push(NoteFile {
                    path: entry.path().to_owned(),
                    folders,
                });
            }
            Ok(_) => {}
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_owned)
                    .unwrap_or_else(|| root.to_owned());
                errors.push((path, err.to_string()));
            }
        }
    }
    (files, errors)
}

/// Size and modification time (ns since the epoch) of a file.
pub fn stat(path: &Path) -> std::io::Result<(i64, i64)> {
    let meta = std::fs::metadata(path)?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0);
    Ok((meta.len() as i64, mtime))
}

/// Human-readable size: `52.4 MB`.
pub fn human_size(bytes: u64) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    if mb >= 1.0 {
        format!("{mb:.1} MB")
    } else {
        format!("{:.1} kB", bytes as f64 / 1000.0)
    }
}
