//! Finding the notes that `![[Other note]]` embeds, inside the vault only.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::files;
use crate::markdown::{embed, logseq};
use crate::text;

/// Finds embedded notes by name (as Obsidian does: `Other`, `folder/Other`,
/// with or without `.md`) inside one vault, and reads the part embedded.
pub struct NoteFinder {
    root: Option<PathBuf>,
    /// The vault is a Logseq graph (it has a `logseq/` folder).
    logseq_graph: bool,
    /// Lower-case file stem and vault-relative path (without ending) →
    /// the note; built on first use.
    index: RefCell<Option<HashMap<String, PathBuf>>>,
    /// Logseq block id → the block's text; built on first use.
    block_ids: RefCell<Option<HashMap<String, String>>>,
}

impl NoteFinder {
    /// A finder for the vault at `root` (canonical).
    pub fn new(root: Option<PathBuf>) -> NoteFinder {
        let root = root.and_then(|r| std::fs::canonicalize(r).ok());
        NoteFinder {
            logseq_graph: root.as_ref().is_some_and(|r| r.join("logseq").is_dir()),
            root,
            index: RefCell::new(None),
            block_ids: RefCell::new(None),
        }
    }

    /// True when the vault is a Logseq graph.
    pub fn logseq_graph(&self) -> bool {
        self.logseq_graph
    }

    /// The Markdown `reference` (`Note`, `Note#Heading`, `Note#^id`)
    /// embeds, or `None` when the note, heading or block is not there.
    pub fn find(&self, reference: &str) -> Option<String> {
        let root = self.root.as_deref()?;
        if let Some(uuid) = reference
            .strip_prefix("((")
            .and_then(|r| r.strip_suffix("))"))
        {
            return self.block(root, uuid);
        }
        let (name, anchor) = match reference.split_once('#') {
            Some((name, anchor)) => (name.trim(), Some(anchor)),
            None => (reference.trim(), None),
        };
        let key = name
            .trim_start_matches('/')
            .trim_end_matches(".md")
            .to_lowercase();
        if key.is_empty() {
            return None;
        }
        let path = self.lookup(root, &key)?;
        let real = std::fs::canonicalize(&path).ok()?;
        if !real.starts_with(root) {
            return None;
        }
        let files::Read::Bytes(bytes) =
            files::read_limited(&real, super::DEFAULT_MAX_FILE_BYTES).ok()?
        else {
            return None;
        };
        let decoded = text::decode(&bytes).ok()?;
        // A Logseq page is embedded as its author sees it.
        let (_, body, _) = crate::markdown::frontmatter::split(&decoded.text);
        if self.logseq_graph || logseq::looks_like_logseq(body) {
            let (page, _) = logseq::to_markdown_with(body, Some(&|r: &str| self.find(r)));
            return embed::excerpt(&page, anchor);
        }
        embed::excerpt(&decoded.text, anchor)
    }

    /// The text of the Logseq block whose `id::` is `uuid`, anywhere in
    /// the vault (the pages holding ids are read once, on first use).
    fn block(&self, root: &Path, uuid: &str) -> Option<String> {
        let mut ids = self.block_ids.borrow_mut();
        let ids = ids.get_or_insert_with(|| {
            let (notes, _) = files::walk(root);
            let mut ids = HashMap::new();
            for note in notes {
                let Ok(files::Read::Bytes(bytes)) =
                    files::read_limited(&note.path, super::DEFAULT_MAX_FILE_BYTES)
                else {
                    continue;
                };
                let Ok(decoded) = text::decode(&bytes) else {
                    continue;
                };
                for line in decoded.text.lines() {
                    let line = line.trim();
                    if let Some(id) = line.strip_prefix("id::") {
                        let id = id.trim();
                        if let Some(block) = logseq::block_text(&decoded.text, id) {
                            ids.insert(id.to_owned(), block);
                        }
                    }
                }
            }
            ids
        });
        ids.get(uuid).cloned()
    }

    fn lookup(&self, root: &Path, key: &str) -> Option<PathBuf> {
        let mut index = self.index.borrow_mut();
        let index = index.get_or_insert_with(|| build_index(root));
        index.get(key).cloned()
    }
}

fn build_index(root: &Path) -> HashMap<String, PathBuf> {
    let (notes, _) = files::walk(root);
    let mut index = HashMap::new();
    for note in notes {
        let Ok(relative) = note.path.strip_prefix(root) else {
            continue;
        };
        let relative = relative.with_extension("");
        let relative = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
            .to_lowercase();
        index.insert(relative, note.path.clone());
        if let Some(stem) = note.path.file_stem() {
            index
                .entry(stem.to_string_lossy().to_lowercase())
                .or_insert_with(|| note.path.clone());
        }
    }
    index
}
