//! Finding note files and reading them without surprises.

use std::path::{Component, Path, PathBuf};
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

/// What an entry below the imported folder is to the walk.
enum AppEntry {
    /// Possibly notes: walked.
    Notes,
    /// A hidden file: skipped without a word.
    HiddenFile,
    /// A folder a program keeps for itself: skipped, reported with why.
    Folder(&'static str),
}

/// Folders that programs keep for themselves, never notes (reported as
/// skipped): any hidden folder, Logseq's own `logseq/` at a graph's root
/// (page backups, old versions, settings), installed packages and built
/// sites.
fn app_entry(entry: &walkdir::DirEntry, vault: &Path) -> AppEntry {
    let name = entry.file_name().to_string_lossy();
    let is_dir = entry.file_type().is_dir();
    if name.starts_with('.') {
        if !is_dir {
            return AppEntry::HiddenFile;
        }
        return AppEntry::Folder(match name.as_ref() {
            ".trash" => "Obsidian's trash: deleted notes are not imported",
            ".obsidian" => "Obsidian's settings and plugins, not notes",
            ".git" => "git's history, not notes",
            ".foam" => "Foam's settings, not notes",
            ".gitbook" => "GitBook's settings and uploaded files, not notes",
            n if n.starts_with(".dendron") => "Dendron's cache, not notes",
            _ => "a hidden folder: a program's own files, not notes",
        });
    }
    if !is_dir {
        return AppEntry::Notes;
    }
    match name.as_ref() {
        "logseq" if entry.path().parent() == Some(vault) => AppEntry::Folder(
            "Logseq's own folder (backups and old versions of pages, settings), not notes",
        ),
        "node_modules" => AppEntry::Folder("installed packages, not notes"),
        "_site" => AppEntry::Folder("a built site (copies of the notes), not notes"),
        _ => AppEntry::Notes,
    }
}

/// True for `.md`, `.markdown` and `.txt` files.
pub fn is_note(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| NOTE_EXTENSIONS.iter().any(|n| e.eq_ignore_ascii_case(n)))
}

/// Note files below `root`, sorted, skipping hidden files and folders
/// (`.git`, `.obsidian`, …). Returned beside the files, with the reason:
/// folders that cannot be read, FIFOs, devices and sockets, symbolic links
/// that lead outside `root` (a note may not reach outside its folder), the
/// vault's templates folder and Obsidian's `.trash`, and a GitBook space's
/// table of contents (`SUMMARY.md`): the pages it lists come first, in its
/// order, so a first import stores them in that order.
pub fn walk(root: &Path) -> (Vec<NoteFile>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let templates = templates_folder(root);
    let vault = vault_root(root);
    let jekyll_site = vault.join("_config.yml").is_file();
    let hidden = logseq_hidden(&vault);
    // GitBook's tables of contents: not notes, they order the pages.
    let mut contents = TableOfContents::default();
    if vault != root {
        contents.read(&summary_path(&vault));
    }
    // Folders walked, by their real path: a second link to one (links in a
    // diamond would make paths without end) is not followed again.
    let mut folders_walked: std::collections::HashSet<PathBuf> = Default::default();
    let mut walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_owned)
                    .unwrap_or_else(|| root.to_owned());
                errors.push((path, format!("cannot read this folder ({err})")));
                continue;
            }
        };
        if entry.depth() > 0 {
            match app_entry(&entry, &vault) {
                AppEntry::Notes => {}
                AppEntry::HiddenFile => continue,
                AppEntry::Folder(why) => {
                    errors.push((entry.path().to_owned(), why.to_owned()));
                    walker.skip_current_dir();
                    continue;
                }
            }
        }
        if entry.path_is_symlink() {
            let inside =
                std::fs::canonicalize(entry.path()).is_ok_and(|real| real.starts_with(root));
            if !inside {
                errors.push((
                    entry.path().to_owned(),
                    "a link to a place outside the imported folder; import that place itself"
                        .to_owned(),
                ));
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        let file_type = entry.file_type();
        if file_type.is_dir() {
            let real =
                std::fs::canonicalize(entry.path()).unwrap_or_else(|_| entry.path().to_owned());
            // A folder's own path is always walked; a link to it only the
            // first time: each folder is walked at most twice.
            if !folders_walked.insert(real) && entry.path_is_symlink() {
                errors.push((
                    entry.path().to_owned(),
                    "a link to a folder already imported through another path".to_owned(),
                ));
                walker.skip_current_dir();
                continue;
            }
            contents.configured_in(entry.path());
            let name = entry.file_name().to_string_lossy();
            let site_folder = matches!(
                name.as_ref(),
                "_includes" | "_layouts" | "_sass" | "_site" | "_data" | "node_modules" | "vendor"
            );
            if jekyll_site && entry.depth() > 0 && site_folder {
                errors.push((
                    entry.path().to_owned(),
                    "a Jekyll site's own folder (templates, data, build output), not notes"
                        .to_owned(),
                ));
                walker.skip_current_dir();
                continue;
            }
            if templates.as_deref() == Some(entry.path()) {
                errors.push((
                    entry.path().to_owned(),
                    "the vault's templates folder: templates are not notes to learn".to_owned(),
                ));
                walker.skip_current_dir();
            }
            continue;
        }
        if !file_type.is_file() {
            errors.push((entry.path().to_owned(), not_a_file(kind_of(&file_type))));
            continue;
        }
        if !is_note(entry.path()) {
            continue;
        }
        if contents.is_one(entry.path()) && contents.read(entry.path()) {
            errors.push((
                entry.path().to_owned(),
                "GitBook's table of contents: it orders the notes, and is no note itself"
                    .to_owned(),
            ));
            continue;
        }
        if is_hidden_by(&hidden, &vault, entry.path()) {
            errors.push((
                entry.path().to_owned(),
                "hidden in the Logseq graph's config.edn".to_owned(),
            ));
            continue;
        }
        if jekyll_site && is_static_text(entry.path()) {
            errors.push((
                entry.path().to_owned(),
                "a Jekyll site's static text file (no front matter), not a note".to_owned(),
            ));
            continue;
        }
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
    contents.order(&mut files);
    (files, errors)
}

/// The vault's templates folder: the one Obsidian's core Templates plugin
/// is set to (`.obsidian/templates.json`), else a top-level `Templates`
/// (or `templates`) folder.
pub fn templates_folder(root: &Path) -> Option<PathBuf> {
    let configured = std::fs::read_to_string(root.join(".obsidian").join("templates.json"))
        .ok()
        .and_then(|text| templates_json_folder(&text));
    if let Some(folder) = configured {
        let path = root.join(folder.trim_matches('/'));
        if path.is_dir() && path.starts_with(root) && path != root {
            return Some(path);
        }
    }
    ["Templates", "templates"]
        .iter()
        .map(|name| root.join(name))
        .find(|path| path.is_dir())
}

/// The `"folder"` value of Obsidian's small `templates.json`, read without
/// a JSON library: `{"folder": "Meta/Templates"}`.
fn templates_json_folder(text: &str) -> Option<String> {
    let after = &text[text.find("\"folder\"")? + "\"folder\"".len()..];
    let after = after.trim_start().strip_prefix(':')?.trim_start();
    let value = after.strip_prefix('"')?;
    let end = value.find('"')?;
    let folder = &value[..end];
    (!folder.is_empty() && !folder.contains("..") && !folder.contains('\\'))
        .then(|| folder.to_owned())
}

/// What a file that is not a regular file or folder is, in words.
fn kind_of(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    let _ = file_type;
    "not a regular file"
}

/// For a path that exists and is neither a folder nor a regular file (after
/// following links): what it is, in words.
pub fn special_kind(path: &Path) -> Option<&'static str> {
    special_of(&std::fs::metadata(path).ok()?.file_type())
}

fn special_of(file_type: &std::fs::FileType) -> Option<&'static str> {
    (!file_type.is_file() && !file_type.is_dir()).then(|| kind_of(file_type))
}

/// The reason a special file is skipped.
pub fn not_a_file(kind: &str) -> String {
    format!("{kind}, not a regular file: only note files are read")
}

/// The reason a file over the limit is skipped.
pub fn too_large(max_bytes: u64) -> String {
    format!(
        "file is over the {} limit for one note; split it into smaller notes",
        human_size(max_bytes)
    )
}

/// What reading a note file found.
pub enum Read {
    /// The whole file.
    Bytes(Vec<u8>),
    /// It holds more than the limit (found while reading, whatever `stat`
    /// said).
    TooLarge,
    /// It is a FIFO, device or socket (never opened for blocking reads).
    NotAFile(&'static str),
}

/// Reads a note file, at most `max_bytes`: special files are refused
/// without blocking and the limit holds while reading.
pub fn read_limited(path: &Path, max_bytes: u64) -> std::io::Result<Read> {
    use std::io::Read as _;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(Read::NotAFile(kind_of(&meta.file_type())));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(max_bytes) as usize);
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Ok(Read::TooLarge);
    }
    Ok(Read::Bytes(bytes))
}

/// The paths a Logseq graph hides (`:hidden ["README.md" "/drafts"]` in
/// `logseq/config.edn`), relative to the graph, without leading `/`.
fn logseq_hidden(vault: &Path) -> Vec<String> {
    let Ok(config) = std::fs::read_to_string(vault.join("logseq").join("config.edn")) else {
        return Vec::new();
    };
    // Only the uncommented `:hidden [...]` vector is read.
    let live: String = config
        .lines()
        .map(|l| l.split(';').next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let Some(start) = live.find(":hidden") else {
        return Vec::new();
    };
    let after = &live[start + ":hidden".len()..];
    let Some(open) = after.find('[') else {
        return Vec::new();
    };
    let Some(close) = after[open..].find(']') else {
        return Vec::new();
    };
    after[open + 1..open + close]
        .split('"')
        .skip(1)
        .step_by(2)
        .map(|p| p.trim_start_matches('/').to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

fn is_hidden_by(hidden: &[String], vault: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(vault) else {
        return false;
    };
    hidden.iter().any(|h| relative.starts_with(h))
}

/// A `.txt` file that does not open with front matter (`robots.txt`).
fn is_static_text(path: &Path) -> bool {
    let txt = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
    if !txt {
        return false;
    }
    use std::io::Read as _;
    let mut head = [0u8; 3];
    std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .is_ok_and(|n| &head[..n] != b"---")
}

/// The vault a folder belongs to: the nearest folder, from `start` up,
/// that holds `.obsidian/`, `logseq/`, `_config.yml` or `dendron.yml` (an
/// Obsidian vault, a Logseq graph, a Jekyll site, a Dendron workspace),
/// else `start` itself. Links, embeds and new card ids are relative to it.
/// A GitBook space counts too: `.gitbook.yaml` or `.gitbook/` as strongly
/// as the others, a `SUMMARY.md` (its table of contents) only where none
/// of them is found.
pub fn vault_root(start: &Path) -> PathBuf {
    start
        .ancestors()
        .find(|dir| {
            dir.join(".obsidian").is_dir()
                || dir.join("logseq").is_dir()
                || dir.join("_config.yml").is_file()
                || dir.join(DENDRON_CONFIG).is_file()
                || has_gitbook_config(dir)
        })
        .or_else(|| {
            // A Jekyll site without `_config.yml`: the folder holding `_posts`.
            start
                .ancestors()
                .find(|dir| {
                    dir.file_name()
                        .is_some_and(|n| n == "_posts" || n == "_drafts")
                })
                .and_then(Path::parent)
        })
        // A GitBook space with only its table of contents: weaker than
        // the marks above (a note may be called "Summary"), so it never
        // moves the root of a vault they find.
        .or_else(|| start.ancestors().find(|dir| has_gitbook_summary(dir)))
        .unwrap_or(start)
        .to_owned()
}

/// True when the note at `note` is part of a Jekyll site: it lies under a
/// `_posts` or `_drafts` folder, or a folder between it and `root`
/// (inclusive) holds `_config.yml`.
pub fn in_jekyll_site(note: &Path, root: Option<&Path>) -> bool {
    FolderMarks::default().in_jekyll_site(note, root)
}

/// What a folder's own files say about the notes below it, looked up
/// once per folder during an import (each note would otherwise stat the
/// same files in every folder above it).
#[derive(Default)]
pub struct FolderMarks {
    /// Per folder: holds Jekyll's `_config.yml`; holds GitBook's files.
    folders: std::collections::HashMap<PathBuf, (bool, bool)>,
}

impl FolderMarks {
    /// What `dir` holds, looked up the first time it is asked.
    fn of(&mut self, dir: &Path) -> (bool, bool) {
        if let Some(marks) = self.folders.get(dir) {
            return *marks;
        }
        let marks = (
            dir.join("_config.yml").is_file(),
            has_gitbook_config(dir) || has_gitbook_summary(dir),
        );
        self.folders.insert(dir.to_owned(), marks);
        marks
    }

    /// [`in_jekyll_site`], with each folder looked at once.
    pub fn in_jekyll_site(&mut self, note: &Path, root: Option<&Path>) -> bool {
        let Some(root) = root else {
            return false;
        };
        let Ok(relative) = note.strip_prefix(root) else {
            return false;
        };
        if relative
            .components()
            .any(|c| matches!(c.as_os_str().to_str(), Some("_posts" | "_drafts")))
        {
            return true;
        }
        note.ancestors()
            .skip(1)
            .take_while(|dir| dir.starts_with(root))
            .any(|dir| self.of(dir).0)
    }

    /// [`in_gitbook_space`], with each folder looked at once.
    pub fn in_gitbook_space(&mut self, note: &Path, root: Option<&Path>) -> bool {
        let Some(root) = root else {
            return false;
        };
        note.ancestors()
            .skip(1)
            .take_while(|dir| dir.starts_with(root))
            .any(|dir| self.of(dir).1)
    }
}

/// The file GitBook reads a space's table of contents from, unless its
/// `.gitbook.yaml` names another.
pub const GITBOOK_SUMMARY: &str = "SUMMARY.md";

/// The most of a table of contents (or of `.gitbook.yaml`) read.
const MAX_SUMMARY_BYTES: u64 = 1 << 20;

/// True when `dir` holds GitBook's own files: `.gitbook.yaml` or a
/// `.gitbook/` folder (uploads, reusable content).
fn has_gitbook_config(dir: &Path) -> bool {
    dir.join(".gitbook.yaml").is_file() || dir.join(".gitbook").is_dir()
}

/// True when `dir` holds a `SUMMARY.md`, GitBook's table of contents.
fn has_gitbook_summary(dir: &Path) -> bool {
    dir.join(GITBOOK_SUMMARY).is_file()
}

/// True when the note at `note` is a page of a GitBook space: a folder
/// between it and `root` (inclusive) holds `SUMMARY.md`, `.gitbook.yaml`
/// or `.gitbook/`.
pub fn in_gitbook_space(note: &Path, root: Option<&Path>) -> bool {
    FolderMarks::default().in_gitbook_space(note, root)
}

/// The table of contents of the GitBook space at `dir`: the file its
/// `.gitbook.yaml` names (`structure: summary:`, under its `root:`), else
/// its `SUMMARY.md`.
fn summary_path(dir: &Path) -> PathBuf {
    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    struct Config {
        root: Option<String>,
        structure: Structure,
    }
    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    struct Structure {
        summary: Option<String>,
    }
    let config = match read_own_file(&dir.join(".gitbook.yaml")) {
        Some(bytes) => serde_yaml_ng::from_slice::<Config>(&bytes).unwrap_or_default(),
        None => Config::default(),
    };
    // Paths inside the space only: `..` and absolute paths are ignored.
    let inside = |path: &str| {
        let path = Path::new(path.trim());
        path.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
            .then(|| path.to_owned())
    };
    let space = config
        .root
        .as_deref()
        .and_then(inside)
        .map_or_else(|| dir.to_owned(), |root| dir.join(root));
    let summary = config
        .structure
        .summary
        .as_deref()
        .and_then(inside)
        .unwrap_or_else(|| PathBuf::from(GITBOOK_SUMMARY));
    lexical(&space.join(summary))
}

/// A GitBook space's own file (its `.gitbook.yaml`, its table of
/// contents), at most [`MAX_SUMMARY_BYTES`]: only a regular file, never a
/// link (which could lead out of the vault).
fn read_own_file(path: &Path) -> Option<Vec<u8>> {
    let regular = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file());
    match read_limited(path, MAX_SUMMARY_BYTES) {
        Ok(Read::Bytes(bytes)) if regular => Some(bytes),
        _ => None,
    }
}

/// `path` with `.` and `..` resolved without the file system (so it
/// compares with the paths a walk gives).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The tables of contents of the GitBook spaces a walk meets, and the
/// place of each page they list.
#[derive(Default)]
struct TableOfContents {
    /// Each listed page, by path, and its place among all listed.
    places: std::collections::HashMap<PathBuf, usize>,
    /// Tables of contents named by a `.gitbook.yaml` (not `SUMMARY.md`).
    configured: std::collections::HashSet<PathBuf>,
}

impl TableOfContents {
    /// Notes the table of contents of folder `dir` when its
    /// `.gitbook.yaml` names one.
    fn configured_in(&mut self, dir: &Path) {
        if dir.join(".gitbook.yaml").is_file() {
            self.configured.insert(summary_path(dir));
        }
    }

    /// True when `path` would be a table of contents if it reads as one:
    /// named `SUMMARY.md` (exactly) or named by a `.gitbook.yaml`.
    fn is_one(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|name| name == GITBOOK_SUMMARY)
            || self.configured.contains(path)
    }

    /// Reads the file at `path` and, when it is a table of contents (see
    /// [`summary_links`]), places the pages it lists after those placed
    /// before; false when it is not one (a note called "Summary").
    fn read(&mut self, path: &Path) -> bool {
        let Some(bytes) = read_own_file(path) else {
            return false;
        };
        let text = String::from_utf8_lossy(&bytes);
        let Some(links) = summary_links(&text) else {
            return false;
        };
        let dir = path.parent().unwrap_or(Path::new(""));
        for link in links {
            let place = self.places.len();
            self.places.entry(lexical(&dir.join(link))).or_insert(place);
        }
        true
    }

    /// Puts the listed pages first, in the order listed; the others keep
    /// their order after them.
    fn order(&self, files: &mut [NoteFile]) {
        if self.places.is_empty() {
            return;
        }
        files.sort_by_key(|file| self.places.get(&file.path).copied().unwrap_or(usize::MAX));
    }
}

/// The pages a GitBook table of contents lists, in order (local paths,
/// decoded, without `#anchors`); `None` when `text` is not one: besides
/// headings (page groups) it must hold only list items that are links, at
/// least one.
pub fn summary_links(text: &str) -> Option<Vec<String>> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut links = Vec::new();
    let (mut items, mut in_link, mut in_heading, mut in_code) = (0usize, 0usize, false, false);
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::Item) => items += 1,
            Event::End(TagEnd::Item) => items = items.saturating_sub(1),
            // GitBook's generated API pages are a YAML block in an item.
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Link { dest_url, .. }) => {
                in_link += 1;
                if in_heading {
                    continue;
                }
                if items == 0 {
                    return None;
                }
                let target = dest_url.split(['#', '?']).next().unwrap_or_default();
                if !target.is_empty() && !target.contains(':') && !target.starts_with('/') {
                    links.push(super::media::percent_decode(target));
                }
            }
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Text(text) | Event::Code(text)
                if in_link == 0 && !in_heading && !in_code && !text.trim().is_empty() =>
            {
                return None;
            }
            _ => {}
        }
    }
    (!links.is_empty()).then_some(links)
}

/// The file that marks a Dendron workspace.
pub const DENDRON_CONFIG: &str = "dendron.yml";

/// True when the notes of folder `dir` (inside `vault`) belong to a
/// Dendron vault: a folder from `dir` up to `vault` holds `dendron.yml` or
/// `dendron.code-workspace`, or `dir` holds Dendron's `root.md` beside a
/// note with a dotted name (`biology.cells.md`). Callers keep the answer
/// per folder: it lists the folder when there is a `root.md`.
pub fn is_dendron_folder(dir: &Path, vault: &Path) -> bool {
    let configured = dir
        .ancestors()
        .take_while(|d| d.starts_with(vault))
        .any(|d| d.join(DENDRON_CONFIG).is_file() || d.join("dendron.code-workspace").is_file());
    if configured {
        return true;
    }
    if !dir.join("root.md").is_file() {
        return false;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        name.strip_suffix(".md")
            .is_some_and(|stem| !stem.starts_with('.') && stem.contains('.'))
    })
}

/// The first bytes of a note file, at most `max_bytes`, cut after the last
/// whole line (so a character is never cut in half): enough to read its
/// front matter without reading the whole note.
pub fn read_head(path: &Path, max_bytes: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Ok(Vec::new());
    }
    let mut bytes = Vec::new();
    file.take(max_bytes).read_to_end(&mut bytes)?;
    if bytes.len() as u64 == max_bytes {
        let whole = bytes
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |at| at + 1);
        bytes.truncate(whole);
    }
    Ok(bytes)
}

/// What one `stat` of a note file tells the plan.
#[derive(Debug, Clone, Copy)]
pub struct FileStat {
    /// Size in bytes.
    pub size: i64,
    /// Modification time in ns since the epoch.
    pub mtime_ns: i64,
    /// What it is when it is neither a folder nor a regular file.
    pub special: Option<&'static str>,
}

/// Size, modification time and kind of a file, from one `stat`.
pub fn stat(path: &Path) -> std::io::Result<FileStat> {
    let meta = std::fs::metadata(path)?;
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0);
    Ok(FileStat {
        size: meta.len() as i64,
        mtime_ns,
        special: special_of(&meta.file_type()),
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gitbook_summary_orders_the_pages_and_is_no_note() {
        let dir = tempfile::tempdir().expect("temp");
        let space = dir.path().join("space");
        std::fs::create_dir_all(space.join("part")).expect("mkdir");
        std::fs::write(
            space.join("SUMMARY.md"),
            "# Contents\n\n* [Start](README.md)\n\n## Part\n\n* [Zebra](part/zebra.md)\n  * [Ant](part/ant%20one.md#top \"Ants\")\n",
        )
        .expect("write");
        for note in [
            "README.md",
            "part/ant one.md",
            "part/zebra.md",
            "part/loose.md",
        ] {
            std::fs::write(space.join(note), "# N\n").expect("write");
        }
        let (files, skipped) = walk(&space);
        let names: Vec<String> = files
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(&space)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            names,
            [
                "README.md",
                "part/zebra.md",
                "part/ant one.md",
                "part/loose.md"
            ]
        );
        assert!(skipped[0].1.contains("table of contents"), "{skipped:?}");
        assert!(in_gitbook_space(&space.join("part/zebra.md"), Some(&space)));
        assert_eq!(vault_root(&space.join("part")), space);
        // Imported in part, the space's summary still orders it.
        let (files, _) = walk(&space.join("part"));
        assert!(files[0].path.ends_with("part/zebra.md"), "{files:?}");
    }

    #[test]
    fn a_note_called_summary_is_still_a_note() {
        let dir = tempfile::tempdir().expect("temp");
        let vault = dir.path();
        std::fs::create_dir_all(vault.join(".obsidian")).expect("mkdir");
        std::fs::create_dir_all(vault.join("Biology")).expect("mkdir");
        std::fs::write(
            vault.join("Biology/SUMMARY.md"),
            "# Summary\n\n- Cells hold [[DNA]] and [organelles](cells.md)\n",
        )
        .expect("write");
        let (files, skipped) = walk(vault);
        assert_eq!(files.len(), 1, "{skipped:?}");
        // A vault's own marks win over a note's name.
        assert_eq!(vault_root(&vault.join("Biology")), vault);
        assert_eq!(
            summary_links("* [A](a.md)\n* [B](https://b.example)\n"),
            Some(vec!["a.md".to_owned()])
        );
        assert_eq!(summary_links("Some prose.\n\n* [A](a.md)\n"), None);
        assert_eq!(summary_links("# Only a title\n"), None);
    }

    #[test]
    fn a_gitbook_config_names_its_summary() {
        let dir = tempfile::tempdir().expect("temp");
        let space = dir.path();
        std::fs::create_dir_all(space.join("docs")).expect("mkdir");
        std::fs::write(
            space.join(".gitbook.yaml"),
            "root: ./docs/\nstructure:\n  summary: toc.md\n",
        )
        .expect("write");
        std::fs::write(space.join("docs/toc.md"), "* [B](b.md)\n* [A](a.md)\n").expect("write");
        std::fs::write(space.join("docs/a.md"), "# A\n").expect("write");
        std::fs::write(space.join("docs/b.md"), "# B\n").expect("write");
        let (files, skipped) = walk(space);
        let names: Vec<_> = files.iter().filter_map(|f| f.path.file_name()).collect();
        assert_eq!(names, ["b.md", "a.md"], "{skipped:?}");
    }

    #[test]
    fn templates_and_trash_are_skipped_with_their_reason() {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path();
        for folder in ["Meta/Templates", ".obsidian", ".trash", "Notes"] {
            std::fs::create_dir_all(root.join(folder)).expect("mkdir");
        }
        std::fs::write(
            root.join(".obsidian/templates.json"),
            "{\"folder\": \"Meta/Templates\"}",
        )
        .expect("write");
        std::fs::write(root.join("Meta/Templates/Daily.md"), "# {{date}}\n").expect("write");
        std::fs::write(root.join(".trash/old.md"), "# Old\n").expect("write");
        std::fs::write(root.join("Notes/real.md"), "# Real\n").expect("write");
        let (files, skipped) = walk(root);
        let names: Vec<String> = files
            .iter()
            .map(|f| {
                f.path
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["real.md"]);
        let reasons: Vec<&str> = skipped.iter().map(|(_, r)| r.as_str()).collect();
        assert!(
            reasons.iter().any(|r| r.contains("templates folder")),
            "{reasons:?}"
        );
        assert!(reasons.iter().any(|r| r.contains("trash")), "{reasons:?}");
    }

    #[test]
    fn site_folders_static_text_and_hidden_pages_are_skipped() {
        let dir = tempfile::tempdir().expect("temp");
        let site = dir.path().join("site");
        for folder in ["_posts", "_includes", "_layouts"] {
            std::fs::create_dir_all(site.join(folder)).expect("mkdir");
        }
        std::fs::write(site.join("_config.yml"), "title: x\n").expect("write");
        std::fs::write(site.join("_posts/2024-01-01-a.md"), "# A\n").expect("write");
        std::fs::write(site.join("_includes/nav.md"), "- [x](y)\n").expect("write");
        std::fs::write(site.join("robots.txt"), "User-agent: *\n").expect("write");
        let (files, skipped) = walk(&site);
        assert_eq!(files.len(), 1, "{skipped:?}");
        assert_eq!(skipped.len(), 3, "{skipped:?}");

        let graph = dir.path().join("graph");
        std::fs::create_dir_all(graph.join("logseq")).expect("mkdir");
        std::fs::create_dir_all(graph.join("pages")).expect("mkdir");
        std::fs::write(
            graph.join("logseq/config.edn"),
            "{;; :hidden [\"pages\"]\n :hidden [\"README.md\" \"/drafts\"]}\n",
        )
        .expect("write");
        std::fs::write(graph.join("README.md"), "# Readme\n").expect("write");
        std::fs::write(graph.join("pages/a.md"), "- a\n").expect("write");
        let (files, skipped) = walk(&graph);
        assert_eq!(files.len(), 1, "{skipped:?}");
        assert!(skipped[0].1.contains("config.edn"), "{skipped:?}");
    }

    #[cfg(unix)]
    #[test]
    fn folders_linked_twice_are_walked_once() {
        // Each folder links twice to the next: 2^20 paths to one note,
        // once walked without end.
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path().join("vault");
        for level in 0..=20 {
            std::fs::create_dir_all(root.join(format!("d{level}"))).expect("mkdir");
        }
        for level in 0..20 {
            for link in ["a", "b"] {
                std::os::unix::fs::symlink(
                    root.join(format!("d{}", level + 1)),
                    root.join(format!("d{level}")).join(link),
                )
                .expect("link");
            }
        }
        std::fs::write(root.join("d20").join("note.md"), "# N\n").expect("write");
        let (notes, skipped) = walk(&root);
        // Through the first link, and at its own path.
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes.iter().any(|n| n.path.ends_with("d20/note.md")));
        assert!(skipped
            .iter()
            .any(|(_, why)| why.contains("already imported through another path")));
    }

    #[test]
    fn app_folders_are_never_notes() {
        let dir = tempfile::tempdir().expect("temp");
        let graph = dir.path().join("graph");
        for (path, text) in [
            ("pages/real.md", "- a page\n"),
            ("logseq/bak/pages/real/2024-01-01.md", "- an old copy\n"),
            (
                "logseq/version-files/base/pages/real.md",
                "- an older copy\n",
            ),
            ("logseq/config.edn", "{}\n"),
            (".git/notes.md", "# not a note\n"),
            (".foam/x.md", "# not a note\n"),
            (".dendron.cache/x.md", "# not a note\n"),
            ("node_modules/pkg/README.md", "# not a note\n"),
            ("_site/real.md", "# a built copy\n"),
            ("pages/.hidden.md", "# hidden\n"),
        ] {
            let file = graph.join(path);
            std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
            std::fs::write(file, text).expect("write");
        }
        let (notes, skipped) = walk(&graph);
        let names: Vec<String> = notes
            .iter()
            .map(|n| {
                n.path
                    .strip_prefix(&graph)
                    .expect("inside")
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(names, ["pages/real.md"]);
        let skipped: Vec<String> = skipped
            .iter()
            .map(|(p, _)| {
                p.strip_prefix(&graph)
                    .expect("inside")
                    .display()
                    .to_string()
            })
            .collect();
        for folder in [
            ".dendron.cache",
            ".foam",
            ".git",
            "_site",
            "logseq",
            "node_modules",
        ] {
            assert!(
                skipped.contains(&folder.to_owned()),
                "{folder} in {skipped:?}"
            );
        }
    }
}
