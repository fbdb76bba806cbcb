//! Noticing when another device's records arrive: a watch on the sync
//! folder's `notedeck-sync` directory (inotify on Linux, FSEvents on macOS,
//! ReadDirectoryChangesW on Windows, through `notify`). Only creations,
//! changes and removals in other devices' folders count; this device's own
//! appends and every read are ignored, so a sync never wakes itself.

use std::path::{Path, PathBuf};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::files;

/// A watch that lasts as long as this value.
pub struct FolderWatch {
    _watcher: notify::RecommendedWatcher,
    /// The sync folder watched.
    pub folder: PathBuf,
}

impl std::fmt::Debug for FolderWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FolderWatch")
            .field("folder", &self.folder)
            .finish()
    }
}

/// Calls `wake` whenever another device's files in `folder` change
/// (`me`: this device's id, whose own folder is ignored). `Err` says why
/// the folder cannot be watched (a network drive, the system's limit on
/// watches): syncing then relies on its regular pace alone.
pub fn watch(
    folder: &Path,
    me: &str,
    wake: impl Fn() + Send + 'static,
) -> Result<FolderWatch, String> {
    let root = folder.join(files::ROOT);
    std::fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    let own = root.join(me);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else {
            return;
        };
        let changed = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
        );
        if changed && event.paths.iter().any(|p| !p.starts_with(&own)) {
            wake();
        }
    })
    .map_err(|e| e.to_string())?;
    watcher
        .watch(&root, RecursiveMode::Recursive)
        .map_err(|e| format!("{}: {e}", root.display()))?;
    Ok(FolderWatch {
        _watcher: watcher,
        folder: folder.to_owned(),
    })
}
