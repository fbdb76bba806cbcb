//! Finding the notes that `![[Other note]]` embeds, inside the vault only.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::files;
use crate::markdown::budget::{Budget, EMBED_READ_ALLOWANCE, EMBED_READ_FACTOR};
use crate::markdown::render::Resolved;
use crate::markdown::{dendron, embed, logseq};
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
    /// The bytes of other notes the note being parsed may still read for
    /// its embeds (see [`NoteFinder::start_note`]).
    read_left: Cell<usize>,
    /// The note being parsed is a Dendron note: its references are
    /// Dendron's (see [`NoteFinder::set_dendron`]).
    dendron: Cell<bool>,
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
            read_left: Cell::new(usize::MAX),
            dendron: Cell::new(false),
        }
    }

    /// Reads the references of the note being parsed as Dendron's when
    /// `dendron`: a reference shows the part [`embed::dendron_excerpt`]
    /// picks, of the note as Dendron shows it (`{{fm.KEY}}` filled in, its
    /// own references rewritten; see [`dendron::rewrite`]).
    pub fn set_dendron(&self, dendron: bool) {
        self.dendron.set(dendron);
    }

    /// Starts the embeds of a note of `note_bytes` bytes: it may read
    /// [`EMBED_READ_FACTOR`] times its size plus [`EMBED_READ_ALLOWANCE`]
    /// of other notes, so each note's parse stays linear in its size
    /// however often it embeds a long note.
    pub fn start_note(&self, note_bytes: usize) {
        self.read_left.set(
            note_bytes
                .saturating_mul(EMBED_READ_FACTOR)
                .saturating_add(EMBED_READ_ALLOWANCE),
        );
    }

    /// True when the vault is a Logseq graph.
    pub fn logseq_graph(&self) -> bool {
        self.logseq_graph
    }

    /// The Markdown `reference` (`Note`, `Note#Heading`, `Note#^id`)
    /// embeds: missing when the note, heading or block is not there, left
    /// out when reading it would pass the note's read allowance.
    pub fn find(&self, reference: &str) -> Resolved {
        let Some(root) = self.root.as_deref() else {
            return Resolved::Missing;
        };
        if let Some(uuid) = reference
            .strip_prefix("((")
            .and_then(|r| r.strip_suffix("))"))
        {
            return self
                .block(root, uuid)
                .map_or(Resolved::Missing, Resolved::Found);
        }
        match self.find_note(root, reference) {
            Ok(found) => found.map_or(Resolved::Missing, Resolved::Found),
            Err(size) => Resolved::LeftOut(format!(
                "reading it ({}) would make this note read more of other notes than a note may ({EMBED_READ_FACTOR} times its size plus {} MB)",
                crate::markdown::budget::size_in_words(size),
                EMBED_READ_ALLOWANCE >> 20
            )),
        }
    }

    /// The part of a note `reference` embeds; `Err(size)` when reading
    /// the note (of that size) would pass the read allowance.
    fn find_note(&self, root: &Path, reference: &str) -> Result<Option<String>, usize> {
        let (name, anchor) = match reference.split_once('#') {
            Some((name, anchor)) => (name.trim(), Some(anchor)),
            None => (reference.trim(), None),
        };
        let key = name
            .trim_start_matches('/')
            .trim_end_matches(".md")
            .to_lowercase();
        if key.is_empty() {
            return Ok(None);
        }
        let Some(path) = self.lookup(root, &key) else {
            return Ok(None);
        };
        let Some(real) = std::fs::canonicalize(&path).ok() else {
            return Ok(None);
        };
        if !real.starts_with(root) {
            return Ok(None);
        }
        // What reading costs is charged before reading: the file's size.
        let size = std::fs::metadata(&real).map_or(0, |m| m.len());
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        match self.read_left.get().checked_sub(size) {
            Some(left) => self.read_left.set(left),
            None => return Err(size),
        }
        let Ok(files::Read::Bytes(bytes)) =
            files::read_limited(&real, super::DEFAULT_MAX_FILE_BYTES)
        else {
            return Ok(None);
        };
        let Ok(decoded) = text::decode(&bytes) else {
            return Ok(None);
        };
        // A Logseq page is embedded as its author sees it.
        let (_, body, _) = crate::markdown::frontmatter::split(&decoded.text);
        if self.dendron.get() {
            // What filling in `{{fm.KEY}}` copies is bounded as in the
            // note's own parse, and counts as read: many references to a
            // short note that grows cost no more than reading as much.
            let mut budget = Budget::for_note(decoded.text.len());
            let page = dendron::rewrite(&decoded.text, body, &mut budget);
            let grown = page.text.len().saturating_sub(body.len());
            match self.read_left.get().checked_sub(grown) {
                Some(left) => self.read_left.set(left),
                None => {
                    // The rewrite was paid for: nothing more is read.
                    self.read_left.set(0);
                    return Err(size.saturating_add(grown));
                }
            }
            return Ok(embed::dendron_excerpt(&page.text, anchor));
        }
        if self.logseq_graph || logseq::looks_like_logseq(body) {
            let (page, _) = logseq::to_markdown_with(body, Some(&|r: &str| self.find(r)));
            return Ok(embed::excerpt(&page, anchor));
        }
        Ok(embed::excerpt(&decoded.text, anchor))
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
                ids.extend(logseq::block_ids(&decoded.text));
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
