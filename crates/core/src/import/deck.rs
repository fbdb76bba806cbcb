//! Which deck a note goes to: the rule, decided from how it was imported,
//! and the deck name it gives for the note's title.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use super::files::{self, NoteFile};
use crate::markdown::{self, frontmatter};
use crate::model::DECK_SEPARATOR;
use crate::text;

/// How a note's deck is named. It is stored with the note (as
/// `exact:NAME`, `title:` or `under:PREFIX`), so that a changed rule makes
/// the next import parse the note again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeckRule {
    /// A file imported with `--deck NAME`: that deck.
    Exact(String),
    /// A file imported on its own: a deck named after the note's title.
    Title,
    /// A note in an imported folder: a deck named after its title, under
    /// the folder's deck and its sub-folders' (`PREFIX`).
    Under(String),
}

impl DeckRule {
    /// The rule for `file`, imported from the path `root` (a folder when
    /// `is_dir`) with the `--deck` option `deck`.
    pub fn of(is_dir: bool, root: &Path, deck: Option<&str>, file: &NoteFile) -> DeckRule {
        if !is_dir {
            return match deck {
                Some(deck) => DeckRule::Exact(clean_deck_name(deck)),
                None => DeckRule::Title,
            };
        }
        let root_name = deck.map(str::to_owned).unwrap_or_else(|| {
            root.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Notes".to_owned())
        });
        let mut parts = vec![clean_deck_name(&root_name)];
        // Folders that are a tool's structure, not the author's topics, are
        // no deck level: Jekyll's `_posts`/`_drafts`, Logseq's `pages`.
        parts.extend(
            file.folders
                .iter()
                .filter(|f| !matches!(f.as_str(), "_posts" | "_drafts" | "pages"))
                .map(|f| clean_deck_name(f)),
        );
        DeckRule::Under(parts.join(DECK_SEPARATOR))
    }

    /// The rule for a note of a Dendron vault, whose hierarchy is in its
    /// dotted name `stem` (`biology.cells.membrane`), from the folder's
    /// rule `self`: each parent (`biology`, `biology.cells`) is a deck
    /// level under the folder's deck, named by `parent_title` (the title
    /// in that note's front matter) or, for a parent with no note or no
    /// title, by Dendron's title for its name (`Cells`); the note's own
    /// title is the last level. `root` (the vault's root note) goes to the
    /// folder's deck itself. A file imported on its own keeps its rule.
    ///
    /// The parents' titles are part of the stored rule (`under:PREFIX`), so
    /// renaming a parent parses its children again.
    pub fn dendron(
        self,
        stem: &str,
        mut parent_title: impl FnMut(&str) -> Option<String>,
    ) -> DeckRule {
        let DeckRule::Under(prefix) = self else {
            return self;
        };
        if stem.eq_ignore_ascii_case("root") {
            return DeckRule::Exact(prefix);
        }
        let mut levels = vec![prefix];
        let mut parent_end = 0;
        for part in stem.split('.') {
            if parent_end > 0 {
                let parent = &stem[..parent_end - 1];
                let name = &parent[parent.rfind('.').map_or(0, |dot| dot + 1)..];
                if !name.is_empty() {
                    let title = parent_title(parent)
                        .unwrap_or_else(|| markdown::dendron::title_from_name(name));
                    levels.push(clean_deck_name(&title));
                }
            }
            parent_end += part.len() + 1;
        }
        DeckRule::Under(bounded_deck_name(levels.join(DECK_SEPARATOR)))
    }

    /// The deck a note with `title` goes to (at most [`MAX_DECK_DEPTH`]
    /// levels deep).
    pub fn deck_for(&self, title: &str) -> String {
        let name = match self {
            DeckRule::Exact(deck) => deck.clone(),
            DeckRule::Title => clean_deck_name(title),
            DeckRule::Under(prefix) => {
                format!("{prefix}{DECK_SEPARATOR}{}", clean_deck_name(title))
            }
        };
        bounded_deck_name(name)
    }
}

/// What the notes of one import path need to know of Dendron: which
/// folders are Dendron vaults (see [`files::is_dendron_folder`]) and the
/// titles of the notes that are parents of others. Each folder is looked
/// at once and each parent's front matter read once, and only notes the
/// walk found (inside the import folder) are read.
pub struct DendronVaults<'t> {
    vault: Option<PathBuf>,
    notes: HashSet<&'t Path>,
    folders: HashMap<PathBuf, bool>,
    titles: HashMap<PathBuf, Option<String>>,
}

/// How much of a parent note is read for its title: all the front matter
/// notedeck reads, and its fences.
const TITLE_HEAD_BYTES: u64 = frontmatter::MAX_FRONT_MATTER_BYTES as u64 + 4096;

impl<'t> DendronVaults<'t> {
    /// For the notes `notes` of an import path in the vault `vault`.
    pub fn new(vault: Option<PathBuf>, notes: &'t [NoteFile]) -> DendronVaults<'t> {
        DendronVaults {
            vault,
            notes: notes.iter().map(|n| n.path.as_path()).collect(),
            folders: HashMap::new(),
            titles: HashMap::new(),
        }
    }

    /// True when `file` is a note of a Dendron vault.
    pub fn contains(&mut self, file: &NoteFile) -> bool {
        let (Some(vault), Some(dir)) = (self.vault.as_deref(), file.path.parent()) else {
            return false;
        };
        *self
            .folders
            .entry(dir.to_owned())
            .or_insert_with(|| files::is_dendron_folder(dir, vault))
    }

    /// `rule` for `file`, a note of a Dendron vault (see
    /// [`DeckRule::dendron`]), its parents named by their front matter's
    /// `title`.
    pub fn rule(&mut self, rule: DeckRule, file: &NoteFile) -> DeckRule {
        let (Some(stem), Some(dir)) = (file.path.file_stem(), file.path.parent()) else {
            return rule;
        };
        let stem = stem.to_string_lossy();
        rule.dendron(&stem, |parent| {
            let path = dir.join(format!("{parent}.md"));
            if !self.notes.contains(path.as_path()) {
                return None;
            }
            self.titles
                .entry(path)
                .or_insert_with_key(|path| front_matter_title(path))
                .clone()
        })
    }
}

/// The `title` in the front matter of the note at `path`.
fn front_matter_title(path: &Path) -> Option<String> {
    let head = files::read_head(path, TITLE_HEAD_BYTES).ok()?;
    let decoded = text::decode(&head).ok()?;
    frontmatter::split(&decoded.text).0.title
}

/// The stored form: `exact:NAME`, `title:` or `under:PREFIX`.
impl fmt::Display for DeckRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeckRule::Exact(deck) => write!(f, "exact:{deck}"),
            DeckRule::Title => f.write_str("title:"),
            DeckRule::Under(prefix) => write!(f, "under:{prefix}"),
        }
    }
}

/// The deepest a deck may be: a deeper name (a title of a hundred `::`,
/// folders nested without end) keeps its first levels, and the rest
/// become the last level's name, joined by ` / `. Every walk of the deck
/// tree is then short, whatever the notes say.
pub const MAX_DECK_DEPTH: usize = 16;

/// The longest a level of a deck name may be, in characters (the rest is
/// cut, with `…`).
pub const MAX_DECK_PART_CHARS: usize = 200;

/// `name` with at most [`MAX_DECK_DEPTH`] levels of at most
/// [`MAX_DECK_PART_CHARS`] characters each.
pub fn bounded_deck_name(name: String) -> String {
    let parts: Vec<&str> = name.split(DECK_SEPARATOR).collect();
    let long_part = parts
        .iter()
        .any(|p| p.chars().nth(MAX_DECK_PART_CHARS).is_some());
    if parts.len() <= MAX_DECK_DEPTH && !long_part {
        return name;
    }
    let mut kept: Vec<String> = parts[..parts.len().min(MAX_DECK_DEPTH - 1)]
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
    if parts.len() >= MAX_DECK_DEPTH {
        kept.push(parts[MAX_DECK_DEPTH - 1..].join(" / "));
    }
    kept.iter()
        .map(|part| match part.char_indices().nth(MAX_DECK_PART_CHARS) {
            Some((cut, _)) => format!("{}…", &part[..cut]),
            None => part.clone(),
        })
        .collect::<Vec<_>>()
        .join(DECK_SEPARATOR)
}

/// A deck name part without `::` (it separates levels) or stray spaces.
pub fn clean_deck_name(name: &str) -> String {
    let parts: Vec<String> = name
        .split(DECK_SEPARATOR)
        .map(markdown::fold_whitespace)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        "Untitled".to_owned()
    } else {
        parts.join(DECK_SEPARATOR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_forms_and_decks() {
        assert_eq!(DeckRule::Title.to_string(), "title:");
        assert_eq!(DeckRule::Title.deck_for(" My  note "), "My note");
        let exact = DeckRule::Exact("Exam".into());
        assert_eq!(exact.to_string(), "exact:Exam");
        assert_eq!(exact.deck_for("Anything"), "Exam");
        let under = DeckRule::Under("Vault::Bio".into());
        assert_eq!(under.to_string(), "under:Vault::Bio");
        assert_eq!(under.deck_for("Cells"), "Vault::Bio::Cells");
        assert_eq!(clean_deck_name(" :: "), "Untitled");
    }

    #[test]
    fn deck_names_are_bounded_in_depth_and_length() {
        // A title of 20,000 levels once made a deck tree whose walks
        // overflowed the stack.
        let deep = DeckRule::Under("Vault".into()).deck_for(&"a::".repeat(20_000));
        let parts: Vec<&str> = deep.split(DECK_SEPARATOR).collect();
        assert_eq!(parts.len(), MAX_DECK_DEPTH);
        assert!(parts[MAX_DECK_DEPTH - 1].starts_with("a / a / a"));
        assert!(parts[MAX_DECK_DEPTH - 1].chars().count() <= MAX_DECK_PART_CHARS + 1);
        let long = DeckRule::Title.deck_for(&"x".repeat(1000));
        assert_eq!(long.chars().count(), MAX_DECK_PART_CHARS + 1);
        let ordinary = DeckRule::Under("Vault::Bio".into()).deck_for("Cells");
        assert_eq!(ordinary, "Vault::Bio::Cells");
    }

    #[test]
    fn dendron_names_are_deck_paths() {
        let folder = || DeckRule::Under("Vault".into());
        // Parents are named by their titles where their notes have them,
        // else by Dendron's title for their part of the name.
        let titles = |parent: &str| match parent {
            "biology" => Some("Life sciences".to_owned()),
            "biology.cell-parts.inner" => Some("Inside a: cell".to_owned()),
            _ => None,
        };
        let rule = folder().dendron("biology.cell-parts.inner.membrane", titles);
        assert_eq!(
            rule.to_string(),
            "under:Vault::Life sciences::Cell Parts::Inside a: cell"
        );
        assert_eq!(
            rule.deck_for("Membrane"),
            "Vault::Life sciences::Cell Parts::Inside a: cell::Membrane"
        );
        // A top-level note is under the folder's deck, the root note is
        // that deck itself.
        assert_eq!(folder().dendron("biology", titles), folder());
        let root = folder().dendron("root", titles);
        assert_eq!(root.to_string(), "exact:Vault");
        assert_eq!(root.deck_for("Root"), "Vault");
        // Empty parts make no level; a file imported alone keeps its rule.
        assert_eq!(
            folder().dendron("a..b", |_| None).to_string(),
            "under:Vault::A"
        );
        assert_eq!(DeckRule::Title.dendron("a.b", titles), DeckRule::Title);
        // A title with deck separators and a name of many parts stay
        // within the bounds of a deck name.
        let deep = folder().dendron(&"x.".repeat(100), |_| Some("t::u".to_owned()));
        let deck = deep.deck_for("Leaf");
        assert_eq!(deck.split(DECK_SEPARATOR).count(), MAX_DECK_DEPTH);
    }

    #[test]
    fn dendron_parents_are_read_from_their_front_matter() {
        let dir = tempfile::tempdir().expect("temp");
        let vault = dir.path();
        std::fs::write(vault.join("dendron.yml"), "version: 5\n").expect("write");
        let note = |name: &str, text: &str| {
            let path = vault.join(name);
            std::fs::write(&path, text).expect("write");
            NoteFile {
                path,
                folders: Vec::new(),
            }
        };
        let notes = vec![
            note("chem.md", "---\nid: c\ntitle: Chemistry\n---\nAtoms.\n"),
            note("chem.acids.md", "---\nid: a\n---\n# Heading only\n"),
            note(
                "chem.acids.strong.md",
                "---\ntitle: Strong acids\n---\nHCl.\n",
            ),
        ];
        let mut vaults = DendronVaults::new(Some(vault.to_owned()), &notes);
        assert!(vaults.contains(&notes[2]));
        let rule = vaults.rule(DeckRule::Under("Vault".into()), &notes[2]);
        assert_eq!(rule.to_string(), "under:Vault::Chemistry::Acids");
        // A folder with none of Dendron's marks is no Dendron vault.
        let other = tempfile::tempdir().expect("temp");
        let plain = other.path().join("a.b.md");
        std::fs::write(&plain, "x\n").expect("write");
        let plain = [NoteFile {
            path: plain,
            folders: Vec::new(),
        }];
        let mut vaults = DendronVaults::new(Some(other.path().to_owned()), &plain);
        assert!(!vaults.contains(&plain[0]));
        // `root.md` beside dotted names is a Dendron vault too.
        std::fs::write(other.path().join("root.md"), "---\ntitle: Root\n---\n").expect("write");
        let mut vaults = DendronVaults::new(Some(other.path().to_owned()), &plain);
        assert!(vaults.contains(&plain[0]));
    }
}
