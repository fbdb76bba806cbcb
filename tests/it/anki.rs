//! `notedeck import-anki`: packages made by Anki's own backend
//! (`tests/fixtures/anki`, see its README) in both formats, their notes
//! written as Markdown the user owns and imported; hostile packages
//! refused with nothing written.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::Env;

const PACKAGES: [&str; 5] = [
    "sm2-legacy.apkg",
    "sm2-current.apkg",
    "sm2.colpkg",
    "fsrs-legacy.apkg",
    "fsrs-current.apkg",
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/anki")
        .join(name)
}

fn expected() -> Value {
    let text = std::fs::read_to_string(fixture("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("json")
}

fn import(env: &Env, package: &str, into: &Path) -> Value {
    env.json(&[
        "import-anki",
        fixture(package).to_str().expect("path"),
        "--into",
        into.to_str().expect("path"),
    ])
}

#[test]
fn every_package_format_becomes_notes_with_one_card_per_anki_card() {
    let expected = expected();
    for package in PACKAGES {
        let env = Env::new();
        let into = env.dir.path().join("From Anki");
        let report = import(&env, package, &into);
        let counts = &expected["packages"][package]["counts"];
        assert_eq!(report["notes"], counts["notes"], "{package}: {report}");
        assert_eq!(report["cards"], counts["cards"], "{package}");
        assert_eq!(report["reviews"], counts["revlog"], "{package}");
        assert_eq!(report["media_copied"], counts["media"], "{package}");
        assert_eq!(report["skipped"], serde_json::json!([]), "{package}");
        assert_eq!(
            report["format"],
            if package.contains("legacy") {
                "legacy"
            } else {
                "current"
            }
        );
        // One notedeck card per Anki card, none skipped.
        let totals = &report["import"]["totals"];
        assert_eq!(totals["added"], counts["cards"], "{package}: {totals}");
        assert_eq!(totals["skipped"], 0, "{package}: {totals}");
        // Sub-decks are folders; every deck Anki had holds its notes.
        for deck in ["Biology", "Biology/Cells", "Languages/Spanish"] {
            assert!(
                into.join(format!("{deck}.md")).is_file(),
                "{package}: {deck}"
            );
        }
        let cards = env.json(&["cards"]);
        let cards = cards.as_array().expect("cards");
        let kinds = |kind: &str| cards.iter().filter(|c| c["kind"] == kind).count();
        assert_eq!(
            kinds("cloze"),
            3,
            "{package}: two cloze notes, three clozes"
        );
        assert_eq!(
            kinds("reversed"),
            2,
            "{package}: one reversed note, both ways"
        );
        // Tags became note tags; media are copied and shown.
        let tagged = cards
            .iter()
            .filter(|c| {
                c["tags"]
                    .as_array()
                    .is_some_and(|t| t.contains(&"cells/organelles".into()))
            })
            .count();
        assert!(tagged >= 1, "{package}");
        let with_image = cards.iter().any(|c| {
            c["back_html"]
                .as_str()
                .is_some_and(|b| b.contains("<img src=\"media/"))
        });
        let with_sound = cards.iter().any(|c| {
            c["back_html"]
                .as_str()
                .is_some_and(|b| b.contains("<audio"))
        });
        assert!(with_image && with_sound, "{package}");
        assert!(into.join("media/cell.png").is_file());
    }
}

#[test]
fn importing_again_changes_nothing_and_an_edited_note_is_kept() {
    let env = Env::new();
    let into = env.dir.path().join("Anki");
    import(&env, "sm2-current.apkg", &into);
    let again = import(&env, "sm2-current.apkg", &into);
    for file in again["files"].as_array().expect("files") {
        assert_eq!(file["outcome"], "unchanged", "{again}");
    }
    assert_eq!(again["import"]["totals"]["unchanged"], 11, "{again}");
    // The user edits a note: the next import from Anki leaves it alone.
    let spanish = into.join("Languages/Spanish.md");
    let edited = std::fs::read_to_string(&spanish).expect("read") + "\nmi libro::my book\n";
    std::fs::write(&spanish, &edited).expect("edit");
    let third = import(&env, "sm2-legacy.apkg", &into);
    let kept = third["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["path"] == "Languages/Spanish.md")
        .expect("spanish");
    assert_eq!(kept["outcome"], "kept", "{third}");
    assert_eq!(std::fs::read_to_string(&spanish).expect("read"), edited);
    // A dry run writes nothing.
    let other = env.dir.path().join("dry");
    let dry = env.json(&[
        "import-anki",
        fixture("sm2-legacy.apkg").to_str().expect("path"),
        "--into",
        other.to_str().expect("path"),
        "--dry-run",
    ]);
    assert_eq!(dry["import"], Value::Null);
    assert!(!other.exists());
}

/// A zip holding `entries` (name, bytes), stored.
fn zip_of(path: &Path, entries: &[(&str, &[u8])]) {
    let file = std::fs::File::create(path).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish");
}

#[test]
fn hostile_or_broken_packages_are_refused_and_nothing_is_written() {
    let env = Env::new();
    env.write("n.md", "# N\n\n## Q\nA\n");
    env.ok(&["import", env.notes().to_str().expect("path")]);
    let before = env.ok(&["cards", "--json"]);
    let into = env.dir.path().join("into");
    let dir = env.dir.path();
    let not_zip = dir.join("not.apkg");
    std::fs::write(&not_zip, "hello").expect("write");
    let no_collection = dir.join("empty.apkg");
    zip_of(&no_collection, &[("readme.txt", b"nothing")]);
    let not_sqlite = dir.join("fake.apkg");
    zip_of(
        &not_sqlite,
        &[("collection.anki21", b"not a database at all")],
    );
    // A collection from a newer Anki (a schema this notedeck does not read).
    let newer_db = dir.join("newer.sqlite3");
    {
        let conn = rusqlite::Connection::open(&newer_db).expect("db");
        conn.execute_batch(
            "CREATE TABLE col (ver INTEGER, crt INTEGER); INSERT INTO col VALUES (99, 0);",
        )
        .expect("schema");
    }
    let newer = dir.join("newer.apkg");
    let newer_bytes = std::fs::read(&newer_db).expect("read");
    zip_of(&newer, &[("collection.anki21", newer_bytes.as_slice())]);
    for (package, says) in [
        (&newer, "schema 99"),
        (&not_zip, "not an Anki package"),
        (&no_collection, "holds no collection"),
        (&not_sqlite, "not one Anki writes"),
        (&dir.join("missing.apkg"), "cannot be read"),
    ] {
        let out = env.run(&[
            "import-anki",
            package.to_str().expect("path"),
            "--into",
            into.to_str().expect("path"),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{package:?}");
        assert!(stderr.contains(says), "{package:?}: {stderr}");
    }
    assert!(!into.exists(), "nothing written");
    assert_eq!(env.ok(&["cards", "--json"]), before, "collection unchanged");
}

#[test]
fn media_names_that_are_paths_are_refused_and_never_written() {
    // A real package whose media list is replaced by hostile names.
    let env = Env::new();
    let dir = env.dir.path();
    let source = std::fs::File::open(fixture("sm2-legacy.apkg")).expect("open");
    let mut archive = zip::ZipArchive::new(source).expect("zip");
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).expect("read");
        entries.push((entry.name().expect("name").into_owned(), bytes));
    }
    let hostile = br#"{"0": "../../escaped.png", "1": ".hidden"}"#;
    let hostile_package = dir.join("hostile.apkg");
    let list: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, b)| {
            if n == "media" {
                (n.as_str(), hostile.as_slice())
            } else {
                (n.as_str(), b.as_slice())
            }
        })
        .collect();
    zip_of(&hostile_package, &list);
    let into = dir.join("deep/into");
    let report = env.json(&[
        "import-anki",
        hostile_package.to_str().expect("path"),
        "--into",
        into.to_str().expect("path"),
    ]);
    let skipped = report["media_skipped"].to_string();
    assert!(skipped.contains("a path, not a file name"), "{report}");
    assert!(skipped.contains("a hidden file"), "{report}");
    assert!(!dir.join("escaped.png").exists());
    assert!(!dir.join("deep/escaped.png").exists());
    assert_eq!(report["media_copied"], 0);
}

/// Each Anki card with answers keeps its due day, interval, lapses and
/// answers, as Anki reports them for the same package; `check` replays the
/// imported history; importing the package again adds nothing.
#[test]
fn progress_is_kept_as_anki_reports_it() {
    let expected = expected();
    for package in PACKAGES {
        let env = Env::new();
        let into = env.dir.path().join("Anki");
        let report = import(&env, package, &into);
        let cards = expected["packages"][package]["cards"]
            .as_object()
            .expect("cards");
        let sql = env.sql();
        let mut answers_expected = 0;
        for (key, anki) in cards {
            let (guid, ord) = key.rsplit_once('/').expect("guid/ord");
            let answered: Vec<&Value> = anki["revlog"]
                .as_array()
                .expect("revlog")
                .iter()
                .filter(|r| r["type"].as_i64().is_some_and(|t| t <= 3))
                .collect();
            answers_expected += answered.len();
            if answered.is_empty() {
                continue;
            }
            let (id, interval, lapses, due, suspended, buried): (
                String,
                i64,
                i64,
                Option<String>,
                bool,
                bool,
            ) = sql
                .query_row(
                    "SELECT c.id, c.interval_days, c.lapses, c.due_day, c.suspended,
                            c.buried_until IS NOT NULL
                     FROM anki_cards a JOIN cards c ON c.id = a.card_id
                     WHERE a.guid = ?1 AND a.ord = ?2",
                    rusqlite::params![guid, ord.parse::<i64>().expect("ord")],
                    |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                        ))
                    },
                )
                .unwrap_or_else(|e| panic!("{package} {key}: {e}"));
            let logged: i64 = sql
                .query_row(
                    "SELECT count(*) FROM review_log WHERE card_id = ?1 AND imported = 1",
                    [&id],
                    |r| r.get(0),
                )
                .expect("count");
            assert_eq!(logged as usize, answered.len(), "{package} {key}: answers");
            assert_eq!(
                lapses,
                anki["lapses"].as_i64().expect("lapses"),
                "{package} {key}"
            );
            assert_eq!(suspended, anki["suspended"] == true, "{package} {key}");
            assert_eq!(buried, anki["buried"] == true, "{package} {key}");
            if anki["due_kind"] == "day" {
                assert_eq!(
                    interval,
                    anki["interval"].as_i64().expect("ivl"),
                    "{package} {key}"
                );
                assert_eq!(due.as_deref(), anki["due_date"].as_str(), "{package} {key}");
            }
        }
        assert_eq!(
            report["progress"]["answers"], answers_expected,
            "{package}: {report}"
        );
        assert_eq!(env.json(&["check"])["ok"], true, "{package}");
        let again = import(&env, package, &into);
        assert_eq!(again["progress"]["answers"], 0, "{package}: {again}");
        assert_eq!(again["progress"]["already"], answers_expected, "{package}");
    }
}

/// A Python with Anki's own backend (`anki` from PyPI): `ANKI_PYTHON`, or
/// the one `make test` installs into `.bench-venv`.
fn anki_python() -> Option<PathBuf> {
    std::env::var_os("ANKI_PYTHON")
        .map(PathBuf::from)
        .or_else(|| {
            let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.bench-venv/bin/python");
            venv.is_file().then_some(venv)
        })
}

/// notedeck → `.apkg` → Anki's backend imports it (notes, cards, review
/// log, media, due days as notedeck had them) and, back through
/// `import-anki`, the same cards and answers come back.
#[test]
fn exported_packages_open_in_anki_and_come_back_the_same() {
    let env = Env::new();
    let into = env.dir.path().join("Anki");
    let now = "2026-12-06T10:00:00Z";
    env.at(
        now,
        &[
            "import-anki",
            fixture("sm2-current.apkg").to_str().expect("path"),
            "--into",
            into.to_str().expect("path"),
        ],
    );
    let out = env.dir.path().join("out.apkg");
    let exported = env.at(
        now,
        &[
            "export-anki",
            "--out",
            out.to_str().expect("path"),
            "--with-progress",
        ],
    );
    assert_eq!(exported["cards"], 11, "{exported}");
    assert_eq!(
        exported["notes"], 10,
        "a reversed pair is one note: {exported}"
    );
    assert_eq!(exported["reviews"], 43, "{exported}");
    assert_eq!(exported["media"], 2, "{exported}");
    let ours: Vec<(String, Option<String>, i64)> = {
        let sql = env.sql();
        let mut stmt = sql
            .prepare(
                "SELECT c.id, c.due_day, (SELECT count(*) FROM review_log r WHERE r.card_id = c.id)
                 FROM cards c WHERE c.retired = 0 ORDER BY c.id",
            )
            .expect("prepare");
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("query");
        rows.map(|r| r.expect("row")).collect()
    };

    // Back through import-anki: the same number of cards and answers.
    let again = Env::new();
    let back = again.at(
        now,
        &[
            "import-anki",
            out.to_str().expect("path"),
            "--into",
            again.dir.path().join("Back").to_str().expect("path"),
        ],
    );
    assert_eq!(back["import"]["totals"]["added"], 11, "{back}");
    assert_eq!(back["progress"]["answers"], 43, "{back}");
    assert_eq!(again.json(&["check"])["ok"], true);
    let mut due_here: Vec<Option<String>> = ours.iter().map(|(_, d, _)| d.clone()).collect();
    let mut due_back: Vec<Option<String>> = again
        .json(&["cards"])
        .as_array()
        .expect("cards")
        .iter()
        .map(|c| c["due"].as_str().map(str::to_owned))
        .collect();
    due_here.sort();
    due_back.sort();
    assert_eq!(due_back, due_here, "due days come back");

    // Anki's own backend opens it.
    let Some(python) = anki_python() else {
        eprintln!("skipped the Anki half: no Python with `anki` (make test installs it)");
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/anki/check_export.py");
    let from_anki = env.dir.path().join("from-anki.apkg");
    let run = std::process::Command::new(python)
        .arg(script)
        .arg(&out)
        .arg(&from_anki)
        .env("TZ", "UTC")
        .output()
        .expect("run anki");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let anki: Value = serde_json::from_slice(&run.stdout).expect("json");
    assert_eq!(anki["notes"], 10, "{anki}");
    assert_eq!(anki["cards"], 11);
    assert_eq!(anki["revlog"], 43);
    assert_eq!(anki["media"].as_array().map(Vec::len), Some(2));
    let reviewed_here: Vec<&Option<String>> = ours
        .iter()
        .filter(|(_, _, n)| *n > 0)
        .map(|(_, d, _)| d)
        .collect();
    let mut anki_due: Vec<String> = anki["cards_detail"]
        .as_array()
        .expect("cards")
        .iter()
        .filter_map(|c| c["due_date"].as_str().map(str::to_owned))
        .collect();
    anki_due.sort();
    for due in reviewed_here.into_iter().flatten() {
        assert!(
            anki_due.contains(due) || due.as_str() <= "2026-12-06",
            "{due} in {anki_due:?}"
        );
    }

    // Anki exports it again (its own current format): import-anki gives
    // back the same cards and answers.
    let third = Env::new();
    let back = third.at(
        now,
        &[
            "import-anki",
            from_anki.to_str().expect("path"),
            "--into",
            third.dir.path().join("Again").to_str().expect("path"),
        ],
    );
    assert_eq!(back["format"], "current", "{back}");
    assert_eq!(back["import"]["totals"]["added"], 11, "{back}");
    assert_eq!(back["progress"]["answers"], 43, "{back}");
    assert_eq!(back["media_copied"], 2, "{back}");
    assert_eq!(third.json(&["check"])["ok"], true);
}

/// A newer export of the same collection (the legacy and current packages
/// hold the same notes and log) adds no answer twice.
#[test]
fn a_newer_export_of_the_same_collection_adds_only_what_is_new() {
    let env = Env::new();
    let into = env.dir.path().join("Anki");
    let first = import(&env, "sm2-legacy.apkg", &into);
    let answers = first["progress"]["answers"].clone();
    let second = import(&env, "sm2-current.apkg", &into);
    assert_eq!(second["progress"]["answers"], 0, "{second}");
    assert_eq!(second["progress"]["already"], answers, "{second}");
    assert_eq!(env.json(&["check"])["ok"], true);
}

/// The review-log CSV (read from the stored columns, without joins) says
/// what the JSON export (the general path) says, field by field, for a
/// whole collection and for one deck, FSRS memory included.
#[test]
fn the_review_csv_says_what_the_json_says() {
    let env = Env::new();
    import(&env, "fsrs-current.apkg", &env.dir.path().join("Anki"));
    for deck in [None, Some("Anki::Biology")] {
        let mut args = vec!["export", "reviews"];
        if let Some(deck) = deck {
            args.extend(["--deck", deck]);
        }
        let csv_text = env.ok(&[args.as_slice(), &["--format", "csv"]].concat());
        let json: Value =
            serde_json::from_str(&env.ok(&[args.as_slice(), &["--format", "json"]].concat()))
                .expect("json");
        let rows = json.as_array().expect("rows");
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let header = reader.headers().expect("header").clone();
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(records.len(), rows.len(), "{deck:?}");
        assert!(!rows.is_empty());
        let mut with_memory = 0;
        for (record, row) in records.iter().zip(rows) {
            for (column, text) in header.iter().zip(record.iter()) {
                let value = &row[column];
                let same = match value {
                    Value::Null => text.is_empty(),
                    Value::String(s) => s == text,
                    Value::Number(n) => text.parse::<f64>().ok() == n.as_f64(),
                    other => panic!("{column}: {other}"),
                };
                assert!(same, "{deck:?} {column}: csv `{text}`, json {value}");
            }
            with_memory += usize::from(!row["stability_after"].is_null());
        }
        assert!(with_memory > 0, "FSRS memory is exported");
    }
}

/// `export-anki --out` naming a pipe (or a device such as /dev/stdout)
/// gets the whole package through it, and the pipe stays a pipe; the
/// package read from it imports back with every card.
#[cfg(unix)]
#[test]
fn a_package_exported_into_a_pipe_goes_through_it() {
    let env = Env::new();
    import(&env, "sm2-current.apkg", &env.dir.path().join("Anki"));
    let (fifo, reader) = crate::support::pipe_reader(env.dir.path());
    let exported = env.json(&["export-anki", "--out", fifo.to_str().expect("path")]);
    assert!(crate::support::is_still_a_pipe(&fifo));
    let bytes = reader.join().expect("reader");
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip package");
    let package = env.dir.path().join("through-the-pipe.apkg");
    std::fs::write(&package, &bytes).expect("write");
    let again = Env::new();
    let back = import(
        &again,
        package.to_str().expect("path"),
        &again.dir.path().join("Back"),
    );
    assert_eq!(
        back["import"]["totals"]["added"], exported["cards"],
        "{back}"
    );
}
