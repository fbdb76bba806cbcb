//! The reproductions of issue 21: a note that aborted the process, small
//! notes that expanded into gigabytes, and another SQLite program that
//! made acknowledged answers vanish (see SECURITY.md).

use serde_json::Value;

use crate::serve::{json_post, request, start};
use crate::support::{deck_of, note_report, Env};

/// The bytes of the collection and its write-ahead log.
fn collection_bytes(env: &Env) -> u64 {
    ["", "-wal"]
        .iter()
        .map(|suffix| {
            let mut path = env.db().into_os_string();
            path.push(suffix);
            std::fs::metadata(path).map_or(0, |m| m.len())
        })
        .sum()
}

/// The bytes of every file under the notes folder.
fn vault_bytes(env: &Env) -> u64 {
    let mut total = 0;
    let mut stack = vec![env.notes()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
            let meta = entry.metadata().expect("meta");
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                total += meta.len();
            }
        }
    }
    total
}

/// Every warning of the note whose path ends with `suffix`.
fn warnings_of(report: &Value, suffix: &str) -> String {
    note_report(report, suffix)["warnings"].to_string()
}

/// Imports the notes and checks that the collection grew at most linearly:
/// 40 bytes per byte of notes, plus 2 MB per note for its allowance
/// (embeds, footnotes, clozes copy at most 16× the note plus 1 MB).
#[track_caller]
fn import_within_bounds(env: &Env, notes: u64) -> Value {
    let report = env.import_notes();
    let (vault, collection) = (vault_bytes(env), collection_bytes(env));
    let bound = 40 * vault + notes * (2 << 20) + (4 << 20);
    assert!(
        collection <= bound,
        "a vault of {vault} bytes made a collection of {collection} bytes (bound {bound})"
    );
    report
}

#[test]
fn a_line_of_twenty_thousand_separators_imports_through_the_cli_and_the_server() {
    let env = Env::new();
    env.write(
        "colons.md",
        format!("# Colons\n\n{}\n", "a::".repeat(20_000)),
    );
    env.write("fine.md", "# Fine\n\n## Q\nAn answer.\n");
    // This aborted with a stack overflow (exit 134), and again at every
    // later import of the vault.
    let report = env.import_notes();
    assert_eq!(report["totals"]["skipped"], 0, "{report:#}");
    env.import_notes();

    let other = Env::new();
    other.write(
        "colons.md",
        format!("# Colons\n\n{}\n", "a::".repeat(20_000)),
    );
    let server = start(&other);
    let import = format!(
        "{{\"paths\": [{:?}], \"dry_run\": false}}",
        other.notes().to_str().expect("path")
    );
    let (status, report) = json_post(&server, "/api/import", &import);
    assert_eq!(status, 200, "{report:#}");
    let (status, _, _) = request(&server, "GET", "/api/health", &[], "");
    assert_eq!(status, 200, "the server goes on");
}

#[test]
fn a_paragraph_of_ten_thousand_clozes_stays_small() {
    let env = Env::new();
    let paragraph: String = (1..=10_000)
        .map(|n| format!("w {{{{c{n}::a}}}} "))
        .collect();
    env.write("clozes.md", format!("# Clozes\n\nIntro.\n\n{paragraph}\n"));
    // 11 s, 1.2 GB of memory and a 783 MB collection before.
    let report = import_within_bounds(&env, 1);
    let warnings = warnings_of(&report, "clozes.md");
    assert!(
        warnings.contains("line 5: cloze numbers after c100 left out (9900 more)"),
        "{warnings}"
    );
    let clozes = env.cards().iter().filter(|c| c["kind"] == "cloze").count();
    assert!((1..=100).contains(&clozes), "{clozes} cloze cards");
}

#[test]
fn a_long_footnote_cited_by_a_thousand_sections_stays_small() {
    let env = Env::new();
    let mut note = String::from("# Cited\n\n");
    for i in 0..1_000 {
        note.push_str(&format!("## Part {i}\nSee the note[^long].\n\n"));
    }
    note.push_str(&format!("[^long]: {}\n", "word ".repeat(200_000)));
    env.write("cited.md", note);
    // 22 s, 1.0 GB of memory and a 956 MB collection before.
    let report = import_within_bounds(&env, 1);
    assert_eq!(report["totals"]["added"], 1_000);
    let warnings = warnings_of(&report, "cited.md");
    assert!(
        warnings.contains("footnote(s) [^long] not shown under this card"),
        "{warnings}"
    );
}

#[test]
fn a_thousand_embeds_of_a_long_note_stay_small() {
    let env = Env::new();
    env.write("B.md", format!("# B\n\n{}\n", "text ".repeat(200_000)));
    let embeds: String = (0..1_000)
        .map(|i| format!("## E{i}\nWhat B says:\n\n![[B]]\n\n"))
        .collect();
    env.write("A.md", format!("# A\n\n{embeds}"));
    // 24 s and a 960 MB collection before.
    let report = import_within_bounds(&env, 2);
    let warnings = warnings_of(&report, "A.md");
    assert!(warnings.contains("embed of `B` left out"), "{warnings}");
    // The first embed fits the note's allowance and is shown.
    let cards = env.cards();
    let first = cards
        .iter()
        .find(|c| c["heading_path"].to_string().contains("\"E0\""))
        .expect("E0");
    assert!(first["back_html"].as_str().expect("html").len() > 900_000);
}

#[test]
fn a_thousand_logseq_cards_referencing_a_long_block_stay_small() {
    let env = Env::new();
    std::fs::create_dir_all(env.notes().join("logseq")).expect("graph");
    let uuid = "650a1b2c-0000-4000-8000-0000000000a1";
    env.write(
        "pages/source.md",
        format!("- {}\n  id:: {uuid}\n", "long ".repeat(200_000)),
    );
    let cards: String = (0..1_000)
        .map(|i| format!("- Question {i} #card\n  - (({uuid}))\n"))
        .collect();
    env.write("pages/cards.md", cards);
    // 60 s, 8.8 GB of memory and a 2.8 GB collection before.
    import_within_bounds(&env, 2);
}

#[test]
fn another_sqlite_program_cannot_make_acknowledged_answers_vanish() {
    let env = deck_of(12);
    // The ids come from the CLI: a read through the server's own reading
    // connections would lock the file again and hide the fault.
    let ids: Vec<String> = env
        .json(&["due"])
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect();
    let server = start(&env);
    let answer = |id: &str| {
        let (status, body) = json_post(
            &server,
            "/api/answer",
            &format!("{{\"card_id\": \"{id}\", \"grade\": \"good\"}}"),
        );
        assert_eq!(status, 200, "{body:#}");
    };
    for id in &ids[..5] {
        answer(id);
    }
    // A person looks at the collection with another SQLite program (here
    // Python's sqlite3 module), which closes it again: it must see another
    // user and leave the write-ahead log alone.
    let outside = std::process::Command::new("python3")
        .arg("-c")
        .arg("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute('SELECT count(*) FROM review_log').fetchone()[0]); c.close()")
        .arg(env.db())
        .output()
        .expect("python3 (scripts/setup.sh installs it)");
    assert_eq!(
        String::from_utf8_lossy(&outside.stdout).trim(),
        "5",
        "{outside:?}"
    );
    for id in &ids[5..10] {
        answer(id);
    }
    drop(server);
    let check = env.json(&["check"]);
    assert_eq!(check["reviews"], 10, "every acknowledged answer: {check:#}");
    assert_eq!(check["ok"], true, "{check:#}");
    let integrity: String = env
        .sql()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(integrity, "ok");
}
