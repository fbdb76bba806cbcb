//! Media files referenced by notes (images, audio, video, PDF), copied into
//! the collection's media folder under a name made of their content hash.
//!
//! A note is untrusted: a reference is resolved only **inside the folder
//! being imported** (a single file's own folder). `/x.png` means the root
//! of that folder, as in Obsidian vaults and Jekyll sites (failing that, in
//! a Dendron workspace, the note's own vault: the folder holding
//! `root.md`), never the root of the disk; `..` may not climb out of it;
//! symbolic links are followed and their target checked to lie inside it
//! too. Only files of a media kind whose content matches their ending are
//! taken (see [`crate::media`]).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use crate::media;
use crate::{Error, Result};

/// A media file to copy into the media folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    /// Where the file is now (its canonical path, inside the import root).
    pub from: PathBuf,
    /// Its content-addressed name in the media folder.
    pub name: String,
    /// The blake3 hash of its content, checked again when it is copied.
    pub hash: String,
}

/// What resolving a reference found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A media file to copy.
    Found(MediaFile),
    /// No file by that name inside the import folder.
    Missing,
    /// A file exists but may not be used, with the reason.
    Refused(String),
}

/// Finds media for one import: relative to the note, from the import root
/// (`/…`), or anywhere under the root by file name (as Obsidian resolves
/// `![[image.png]]`).
pub struct MediaResolver {
    /// The canonical import root; nothing outside it is ever read.
    root: Option<PathBuf>,
    by_name: Option<HashMap<String, PathBuf>>,
    /// Files hashed in this import, with the size and modification time
    /// they had: a file named by many references is read once.
    hashed: HashMap<PathBuf, Hashed>,
}

/// A file's size and modification time when it was hashed, and the hash
/// (or why it was refused).
type Hashed = (u64, Option<std::time::SystemTime>, Result<String, String>);

impl MediaResolver {
    /// A resolver for notes under `root` (the imported folder, or the
    /// folder of an imported file).
    pub fn new(root: Option<PathBuf>) -> MediaResolver {
        let root = root.and_then(|r| std::fs::canonicalize(r).ok());
        MediaResolver {
            root,
            by_name: None,
            hashed: HashMap::new(),
        }
    }

    /// The folder references are resolved in (canonical), if any.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// Resolves `reference` written in the note at `note_dir`.
    pub fn resolve(&mut self, note_dir: &Path, reference: &str, embed: bool) -> Resolved {
        let Some(root) = self.root.clone() else {
            return Resolved::Missing;
        };
        let decoded = percent_decode(reference.split(['#', '?']).next().unwrap_or(reference));
        let decoded = decoded.trim();
        if decoded.is_empty() || decoded.contains('\0') {
            return Resolved::Missing;
        }
        // `![[Other note.md]]` embeds a note, which is no media file.
        if embed && super::files::is_note(Path::new(decoded)) {
            return Resolved::Missing;
        }
        let found = if decoded.starts_with(['/', '\\']) {
            confined_join(&root, decoded)
                .filter(|p| p.symlink_metadata().is_ok())
                .or_else(|| {
                    // In a Dendron workspace `/` is the root of the note's
                    // own vault: the folder holding `root.md`.
                    note_dir
                        .ancestors()
                        .take_while(|dir| dir.starts_with(&root) && *dir != root)
                        .find(|dir| dir.join("root.md").is_file())
                        .and_then(|vault| confined_join(vault, decoded))
                        .filter(|p| p.symlink_metadata().is_ok())
                })
        } else {
            confined_join(note_dir, decoded).filter(|p| p.symlink_metadata().is_ok())
        };
        let path = match found {
            Some(path) => path,
            None if embed || !decoded.contains(['/', '\\']) => {
                let Some(name) = Path::new(decoded).file_name() else {
                    return Resolved::Missing;
                };
                match self
                    .index(&root)
                    .get(&name.to_string_lossy().to_lowercase())
                {
                    Some(path) => path.clone(),
                    None => return Resolved::Missing,
                }
            }
            None => return Resolved::Missing,
        };
        // Follow links, then insist the real file is inside the root.
        let Ok(real) = std::fs::canonicalize(&path) else {
            return Resolved::Missing;
        };
        if !real.starts_with(&root) {
            return Resolved::Refused("it is outside the imported folder".to_owned());
        }
        let name_text = real.to_string_lossy().into_owned();
        if media::kind_of_name(&name_text).is_none() {
            return Resolved::Refused(
                "only images, audio, video and PDF files are copied from notes".to_owned(),
            );
        }
        match self.hash_once(&real, &name_text) {
            Ok(hash) => {
                let ext = media::extension(&name_text).unwrap_or_default();
                Resolved::Found(MediaFile {
                    from: real,
                    name: format!("{}.{ext}", &hash[..20]),
                    hash,
                })
            }
            Err(reason) => Resolved::Refused(reason),
        }
    }

    /// [`hash_media`], once per file and import while the file's size and
    /// time stay as they were.
    fn hash_once(&mut self, real: &Path, name: &str) -> Result<String, String> {
        let meta = std::fs::metadata(real).ok();
        let stamp = (
            meta.as_ref().map_or(0, |m| m.len()),
            meta.as_ref().and_then(|m| m.modified().ok()),
        );
        if let Some((len, modified, hash)) = self.hashed.get(real) {
            if (*len, *modified) == stamp {
                return hash.clone();
            }
        }
        let hash = hash_media(real, name);
        self.hashed
            .insert(real.to_owned(), (stamp.0, stamp.1, hash.clone()));
        hash
    }

    fn index(&mut self, root: &Path) -> &HashMap<String, PathBuf> {
        self.by_name.get_or_insert_with(|| {
            let mut map = HashMap::new();
            for entry in walkdir::WalkDir::new(root)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                })
                .flatten()
            {
                if entry.file_type().is_file()
                    && media::kind_of_name(&entry.file_name().to_string_lossy()).is_some()
                {
                    map.entry(entry.file_name().to_string_lossy().to_lowercase())
                        .or_insert_with(|| entry.path().to_owned());
                }
            }
            map
        })
    }
}

/// `base` joined with `reference` taken as relative (a leading `/` is
/// dropped: it means the import root, which the caller passes as `base`).
/// `None` for Windows drive prefixes. `..` is left to the file system; the
/// caller checks the real path against the root after links are followed.
fn confined_join(base: &Path, reference: &str) -> Option<PathBuf> {
    let mut path = base.to_owned();
    for part in Path::new(reference.trim_start_matches(['/', '\\'])).components() {
        match part {
            Component::Normal(name) => path.push(name),
            Component::ParentDir => path.push(".."),
            Component::CurDir | Component::RootDir => {}
            Component::Prefix(_) => return None,
        }
    }
    Some(path)
}

/// Hashes a media file after checking it is a regular file of a media kind
/// with matching content and within the size limit.
fn hash_media(path: &Path, name: &str) -> std::result::Result<String, String> {
    use std::io::Seek;
    let mut file = media::open_no_follow(path).map_err(|e| format!("cannot read it ({e})"))?;
    media::check_file(name, &file).map_err(|r| r.to_string())?;
    // The same open file is hashed, so what was checked is what is copied
    // (the copy checks the hash again).
    file.rewind().map_err(|e| format!("cannot read it ({e})"))?;
    match hash_stream(file, None).map_err(|e| format!("cannot read it ({e})"))? {
        Some(hash) => Ok(hash),
        None => Err(media::Refusal::TooLarge.to_string()),
    }
}

/// The blake3 hash of everything `source` holds, copied to `sink` on the
/// way when there is one; `None` when it holds more than the media limit.
fn hash_stream(
    mut source: std::fs::File,
    mut sink: Option<&mut std::fs::File>,
) -> std::io::Result<Option<String>> {
    let mut hasher = blake3::Hasher::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = source.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        if total > media::MAX_MEDIA_BYTES {
            return Ok(None);
        }
        hasher.update(&buffer[..n]);
        if let Some(sink) = sink.as_mut() {
            sink.write_all(&buffer[..n])?;
        }
    }
    if let Some(sink) = sink {
        sink.flush()?;
    }
    Ok(Some(hasher.finalize().to_hex().to_string()))
}

/// Copies media files into `dir`, skipping those already there. Each copy
/// is checked against the hash taken when it was resolved, so a file
/// swapped in between is not copied.
pub fn copy_all(dir: &Path, files: &[MediaFile]) -> Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    for file in files {
        let target = dir.join(&file.name);
        if target.symlink_metadata().is_ok_and(|m| m.is_file()) {
            continue;
        }
        static COPIES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let copy = COPIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let partial = dir.join(format!(
            "{}.{}-{copy}.partial",
            file.name,
            std::process::id()
        ));
        let copied = copy_checked(&file.from, &partial, &file.hash).map_err(|e| {
            Error::io(
                format!(
                    "cannot copy {} to {}",
                    file.from.display(),
                    target.display()
                ),
                e,
            )
        });
        match copied {
            Ok(true) => std::fs::rename(&partial, &target).map_err(|e| {
                let _ = std::fs::remove_file(&partial);
                Error::io(format!("cannot write {}", target.display()), e)
            })?,
            Ok(false) => {
                // Changed since it was resolved: leave it out.
                let _ = std::fs::remove_file(&partial);
            }
            Err(err) => {
                let _ = std::fs::remove_file(&partial);
                return Err(err);
            }
        }
    }
    Ok(())
}

/// Copies `from` to `to`, returning false when the content's hash is not
/// `hash` (or it grew past the limit).
fn copy_checked(from: &Path, to: &Path, hash: &str) -> std::io::Result<bool> {
    let source = media::open_no_follow(from)?;
    if !source.metadata()?.is_file() {
        return Ok(false);
    }
    let mut target = std::fs::File::create(to)?;
    Ok(hash_stream(source, Some(&mut target))?.as_deref() == Some(hash))
}

pub(super) fn percent_decode(text: &str) -> String {
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

/// Builds, under `dir`, a small vault for auditing the resolver (the fuzz
/// target and tests): `vault/` with a real image, an HTML page, an image
/// whose content is HTML and a sub-folder; a real image beside the vault;
/// and links from inside the vault to both outside files. Returns the
/// vault's path.
pub fn audit_vault(dir: &Path) -> std::io::Result<PathBuf> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let root = dir.join("vault");
    std::fs::create_dir_all(root.join("sub"))?;
    std::fs::write(root.join("pic.png"), PNG)?;
    std::fs::write(root.join("sub").join("deep.png"), PNG)?;
    std::fs::write(root.join("page.html"), "<script>alert(1)</script>")?;
    std::fs::write(root.join("fake.png"), "<script>alert(1)</script>")?;
    std::fs::write(dir.join("secret.png"), PNG)?;
    #[cfg(unix)]
    {
        let _ = std::os::unix::fs::symlink(dir.join("secret.png"), root.join("out.png"));
        let _ = std::os::unix::fs::symlink(dir, root.join("up"));
    }
    Ok(root)
}

/// Resolves `reference` as notes in the vault's root and sub-folder would
/// (as a link and as an embed), and panics if anything found lies outside
/// the vault or is not a media file whose content matches its ending.
pub fn audit_reference(root: &Path, reference: &str) {
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
    let mut resolver = MediaResolver::new(Some(root.to_owned()));
    for note_dir in [root.to_owned(), root.join("sub")] {
        for embed in [false, true] {
            if let Resolved::Found(file) = resolver.resolve(&note_dir, reference, embed) {
                assert!(
                    file.from.starts_with(&canonical_root),
                    "{reference:?} reached outside the vault: {}",
                    file.from.display()
                );
                let name = file.from.to_string_lossy().into_owned();
                let ok = media::open_no_follow(&file.from)
                    .ok()
                    .is_some_and(|f| media::check_file(&name, &f).is_ok());
                assert!(
                    ok,
                    "{reference:?} resolved to a file that is not media: {name}"
                );
                assert!(
                    media::is_media_file_name(&file.name),
                    "{reference:?} got a media name that cannot be served: {}",
                    file.name
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000";

    fn vault() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path().join("vault");
        std::fs::create_dir_all(root.join("sub")).expect("mkdir");
        std::fs::write(root.join("pic.png"), PNG).expect("write");
        std::fs::write(root.join("fake.png"), b"<script>alert(1)</script>").expect("write");
        std::fs::write(root.join("page.html"), b"<script>alert(1)</script>").expect("write");
        std::fs::write(dir.path().join("outside.png"), PNG).expect("write");
        (dir, root)
    }

    fn refused(resolved: Resolved) -> bool {
        !matches!(resolved, Resolved::Found(_))
    }

    #[test]
    fn media_inside_the_root_is_found() {
        let (_dir, root) = vault();
        let mut resolver = MediaResolver::new(Some(root.clone()));
        let sub = root.join("sub");
        assert!(matches!(
            resolver.resolve(&root, "pic.png", false),
            Resolved::Found(_)
        ));
        assert!(matches!(
            resolver.resolve(&sub, "../pic.png", false),
            Resolved::Found(_)
        ));
        assert!(matches!(
            resolver.resolve(&sub, "/pic.png", false),
            Resolved::Found(_)
        ));
        assert!(matches!(
            resolver.resolve(&sub, "pic.png", true),
            Resolved::Found(_)
        ));
        assert!(matches!(
            resolver.resolve(&sub, "pic%2Epng", false),
            Resolved::Found(_)
        ));
    }

    #[test]
    fn nothing_outside_the_root_or_not_media_is_taken() {
        let (_dir, root) = vault();
        let mut resolver = MediaResolver::new(Some(root.clone()));
        for reference in [
            "/etc/hostname",
            "../../../../etc/hostname",
            "%2Fetc%2Fhostname",
            "/proc/self/environ",
            "../outside.png",
            "../../outside.png",
            "/../outside.png",
            "page.html",
            "fake.png",
        ] {
            assert!(
                refused(resolver.resolve(&root, reference, false)),
                "{reference} must not resolve"
            );
            assert!(
                refused(resolver.resolve(&root, reference, true)),
                "{reference} must not resolve as an embed"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_leading_outside_are_refused() {
        let (dir, root) = vault();
        std::os::unix::fs::symlink(dir.path().join("outside.png"), root.join("link.png"))
            .expect("symlink");
        std::os::unix::fs::symlink("/etc/hostname", root.join("host.png")).expect("symlink");
        let mut resolver = MediaResolver::new(Some(root.clone()));
        assert_eq!(
            resolver.resolve(&root, "link.png", false),
            Resolved::Refused("it is outside the imported folder".to_owned())
        );
        assert!(refused(resolver.resolve(&root, "host.png", true)));
    }

    /// The seed references of the `media_paths` fuzz target never escape.
    #[test]
    fn the_media_fuzz_corpus_stays_inside() {
        let dir = tempfile::tempdir().expect("temp");
        let root = audit_vault(dir.path()).expect("vault");
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/media_paths");
        let mut seen = 0;
        for entry in std::fs::read_dir(corpus).expect("corpus").flatten() {
            let bytes = std::fs::read(entry.path()).expect("read");
            audit_reference(&root, &String::from_utf8_lossy(&bytes));
            seen += 1;
        }
        assert!(seen >= 10, "the corpus is missing ({seen} files)");
    }

    #[test]
    fn a_swapped_file_is_not_copied() {
        let (dir, root) = vault();
        let mut resolver = MediaResolver::new(Some(root.clone()));
        let Resolved::Found(file) = resolver.resolve(&root, "pic.png", false) else {
            panic!("pic.png resolves");
        };
        std::fs::write(root.join("pic.png"), b"\x89PNG\r\n\x1a\nchanged").expect("write");
        let media = dir.path().join("media");
        copy_all(&media, &[file]).expect("copy");
        assert_eq!(std::fs::read_dir(&media).expect("dir").count(), 0);
    }
}
