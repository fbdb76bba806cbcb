//! Policy every shell shares: where the collection lives by default, the
//! sample decks an empty collection starts with, the policy media files
//! are served under, and the progress report's default range.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::{ApiError, ApiResult, ErrorCode, ImportRequest, Service};

/// The variable that names the collection file for every shell.
pub const COLLECTION_ENV: &str = "NOTEDECK_DB";

/// The sample decks, built into the binaries so a first start is never
/// empty (file name, Markdown).
pub const SAMPLE_DECKS: &[(&str, &str)] = &[
    (
        "notedeck-tour.md",
        include_str!("../../../decks/notedeck-tour.md"),
    ),
    (
        "ai-alignment.md",
        include_str!("../../../decks/ai-alignment.md"),
    ),
];

/// The deck the sample decks are imported under.
pub const SAMPLE_DECK: &str = "Sample decks";

/// The Content-Security-Policy of a media file, in every shell: it is
/// shown, played or downloaded, never run. `sandbox` makes even a document
/// opened on its own (an SVG image) an opaque origin without script.
pub const MEDIA_CSP: &str = "default-src 'none'; img-src 'self'; media-src 'self'; \
     style-src 'unsafe-inline'; sandbox; frame-ancestors 'self'";

/// Where the UI's page is shown, for its policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageShell<'a> {
    /// `notedeck serve`, reached under `host` (a name the server let
    /// through as its own).
    Web {
        /// The `Host` the page was asked for.
        host: &'a str,
        /// Served over https (`serve --tls-cert`).
        secure: bool,
    },
    /// The desktop window: the UI's own assets, the `ipc:` and `media:`
    /// protocols.
    Desktop,
}

/// The Content-Security-Policy of the UI's page, in every shell: script
/// only from the UI's own built assets (never from media or the API),
/// styles only from its stylesheet, nothing from other sites but note
/// images when `remote_images` allows them (the desktop window always
/// lets them load and the UI leaves them out when they are off).
pub fn page_csp(shell: PageShell<'_>, remote_images: bool) -> String {
    match shell {
        PageShell::Web { host, secure } => {
            let scheme = if secure { "https" } else { "http" };
            let images = if remote_images {
                "'self' data: https: http:"
            } else {
                "'self' data:"
            };
            format!(
                "default-src 'none'; script-src {scheme}://{host}/assets/; style-src 'self'; \
                 img-src {images}; media-src 'self'; font-src 'self'; connect-src 'self'; \
                 manifest-src 'self'; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; \
                 base-uri 'none'; form-action 'none'"
            )
        }
        PageShell::Desktop => "default-src 'self'; script-src 'self'; style-src 'self'; \
             img-src 'self' data: https: http: media: http://media.localhost; \
             media-src media: http://media.localhost; font-src 'self'; \
             connect-src ipc: http://ipc.localhost; object-src 'none'; frame-src 'none'; \
             base-uri 'none'; form-action 'self'"
            .to_owned(),
    }
}

/// Days the progress report covers unless asked otherwise (a year).
pub const REPORT_DAYS: u32 = 365;

/// The file name the progress report is saved under, in every shell (the
/// UI's copy is generated into `operations.ts`).
pub const REPORT_FILE_NAME: &str = "notedeck-report.html";

/// The file name an export of `what` (`reviews` or `cards`) is saved
/// under, with `extension` (`csv` or `json`).
pub fn export_file_name(what: &str, extension: &str) -> String {
    format!("notedeck-{what}.{extension}")
}

/// The platform's default collection file:
/// `<data folder>/notedeck/collection.sqlite3`.
pub fn platform_collection_path() -> ApiResult<PathBuf> {
    dirs::data_dir()
        .map(|d| d.join("notedeck").join("collection.sqlite3"))
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::Io,
                format!("cannot find this platform's data folder; set {COLLECTION_ENV} to the collection file"),
            )
        })
}

/// The collection every shell opens unless told otherwise: the file named
/// by `NOTEDECK_DB`, else [`platform_collection_path`].
pub fn default_collection_path() -> ApiResult<PathBuf> {
    match std::env::var_os(COLLECTION_ENV) {
        Some(path) if !path.is_empty() => Ok(PathBuf::from(path)),
        _ => platform_collection_path(),
    }
}

impl Service {
    /// Gives an empty collection (no sources, no cards) the sample decks:
    /// written beside the collection in `sample-decks/` and imported under
    /// [`SAMPLE_DECK`]. Returns whether it did.
    pub fn seed_sample_decks(&mut self, now: DateTime<Utc>) -> ApiResult<bool> {
        if !self.sources()?.is_empty() || !self.cards(None, now)?.is_empty() {
            return Ok(false);
        }
        let folder = self.path().with_file_name("sample-decks");
        let io = |e: std::io::Error| {
            ApiError::new(
                ErrorCode::Io,
                format!("cannot write the sample decks to {}: {e}", folder.display()),
            )
        };
        std::fs::create_dir_all(&folder).map_err(io)?;
        for (name, text) in SAMPLE_DECKS {
            std::fs::write(folder.join(name), text).map_err(io)?;
        }
        let request = ImportRequest {
            deck: Some(SAMPLE_DECK.to_owned()),
            dry_run: false,
        };
        self.import(std::slice::from_ref(&folder), &request, now, &mut |_| {})?;
        Ok(true)
    }
}

/// `path` with a leading `~` (alone or before `/`) as the home folder, as
/// a shell would write it; any other path as it is.
pub fn expand_home(path: &Path) -> PathBuf {
    let Some(text) = path.to_str() else {
        return path.to_owned();
    };
    let rest = match text.strip_prefix('~') {
        Some("") => "",
        Some(rest) if rest.starts_with('/') => &rest[1..],
        _ => return path.to_owned(),
    };
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => Path::new(&home).join(rest),
        None => path.to_owned(),
    }
}

/// The folder of the Obsidian vault holding `note` (an ancestor folder
/// with a `.obsidian` folder), if any.
pub fn obsidian_vault(note: &Path) -> Option<PathBuf> {
    note.ancestors()
        .skip(1)
        .find(|dir| dir.join(".obsidian").is_dir())
        .map(Path::to_owned)
}

/// Obsidian's link to a note, at a heading if given.
pub fn obsidian_link(note: &Path, heading: Option<&str>) -> String {
    let mut target = note.to_string_lossy().into_owned();
    if let Some(heading) = heading {
        let cleaned: String = heading
            .chars()
            .filter(|c| !matches!(c, '[' | ']'))
            .map(|c| if matches!(c, '#' | '|' | '^') { ' ' } else { c })
            .collect();
        let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
        if !cleaned.is_empty() {
            target.push('#');
            target.push_str(&cleaned);
        }
    }
    format!("obsidian://open?path={}", percent_encode(&target))
}

/// `text` percent-encoded as JavaScript's `encodeURIComponent` does.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The program that opens files and links the way the system does
/// (`NOTEDECK_OPENER` overrides it, for scripts and tests).
pub const OPENER_ENV: &str = "NOTEDECK_OPENER";

/// Opens `target` (a file or a link) with the system's default program,
/// without waiting for it.
pub fn open_with_system(target: &str) -> ApiResult<()> {
    let mut command = match std::env::var_os(OPENER_ENV).filter(|v| !v.is_empty()) {
        Some(program) => std::process::Command::new(program),
        None if cfg!(target_os = "macos") => std::process::Command::new("open"),
        None if cfg!(windows) => {
            let mut c = std::process::Command::new("explorer");
            c.arg(target);
            return spawn(c, target);
        }
        None => std::process::Command::new("xdg-open"),
    };
    command.arg(target);
    spawn(command, target)
}

fn spawn(mut command: std::process::Command, target: &str) -> ApiResult<()> {
    command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|e| {
            ApiError::new(
                ErrorCode::Io,
                format!("could not open {target}: {e}; is a program for it installed?"),
            )
        })
}

/// Writes the file at `path` as a whole: into `NAME.partial` beside it,
/// flushed, then renamed over `path`, so the name only ever
/// points at a whole file and a failed write leaves nothing behind. A
/// path that exists and is not a regular file (a device such as
/// `/dev/null` or `/dev/stdout`, a named pipe) is written directly:
/// renaming over it would replace the device with a file.
pub fn write_whole_file<T, E: From<std::io::Error>>(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<T, E>,
) -> Result<T, E> {
    use std::io::Write;
    let with_path = |what: &str, at: &Path, e: std::io::Error| {
        std::io::Error::new(e.kind(), format!("cannot {what} {}: {e}", at.display()))
    };
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| with_path("write", path, e))?;
        let mut out = std::io::BufWriter::new(file);
        let written = write(&mut out)?;
        out.flush().map_err(|e| with_path("write", path, e))?;
        return Ok(written);
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    let partial = path.with_file_name(name);
    let file = std::fs::File::create(&partial).map_err(|e| with_path("create", &partial, e))?;
    let mut out = std::io::BufWriter::new(file);
    // Not synced to the disk before the rename: what is written here (an
    // export, a report) is made again from the collection by asking again,
    // and an fsync of a large export costs a tenth of its time.
    let result = write(&mut out).and_then(|written| {
        out.flush().map_err(|e| with_path("write", &partial, e))?;
        Ok(written)
    });
    drop(out);
    let written = match result {
        Ok(written) => written,
        Err(err) => {
            let _ = std::fs::remove_file(&partial);
            return Err(err);
        }
    };
    std::fs::rename(&partial, path).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        with_path("write", path, e)
    })?;
    Ok(written)
}

/// Keeps this process on small memory pages: call it first thing in a
/// command-line shell's `main`.
///
/// mimalloc asks Linux for transparent huge pages, and a page touched for
/// the first time is then zeroed two megabytes at a time, again after each
/// purge; for a process that lives a second or two (an import, `stats`, an
/// export) that was up to a tenth of its time in the kernel and 10–30 MB
/// more memory. Elsewhere, and when Linux refuses, this does nothing: it
/// changes speed only, never a result.
pub fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_file_replaces_the_old_one_and_a_failed_write_leaves_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old").expect("write");
        write_whole_file(&path, |out| out.write_all(b"new")).expect("whole");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        let failed: std::io::Result<()> = write_whole_file(&path, |out| {
            out.write_all(b"half")?;
            Err(std::io::Error::other("stopped"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["out.csv"], "no partial file left");
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_written_to_not_replaced() {
        use std::io::Read;
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo");
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut text = String::new();
                std::fs::File::open(fifo)
                    .expect("open")
                    .read_to_string(&mut text)
                    .expect("read");
                text
            })
        };
        write_whole_file(&fifo, |out| out.write_all(b"through the pipe")).expect("pipe");
        // Looked at before the reader is waited for (a pipe replaced by a
        // file would leave it waiting).
        use std::os::unix::fs::FileTypeExt;
        let still = std::fs::metadata(&fifo).expect("meta").file_type();
        assert!(still.is_fifo(), "the pipe is still a pipe");
        assert_eq!(reader.join().expect("reader"), "through the pipe");
    }

    #[test]
    fn an_empty_collection_gets_the_sample_decks_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut service = Service::open(&dir.path().join("c.sqlite3")).expect("open");
        let now = "2026-03-01T09:00:00Z".parse().expect("time");
        assert!(service.seed_sample_decks(now).expect("seed"));
        assert!(!service.cards(None, now).expect("cards").is_empty());
        assert!(!service.seed_sample_decks(now).expect("again"));
    }

    /// The flag is Linux's own, read back from it (a test thread's process
    /// is the test binary: it keeps the flag, which changes no result).
    #[cfg(target_os = "linux")]
    #[test]
    fn a_shell_asks_linux_for_small_pages() {
        without_huge_pages();
        assert!(rustix::thread::transparent_huge_pages_are_disabled().expect("prctl"));
    }
}
