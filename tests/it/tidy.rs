//! Invariants of ARCHITECTURE.md that a reading of the sources checks (in
//! the spirit of rust-analyzer's tidy tests): every module says what it is
//! for, only `storage` holds SQL, and no `unwrap` outside tests.

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file of the shipped crates (not tests, benches or fuzz).
fn sources() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let roots = [
        "crates/core/src",
        "crates/api/src",
        "crates/server/src",
        "crates/cli/src",
        "src-tauri/src",
    ];
    for root in roots {
        let mut stack = vec![repo().join(root)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("source folder").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    assert!(files.len() > 40, "the sources were not found");
    files
}

/// The lines of `text` before its test module (tests come last).
fn shipped_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .take_while(|(_, line)| line.trim() != "#[cfg(test)]")
        .map(|(i, line)| (i + 1, line))
}

/// Whole files of tests (a `mod …tests;` under `#[cfg(test)]`): their
/// names end in `tests.rs` (`tests.rs`, `proptests.rs`,
/// `worst_case_tests.rs`).
fn is_test_file(name: &str) -> bool {
    name.ends_with("tests.rs")
}

/// The shipped lines of `text` that are code (comment lines left out).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    shipped_lines(text).filter(|(_, line)| !line.trim_start().starts_with("//"))
}

fn relative(path: &Path) -> String {
    path.strip_prefix(repo())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn every_module_says_what_it_is_for() {
    let missing: Vec<String> = sources()
        .iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).expect("read");
            !text.trim_start().starts_with("//!")
        })
        .map(|path| relative(path))
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a `//!` header: {missing:#?}"
    );
}

#[test]
fn only_storage_holds_sql() {
    const SQL: &[&str] = &[
        "SELECT ",
        "INSERT INTO",
        "INSERT OR",
        "DELETE FROM",
        "CREATE TABLE",
        "PRAGMA ",
        "VACUUM ",
        " SET ",
    ];
    let mut found = Vec::new();
    for path in sources() {
        let name = relative(&path);
        if name.contains("/storage/") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        for (line_no, line) in code_lines(&text) {
            let code = line.trim_start();
            // Only text inside string literals counts.
            let in_string = code.split('"').skip(1).step_by(2);
            for literal in in_string {
                let upper = literal.to_ascii_uppercase();
                if SQL
                    .iter()
                    .any(|k| literal.contains(k) && upper.contains(k.trim()))
                {
                    found.push(format!("{name}:{line_no}: {}", line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "SQL outside storage/: {found:#?}");
}

#[test]
fn no_unwrap_outside_tests() {
    let mut found = Vec::new();
    for path in sources() {
        let name = relative(&path);
        // Whole files of tests (`mod tests;` under `#[cfg(test)]`).
        if is_test_file(&name) {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        for (line_no, line) in code_lines(&text) {
            if line.contains(".unwrap()") {
                found.push(format!("{name}:{line_no}: {}", line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "`unwrap` outside tests: {found:#?}");
}

/// Only SQLite opens the collection file: closing any other descriptor of
/// it would drop every POSIX lock the process holds on it (SECURITY.md,
/// "Only SQLite opens the collection"). So files are opened with `std::fs`
/// only in the modules below, each of which opens something else.
#[test]
fn only_sqlite_opens_the_collection() {
    const OPENS: &[&str] = &[
        "File::open",
        "File::create",
        "File::options",
        "OpenOptions",
        "fs::read(",
        "fs::read_to_string",
        "fs::copy(",
        "fs::write(",
    ];
    // Each module allowed to open files, and what it opens.
    const ALLOWED: &[(&str, &str)] = &[
        ("crates/core/src/import/files.rs", "notes, read bounded"),
        (
            "crates/core/src/extract.rs",
            "the note a card is written into, atomically",
        ),
        (
            "crates/core/src/import/media.rs",
            "media a note names, copied into the media folder",
        ),
        (
            "crates/core/src/media.rs",
            "files of the media folder, served",
        ),
        (
            "crates/core/src/backup.rs",
            "backups; a damaged collection is copied aside only after SQLite could not open it",
        ),
        ("crates/server/src/files.rs", "export files it writes"),
        ("crates/server/src/lib.rs", "/proc/sys/kernel/hostname"),
        ("crates/cli/src/output.rs", "export files it writes"),
        ("crates/api/src/shell.rs", "the sample decks it writes"),
        ("src-tauri/src/main.rs", "export files it writes"),
    ];
    let mut found = Vec::new();
    for path in sources() {
        let name = relative(&path);
        if ALLOWED.iter().any(|(allowed, _)| name == *allowed) || is_test_file(&name) {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        for (line_no, line) in code_lines(&text) {
            if OPENS.iter().any(|open| line.contains(open)) {
                found.push(format!("{name}:{line_no}: {}", line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "files opened outside the modules allowed to (the collection must only be opened by SQLite): {found:#?}"
    );
}
