//! A temporary workspace with a collection and a notes folder, and a way to
//! run the real CLI against it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A temporary folder holding `collection.sqlite3` and a `notes/` folder.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("notes")).expect("notes dir");
        Env { dir }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("collection.sqlite3")
    }

    pub fn notes(&self) -> PathBuf {
        self.dir.path().join("notes")
    }

    /// Writes a file under the notes folder, creating folders.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.notes().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, content).expect("write note");
        path
    }

    /// Runs `notedeck --db <db> ARGS…` and returns its output.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_notedeck"))
            .arg("--db")
            .arg(self.db())
            .args(args)
            .env_remove("NOTEDECK_DB")
            .env_remove("NOTEDECK_NOW")
            // The day's backup is taken by another process; the tests that
            // look at it at once wait for it (one test does not).
            .env("NOTEDECK_BACKUP_WAIT", "1")
            .env("TZ", "UTC")
            .output()
            .expect("run notedeck")
    }

    /// Runs a command that must succeed and returns its stdout.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "notedeck {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs a command with `--json` appended and parses its stdout.
    #[track_caller]
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all: Vec<&str> = args.to_vec();
        all.push("--json");
        let text = self.ok(&all);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad JSON ({e}): {text}"))
    }

    /// Imports the notes folder and returns the JSON report.
    #[track_caller]
    pub fn import_notes(&self) -> Value {
        let notes = self.notes();
        self.json(&["import", notes.to_str().expect("path")])
    }

    /// Every card as JSON objects.
    #[track_caller]
    pub fn cards(&self) -> Vec<Value> {
        self.json(&["cards"]).as_array().expect("array").clone()
    }

    /// The card whose heading path ends with `heading`.
    #[track_caller]
    pub fn card(&self, heading: &str) -> Value {
        let cards = self.cards();
        let found: Vec<&Value> = cards
            .iter()
            .filter(|c| last_heading(c) == heading)
            .collect();
        assert_eq!(found.len(), 1, "cards ending in {heading:?}: {cards:#?}");
        found[0].clone()
    }

    /// Runs a command with `--now NOW` prepended.
    #[track_caller]
    pub fn at(&self, now: &str, args: &[&str]) -> Value {
        let mut all = vec!["--now", now];
        all.extend_from_slice(args);
        self.json(&all)
    }

    /// Starts `notedeck --now NOW review` with its keyboard and screen piped
    /// (the terminal review reads keys from a pipe, one byte each).
    pub fn spawn_review(&self, now: &str) -> std::process::Child {
        Command::new(env!("CARGO_BIN_EXE_notedeck"))
            .arg("--db")
            .arg(self.db())
            .args(["--now", now, "review"])
            .env("TZ", "UTC")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("spawn notedeck review")
    }

    /// Opens the collection directly, to set up or inspect state.
    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db()).expect("open db")
    }
}

/// A collection with one note of `n` cards named Q1…Qn.
pub fn deck_of(n: usize) -> Env {
    let env = Env::new();
    let mut note = String::from("# Deck\n");
    for i in 1..=n {
        note.push_str(&format!("## Q{i}\nAnswer {i}.\n"));
    }
    env.write("deck.md", note);
    env.import_notes();
    env
}

/// 3,000 cards whose tag lists are long (2,000 tags, 22 KB, each), and a
/// query of 32 tags they do not hold, negated, which reads every card's
/// whole list 64 times: several seconds of work in a debug build, within
/// every limit of the query language, so only the search budget stops it.
pub fn long_tag_lists() -> (Env, String) {
    let env = deck_of(3000);
    // The CLI indexes the cards before its first search: now, while their
    // text is short (the long lists are left out of the index).
    env.ok(&["cards", "--search", "nothing"]);
    let tags: Vec<String> = (0..2000).map(|i| format!("topic{i:05}")).collect();
    env.sql()
        .execute("UPDATE cards SET tags = ?1", [tags.join(" ")])
        .expect("tags");
    let query: Vec<String> = (0..32).map(|i| format!("-tag:absent{i}")).collect();
    (env, query.join(" "))
}

/// The id of the card whose heading path ends with `heading`.
pub fn id_of(env: &Env, heading: &str) -> String {
    env.card(heading)["id"].as_str().expect("id").to_owned()
}

/// A queue (`due --json`, `study --json`) as (last heading, reason) pairs.
pub fn queue_entries(queue: &Value) -> Vec<(String, String)> {
    queue
        .as_array()
        .expect("array")
        .iter()
        .map(|c| {
            (
                last_heading(c),
                c["queue"].as_str().expect("queue").to_owned(),
            )
        })
        .collect()
}

pub fn last_heading(card: &Value) -> String {
    card["heading_path"]
        .as_array()
        .and_then(|p| p.last())
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

/// The real notes shipped beside the checkout (`../shared/notes`).
pub fn shared_notes() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/notes")
}

/// The report entry for the note whose path ends with `suffix`.
#[track_caller]
pub fn note_report<'a>(report: &'a Value, suffix: &str) -> &'a Value {
    report["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .find(|n| n["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
        .unwrap_or_else(|| panic!("no report for {suffix}: {report:#}"))
}

/// A named pipe in `dir` and a thread that reads everything written into
/// it (join it for the bytes). Check that the pipe is still a pipe
/// (`is_still_a_pipe`) before joining: a pipe replaced by a file would
/// leave the reader waiting.
#[cfg(unix)]
pub fn pipe_reader(dir: &Path) -> (PathBuf, std::thread::JoinHandle<Vec<u8>>) {
    use std::io::Read;
    let fifo = dir.join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            std::fs::File::open(fifo)
                .expect("open")
                .read_to_end(&mut bytes)
                .expect("read");
            bytes
        })
    };
    (fifo, reader)
}

/// True when `path` is (still) a named pipe.
#[cfg(unix)]
pub fn is_still_a_pipe(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}
