//! Invariants of ARCHITECTURE.md that a reading of the sources checks (in
//! the spirit of rust-analyzer's tidy tests): every module says what it is
//! for, only `storage` holds SQL, no `unwrap` outside tests, only SQLite
//! opens the collection, the pure crates (`notedeck-markdown`,
//! `notedeck-scheduler`) depend on nothing but what they are allowed, the
//! core has no HTTP, JSON or Tauri dependency, the api writes only
//! through the core, and only named modules write a card's schedule. Every line outside `#[cfg(test)]` items is
//! read.

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file of the shipped crates (not tests, benches or fuzz).
fn sources() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let roots = [
        "crates/markdown/src",
        "crates/scheduler/src",
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

/// The lines of `text` outside `#[cfg(test)]` items: an item under the
/// attribute is left out whole (a `mod tests;` line, or a block up to its
/// closing brace), and reading goes on after it.
fn shipped_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        if !line.trim_start().starts_with("#[cfg(test)]") {
            out.push((i + 1, line));
            continue;
        }
        // Further attributes, then the item itself.
        while lines
            .peek()
            .is_some_and(|(_, l)| l.trim_start().starts_with("#["))
        {
            lines.next();
        }
        let mut depth = 0i64;
        let mut opened = false;
        for (_, item) in lines.by_ref() {
            let code = without_literals(item);
            depth += code.matches('{').count() as i64 - code.matches('}').count() as i64;
            opened |= code.contains('{');
            if (opened && depth <= 0) || (!opened && code.trim_end().ends_with(';')) {
                break;
            }
        }
    }
    out.into_iter()
}

/// `line` with the insides of string and char literals left out (so their
/// braces are not counted).
fn without_literals(line: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (in_string, c) {
            (true, '\\') => {
                chars.next();
            }
            (true, '"') => in_string = false,
            (true, _) => {}
            (false, '"') => in_string = true,
            (false, '\'') if chars.clone().nth(1) == Some('\'') => {
                chars.next();
                chars.next();
            }
            (false, _) => out.push(c),
        }
    }
    out
}

/// The string literal text of each shipped code line, string literals
/// that run over several lines included (their inner lines have no quote).
fn string_texts(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_string = false;
    for (line_no, line) in code_lines(text) {
        let mut literal = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match (in_string, c) {
                (true, '\\') => {
                    chars.next();
                }
                (true, '"') => {
                    in_string = false;
                    literal.push('\n');
                }
                (true, _) => literal.push(c),
                (false, '"') => in_string = true,
                (false, _) => {}
            }
        }
        if !literal.is_empty() {
            out.push((line_no, literal));
        }
    }
    out
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
        // Only text inside string literals counts, on every line they run.
        for (line_no, literal) in string_texts(&text) {
            if SQL.iter().any(|k| literal.contains(k)) {
                found.push(format!("{name}:{line_no}: {}", literal.trim()));
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
        (
            "crates/sync/src/files.rs",
            "the sync folder: this device's own record files appended, others' read bounded",
        ),
        (
            "crates/anki/src/package.rs",
            "an Anki package, read bounded; its collection copied into a temporary folder",
        ),
        (
            "crates/anki/src/export.rs",
            "media of the collection read into an Anki package it writes, atomically",
        ),
        (
            "crates/anki/src/write.rs",
            "note files and media written from an Anki package into the folder chosen, atomically",
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

/// The api carries, the core decides: the service layer opens no
/// transaction and writes no setting of its own; every write is a core
/// call (which checks what it writes).
#[test]
fn the_api_writes_only_through_the_core() {
    const WRITES: &[&str] = &[".transaction()", "set_setting(", "set_fsrs_config(", "Tx<"];
    let mut found = Vec::new();
    for path in sources() {
        let name = relative(&path);
        if !name.starts_with("crates/api/src") || is_test_file(&name) {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        for (line_no, line) in code_lines(&text) {
            if WRITES.iter().any(|w| line.contains(w)) {
                found.push(format!("{name}:{line_no}: {}", line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the api writes to the collection itself; make it a core call: {found:#?}"
    );
}

/// The `[dependencies]` of a crate's manifest, by name.
fn dependencies_of(manifest: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repo().join(manifest)).expect("manifest");
    let mut in_dependencies = false;
    let mut names = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_dependencies = line.ends_with("dependencies]") && !line.contains("dev-dependencies");
            continue;
        }
        let name = line.split(['=', ' ', '.']).next().unwrap_or("");
        if in_dependencies && !name.is_empty() && !name.starts_with('#') {
            names.push(name.to_owned());
        }
    }
    names
}

/// The pure crates depend on nothing of the collection (no notedeck
/// crate, no SQLite, no shell): Cargo keeps them from importing the core,
/// and this list keeps them from growing a dependency unnoticed. A new
/// dependency of a pure crate is a decision: add it here.
#[test]
fn the_pure_crates_depend_only_on_what_they_are_allowed() {
    const ALLOWED: &[(&str, &[&str])] = &[
        ("crates/scheduler/Cargo.toml", &["chrono", "fsrs"]),
        (
            "crates/markdown/Cargo.toml",
            &[
                "ammonia",
                "blake3",
                "encoding_rs",
                // Byte search (already under pulldown-cmark): the line
                // passes' scan for a few ASCII bytes (markdown::scan).
                "memchr",
                "pulldown-cmark",
                "pulldown-cmark-escape",
                "serde",
                "serde_yaml_ng",
                "url",
            ],
        ),
    ];
    let mut found = Vec::new();
    for (manifest, allowed) in ALLOWED {
        let deps = dependencies_of(manifest);
        assert!(!deps.is_empty(), "{manifest} lists no dependencies");
        for dep in deps {
            if !allowed.contains(&dep.as_str()) {
                found.push(format!("{manifest}: {dep}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "a pure crate depends on something it may not: {found:#?}"
    );
}

/// The core knows nothing of HTTP, JSON, terminals or Tauri (its
/// `[dependencies]`).
#[test]
fn the_core_has_no_http_json_or_tauri_dependency() {
    const SHELL_CRATES: &[&str] = &[
        "serde_json",
        "axum",
        "hyper",
        "tower",
        "tokio",
        "tauri",
        "reqwest",
        "clap",
        "crossterm",
        "ts-rs",
    ];
    let found: Vec<String> = dependencies_of("crates/core/Cargo.toml")
        .into_iter()
        .filter(|name| SHELL_CRATES.contains(&name.as_str()))
        .collect();
    assert!(
        found.is_empty(),
        "the core depends on a shell's crate: {found:#?}"
    );
}

/// A card's schedule is written by the answer (review), the actions, a merged
/// undo of another device (sync::merge), a replay (history), progress
/// brought in from Anki (imported), a
/// switch of scheduler and the benchmarks' fixtures only; the method is
/// `pub(crate)`, so nothing outside the core can.
#[test]
fn only_named_modules_write_a_cards_schedule() {
    const WRITERS: &[&str] = &[
        "crates/core/src/review.rs",
        "crates/core/src/actions.rs",
        "crates/core/src/switch.rs",
        "crates/core/src/fixtures.rs",
        "crates/core/src/sync/merge.rs",
        "crates/core/src/history.rs",
        "crates/core/src/imported.rs",
    ];
    let mut found = Vec::new();
    for path in sources() {
        let name = relative(&path);
        if WRITERS.contains(&name.as_str()) || name.contains("/storage/") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        for (line_no, line) in code_lines(&text) {
            if line.contains(".set_schedule(") {
                found.push(format!("{name}:{line_no}: {}", line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "schedules written elsewhere: {found:#?}");
    let storage =
        std::fs::read_to_string(repo().join("crates/core/src/storage/reviews.rs")).expect("read");
    assert!(
        storage.contains("pub(crate) fn set_schedule("),
        "set_schedule is no longer pub(crate)"
    );
}

/// The test reader itself: items under `#[cfg(test)]` are left out whole
/// and reading goes on after them; a SQL string over several lines is read
/// on each.
#[test]
fn the_reader_skips_test_items_precisely() {
    let text = "a\n#[cfg(test)]\nmod proptests;\nb\n#[cfg(test)]\n#[allow(x)]\nmod tests {\n    fn f() { let s = \"}\"; }\n}\nc\n";
    let kept: Vec<&str> = shipped_lines(text).map(|(_, l)| l).collect();
    assert_eq!(kept, ["a", "b", "c"]);
    let sql = "let q = \"SELECT a\n    FROM t WHERE x\n    DELETE FROM y\";\n";
    let texts = string_texts(sql);
    assert_eq!(texts.len(), 3, "{texts:?}");
    assert!(texts[2].1.contains("DELETE FROM"));
}
