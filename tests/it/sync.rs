//! `notedeck sync`: two collections whose vaults sit at different paths,
//! one folder a sync tool carries between them. Answers and undos travel
//! both ways and keep their ids; each collection's log replays (`check`);
//! what a sync tool does to files (a half-written line, a changed line, a
//! newer format, a conflicting copy) loses nothing and is reported.

use serde_json::Value;

use crate::support::Env;

const NOTE: &str = "# Cells\n\n## Nucleus\nHolds the DNA.\n\n## Ribosome\nMakes proteins.\n\n## Membrane\nKeeps the cell together.\n";

/// A collection with the note in a vault of its own.
fn computer() -> Env {
    let env = Env::new();
    env.write("vault/cells.md", NOTE);
    env.ok(&["import", env.notes().join("vault").to_str().expect("path")]);
    env
}

fn id_of(env: &Env, heading: &str) -> String {
    env.json(&["cards"])
        .as_array()
        .expect("cards")
        .iter()
        .find(|c| {
            c["heading_path"]
                .as_array()
                .and_then(|p| p.last())
                .and_then(Value::as_str)
                == Some(heading)
        })
        .and_then(|c| c["id"].as_str())
        .unwrap_or_else(|| panic!("no card {heading}"))
        .to_owned()
}

fn log(env: &Env) -> Vec<(String, String, String)> {
    let sql = env.sql();
    let mut stmt = sql
        .prepare("SELECT id, card_id, answered_at FROM review_log ORDER BY answered_at, id")
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query");
    rows.map(|r| r.expect("row")).collect()
}

fn card(env: &Env, id: &str) -> Value {
    env.json(&["cards"])
        .as_array()
        .expect("cards")
        .iter()
        .find(|c| c["id"] == id)
        .cloned()
        .expect("card")
}

/// A folder a sync tool carries (kept while the value lives) and its path.
fn sync_folder() -> (tempfile::TempDir, String) {
    let folder = tempfile::tempdir().expect("folder");
    let path = folder.path().to_str().expect("path").to_owned();
    (folder, path)
}

fn sync(env: &Env, now: &str) -> Value {
    env.at(now, &["sync"])
}

#[test]
fn answers_and_undos_travel_both_ways_and_every_log_replays() {
    let (a, b) = (computer(), computer());
    let (_folder, folder_arg) = sync_folder();
    let folder_arg = folder_arg.as_str();
    let nucleus = id_of(&a, "Nucleus");
    assert_eq!(
        nucleus,
        id_of(&b, "Nucleus"),
        "card ids do not depend on where the vault sits"
    );
    let ribosome = id_of(&a, "Ribosome");

    a.at("2026-03-01T09:00:00Z", &["answer", &nucleus, "good"]);
    let first = a.at("2026-03-01T09:05:00Z", &["sync", "--folder", folder_arg]);
    assert_eq!(first["written"], 1, "{first}");
    let joined = b.at("2026-03-01T10:00:00Z", &["sync", "--folder", folder_arg]);
    assert_eq!(joined["merged"], 1, "{joined}");
    assert_eq!(log(&a), log(&b), "the answer keeps its id and time");
    for key in ["due", "interval", "ease", "repetitions"] {
        assert_eq!(card(&a, &nucleus)[key], card(&b, &nucleus)[key], "{key}");
    }

    // The next day each answers on its own; then both sync.
    b.at("2026-03-02T08:00:00Z", &["answer", &ribosome, "hard"]);
    a.at("2026-03-02T09:00:00Z", &["answer", &nucleus, "easy"]);
    sync(&b, "2026-03-02T09:30:00Z");
    sync(&a, "2026-03-02T09:40:00Z");
    sync(&b, "2026-03-02T09:50:00Z");
    assert_eq!(log(&a).len(), 3);
    assert_eq!(log(&a), log(&b));
    assert_eq!(card(&a, &ribosome)["due"], card(&b, &ribosome)["due"]);
    assert_eq!(card(&a, &nucleus)["due"], card(&b, &nucleus)["due"]);

    // An undo on one takes the answer back on the other.
    b.at("2026-03-02T10:00:00Z", &["undo"]);
    sync(&b, "2026-03-02T10:01:00Z");
    let after = sync(&a, "2026-03-02T10:02:00Z");
    assert_eq!(after["merged"], 1, "{after}");
    assert_eq!(log(&a).len(), 2);
    assert_eq!(log(&a), log(&b));
    assert_eq!(card(&a, &ribosome)["repetitions"], 0);

    for env in [&a, &b] {
        assert_eq!(env.json(&["check"])["ok"], true);
    }
    let status = a.json(&["sync", "--status"]);
    let other = &status["devices"][0];
    assert_eq!(other["records"], 2, "B's answer and its undo: {status}");
    assert_eq!(other["skipped"], 0, "{status}");
    for key in ["id", "name", "last_record_at", "records", "skipped"] {
        assert!(other.get(key).is_some(), "{key} in {status}");
    }
}

#[test]
fn what_sync_tools_do_to_files_loses_nothing_and_is_reported() {
    let (a, b) = (computer(), computer());
    let (folder, folder_arg) = sync_folder();
    let folder_arg = folder_arg.as_str();
    let nucleus = id_of(&a, "Nucleus");
    let membrane = id_of(&a, "Membrane");
    a.at("2026-03-01T09:00:00Z", &["answer", &nucleus, "good"]);
    a.at("2026-03-01T09:01:00Z", &["answer", &membrane, "good"]);
    a.at("2026-03-01T09:05:00Z", &["sync", "--folder", folder_arg]);
    let device = std::fs::read_dir(folder.path().join("notedeck-sync"))
        .expect("root")
        .next()
        .expect("device")
        .expect("entry")
        .path();
    let file = device.join("2026-03.jsonl");
    let text = std::fs::read_to_string(&file).expect("records");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    // A sync in progress: only half of the second line has arrived.
    std::fs::write(&file, format!("{}\n{}", lines[0], &lines[1][..40])).expect("cut");
    let half = b.at("2026-03-01T10:00:00Z", &["sync", "--folder", folder_arg]);
    assert_eq!(
        (half["merged"].as_i64(), half["skipped"].as_i64()),
        (Some(1), Some(0)),
        "{half}"
    );
    // The rest arrives; a conflicting copy holds both lines again, one of
    // them changed by hand, and a newer notedeck wrote a line.
    std::fs::write(&file, format!("{}\n{}\n", lines[0], lines[1])).expect("whole");
    let changed = lines[0].replace("\"grade\":4", "\"grade\":5");
    let newer = lines[1].replacen("{\"v\":1,", "{\"v\":9,", 1);
    std::fs::write(
        device.join("2026-03.sync-conflict-20260301-101010-ABCDEFG.jsonl"),
        format!("{changed}\n{}\n{newer}\n", lines[1]),
    )
    .expect("conflict copy");
    let rest = b.at("2026-03-01T10:05:00Z", &["sync"]);
    assert_eq!(rest["merged"], 1, "{rest}");
    assert_eq!(rest["skipped"], 2, "{rest}");
    assert_eq!(log(&a), log(&b), "nothing lost, nothing twice");
    let status = b.json(&["sync", "--status"]);
    let other = &status["devices"][0];
    let problems = other["problems"].to_string();
    assert!(
        problems.contains("checksum") && problems.contains("newer notedeck"),
        "{status}"
    );
    assert_eq!(
        other["conflict_copies"].as_array().map(Vec::len),
        Some(1),
        "{status}"
    );
    assert_eq!(b.json(&["check"])["ok"], true);
    // No file of another device was written to.
    assert_eq!(
        std::fs::read_to_string(&file).expect("records"),
        format!("{}\n{}\n", lines[0], lines[1])
    );
}

#[test]
fn an_answer_for_a_card_not_imported_yet_waits_and_merges_after_the_import() {
    let a = computer();
    let b = Env::new();
    let (_folder, folder_arg) = sync_folder();
    let folder_arg = folder_arg.as_str();
    let nucleus = id_of(&a, "Nucleus");
    a.at("2026-03-01T09:00:00Z", &["answer", &nucleus, "good"]);
    a.at("2026-03-01T09:05:00Z", &["sync", "--folder", folder_arg]);
    let early = b.at("2026-03-01T10:00:00Z", &["sync", "--folder", folder_arg]);
    assert_eq!(
        (early["merged"].as_i64(), early["waiting"].as_i64()),
        (Some(0), Some(1)),
        "{early}"
    );
    let status = b.json(&["sync", "--status"]);
    assert!(
        status["devices"][0]["waiting_reason"]
            .as_str()
            .is_some_and(|r| r.contains("import")),
        "{status}"
    );
    b.write("elsewhere/vault/cells.md", NOTE);
    b.ok(&[
        "import",
        b.notes().join("elsewhere/vault").to_str().expect("path"),
    ]);
    let later = b.at("2026-03-01T10:10:00Z", &["sync"]);
    assert_eq!(
        (later["merged"].as_i64(), later["waiting"].as_i64()),
        (Some(1), Some(0)),
        "{later}"
    );
    assert_eq!(log(&a), log(&b));
    assert_eq!(b.json(&["check"])["ok"], true);
}

#[test]
fn sync_refuses_a_folder_holding_the_collection_and_off_keeps_what_was_merged() {
    let a = computer();
    let out = a.run(&["sync", "--folder", a.dir.path().to_str().expect("path")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("the collection itself is inside"));
    let out = a.run(&["sync"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("notedeck sync --folder PATH"));
    let folder = tempfile::tempdir().expect("folder");
    a.ok(&["sync", "--folder", folder.path().to_str().expect("path")]);
    a.ok(&["sync", "--off"]);
    assert_eq!(a.json(&["sync", "--status"])["folder"], Value::Null);
}

/// Both computers answer the same cards offline; after both sync, both
/// have every answer, the same log, the same card states (each card's
/// answers replayed in the order they were given), and `check` passes.
/// An undo of an answer that was followed by others on the other computer
/// is taken out of that history too.
#[test]
fn the_same_card_answered_on_both_computers_offline_keeps_both_answers() {
    let (a, b) = (computer(), computer());
    let (_folder, folder_arg) = sync_folder();
    let folder_arg = folder_arg.as_str();
    let nucleus = id_of(&a, "Nucleus");
    let membrane = id_of(&a, "Membrane");
    a.at("2026-03-01T08:00:00Z", &["sync", "--folder", folder_arg]);
    b.at("2026-03-01T08:00:00Z", &["sync", "--folder", folder_arg]);
    // Offline on both: A answers Nucleus at 9:00 and 11:00 (Again),
    // B answers it at 10:00; both answer Membrane.
    a.at("2026-03-01T09:00:00Z", &["answer", &nucleus, "good"]);
    b.at("2026-03-01T10:00:00Z", &["answer", &nucleus, "hard"]);
    a.at("2026-03-01T11:00:00Z", &["answer", &nucleus, "again"]);
    b.at("2026-03-01T09:30:00Z", &["answer", &membrane, "easy"]);
    a.at("2026-03-01T10:30:00Z", &["answer", &membrane, "good"]);
    // Each keeps its statistics' totals of its own answers; the merge
    // then puts answers below them (and replays A's 11:00 answer).
    assert_eq!(answer_figures(&a)["reviews"], 3);
    assert_eq!(answer_figures(&b)["reviews"], 2);
    sync(&a, "2026-03-01T12:00:00Z");
    sync(&b, "2026-03-01T12:01:00Z");
    sync(&a, "2026-03-01T12:02:00Z");
    let merged = log(&a);
    assert_eq!(merged.len(), 5, "every answer kept: {merged:?}");
    assert_eq!(merged, log(&b));
    for id in [&nucleus, &membrane] {
        let (x, y) = (card(&a, id), card(&b, id));
        for key in ["due", "interval", "ease", "repetitions", "lapses"] {
            assert_eq!(x[key], y[key], "{key} of {id}");
        }
    }
    // The answers were replayed in the order given, not the order merged:
    // A's own log order (9:00, 11:00) had B's 10:00 put between them.
    let nucleus_times: Vec<&str> = merged
        .iter()
        .filter(|(_, c, _)| *c == nucleus)
        .map(|(_, _, at)| at.as_str())
        .collect();
    assert_eq!(
        nucleus_times,
        [
            "2026-03-01T09:00:00.000Z",
            "2026-03-01T10:00:00.000Z",
            "2026-03-01T11:00:00.000Z"
        ]
    );
    for env in [&a, &b] {
        let report = env.json(&["check"]);
        assert_eq!(report["ok"], true, "{report}");
    }
    assert_eq!(answer_figures(&a)["reviews"], 5);
    assert_eq!(answer_figures(&a), answer_figures(&b));
    // B takes back its 10:00 answer (its own newest answer); A had answered
    // after it: A takes it out and replays.
    b.at("2026-03-01T12:05:00Z", &["undo"]);
    sync(&b, "2026-03-01T12:06:00Z");
    sync(&a, "2026-03-01T12:07:00Z");
    assert_eq!(log(&a).len(), 4);
    assert_eq!(log(&a), log(&b));
    for key in ["due", "interval", "ease", "repetitions", "lapses"] {
        assert_eq!(card(&a, &nucleus)[key], card(&b, &nucleus)[key], "{key}");
    }
    for env in [&a, &b] {
        let report = env.json(&["check"]);
        assert_eq!(report["ok"], true, "{report}");
    }
    assert_eq!(answer_figures(&a)["reviews"], 4);
    assert_eq!(answer_figures(&a), answer_figures(&b));
}

/// What the statistics of the week say of the answers (the same on two
/// computers holding the same log, whatever each kept before a merge).
fn answer_figures(env: &Env) -> Value {
    let text = env.ok(&[
        "--now",
        "2026-03-01T13:00:00Z",
        "stats",
        "--days",
        "7",
        "--format",
        "json",
    ]);
    let stats: Value = serde_json::from_str(&text).expect("stats JSON");
    let decks: Vec<Value> = stats["decks"]
        .as_array()
        .expect("decks")
        .iter()
        .map(|d| serde_json::json!([d["deck"], d["reviews"], d["retention"]]))
        .collect();
    serde_json::json!({
        "reviews": stats["reviews"],
        "days": stats["days"],
        "retention": stats["retention"],
        "decks": decks,
    })
}

/// `notedeck serve` on each of two collections, both running: an answer
/// given on either (here through the CLI, another process) appears in the
/// other while both run, because each syncs in the background.
#[test]
fn two_running_servers_keep_each_other_in_step() {
    use std::process::{Command, Stdio};
    let (a, b) = (computer(), computer());
    let (_folder, folder_arg) = sync_folder();
    let folder_arg = folder_arg.as_str();
    a.ok(&["sync", "--folder", folder_arg]);
    b.ok(&["sync", "--folder", folder_arg]);
    let serve = |env: &Env| {
        Command::new(env!("CARGO_BIN_EXE_notedeck"))
            .args([
                "--db",
                env.db().to_str().expect("db"),
                "serve",
                "--port",
                "0",
            ])
            .env("NOTEDECK_SYNC_EVERY_MS", "200")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve")
    };
    let mut servers = [serve(&a), serve(&b)];
    let wait_for = |env: &Env, count: usize| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while log(env).len() < count {
            assert!(
                std::time::Instant::now() < deadline,
                "the answer did not arrive"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    let nucleus = id_of(&a, "Nucleus");
    let ribosome = id_of(&a, "Ribosome");
    a.ok(&["answer", &nucleus, "good"]);
    wait_for(&b, 1);
    b.ok(&["answer", &ribosome, "good"]);
    wait_for(&a, 2);
    for server in &mut servers {
        let _ = server.kill();
        let _ = server.wait();
    }
    assert_eq!(log(&a), log(&b));
    for env in [&a, &b] {
        assert_eq!(env.json(&["check"])["ok"], true);
    }
}

/// Suspend, tags and forget travel too, and so does their undo.
#[test]
fn actions_and_their_undo_travel() {
    let (a, b) = (computer(), computer());
    let (_folder, folder_arg) = sync_folder();
    let folder_arg = folder_arg.as_str();
    let nucleus = id_of(&a, "Nucleus");
    let ribosome = id_of(&a, "Ribosome");
    a.at("2026-03-01T08:00:00Z", &["sync", "--folder", folder_arg]);
    b.at("2026-03-01T08:00:00Z", &["sync", "--folder", folder_arg]);
    a.at("2026-03-01T09:00:00Z", &["suspend", &nucleus]);
    a.at("2026-03-01T09:01:00Z", &["answer", &ribosome, "good"]);
    sync(&a, "2026-03-01T09:05:00Z");
    sync(&b, "2026-03-01T09:06:00Z");
    assert_eq!(
        card(&b, &nucleus)["suspended"],
        true,
        "the suspend travelled"
    );
    // B unsuspends; A takes back its answer.
    b.at("2026-03-01T09:10:00Z", &["unsuspend", &nucleus]);
    a.at("2026-03-01T09:11:00Z", &["undo"]);
    sync(&a, "2026-03-01T09:15:00Z");
    sync(&b, "2026-03-01T09:16:00Z");
    sync(&a, "2026-03-01T09:17:00Z");
    for env in [&a, &b] {
        assert_eq!(card(env, &nucleus)["suspended"], false);
        assert_eq!(card(env, &ribosome)["repetitions"], 0);
        assert_eq!(env.json(&["check"])["ok"], true);
    }
}

/// The note after an edit on the first computer: one heading renamed
/// (its text kept), one section gone.
const EDITED: &str = "# Cells\n\n## The nucleus\nHolds the DNA.\n\n## Ribosome\nMakes proteins.\n";

fn card_row(env: &Env, id: &str) -> Option<(String, i64, i64, i64)> {
    use rusqlite::OptionalExtension;
    env.sql()
        .query_row(
            "SELECT match_key, retired, repetitions, lapses FROM cards WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()
        .expect("card")
}

#[test]
fn a_renamed_section_is_one_card_on_computers_that_only_see_the_final_text() {
    let a = computer();
    let (_folder, folder_arg) = sync_folder();
    let folder_arg = folder_arg.as_str();
    let nucleus = id_of(&a, "Nucleus");
    let membrane = id_of(&a, "Membrane");
    a.at("2026-03-01T09:00:00Z", &["answer", &nucleus, "good"]);
    a.at("2026-03-01T09:01:00Z", &["answer", &membrane, "good"]);
    // A renames the heading: the card moves and keeps its id and answer.
    a.write("vault/cells.md", EDITED);
    let vault = a.notes().join("vault");
    let report = a.at(
        "2026-03-02T09:00:00Z",
        &["import", vault.to_str().expect("path")],
    );
    assert_eq!(report["totals"]["moved"], 1, "{report}");
    assert_eq!(id_of(&a, "The nucleus"), nucleus);
    a.at("2026-03-03T09:00:00Z", &["answer", &nucleus, "good"]);

    // B only ever saw the final text, imported it before syncing and
    // answered the section under the id it made for it.
    let b = Env::new();
    b.write("vault/cells.md", EDITED);
    let b_vault = b.notes().join("vault");
    b.at(
        "2026-03-02T10:00:00Z",
        &["import", b_vault.to_str().expect("path")],
    );
    let made_on_b = id_of(&b, "The nucleus");
    assert_ne!(
        made_on_b, nucleus,
        "B alone cannot know the section's history"
    );
    b.at("2026-03-02T11:00:00Z", &["answer", &made_on_b, "hard"]);

    // C joins with an empty collection, syncs first, then imports.
    let c = Env::new();
    c.write("vault/cells.md", EDITED);
    let c_vault = c.notes().join("vault");

    a.at("2026-03-03T10:00:00Z", &["sync", "--folder", folder_arg]);
    b.at("2026-03-03T10:05:00Z", &["sync", "--folder", folder_arg]);
    // The two ids become one card with both histories: the smaller id,
    // whichever computer merges first.
    let kept = nucleus.clone().min(made_on_b.clone());
    let gone = nucleus.clone().max(made_on_b.clone());
    assert_eq!(id_of(&b, "The nucleus"), kept);
    assert_eq!(card_row(&b, &gone), None);
    a.at("2026-03-03T10:10:00Z", &["sync"]);
    c.at("2026-03-03T10:15:00Z", &["sync", "--folder", folder_arg]);
    c.at(
        "2026-03-03T10:16:00Z",
        &["import", c_vault.to_str().expect("path")],
    );
    c.at("2026-03-03T10:17:00Z", &["sync"]);
    b.at("2026-03-03T10:18:00Z", &["sync"]);
    // B's merge (an alias) reaches the others, and B's answer with it.
    a.at("2026-03-03T10:20:00Z", &["sync"]);
    c.at("2026-03-03T10:21:00Z", &["sync"]);
    for env in [&a, &c] {
        assert_eq!(id_of(env, "The nucleus"), kept);
    }

    assert_eq!(log(&a).len(), 4, "A has B's answer too: {:?}", log(&a));
    let of_nucleus = |env: &Env| -> Vec<_> {
        log(env)
            .into_iter()
            .filter(|(_, card, _)| *card == kept)
            .collect()
    };
    assert_eq!(of_nucleus(&a).len(), 3);
    for env in [&b, &c] {
        assert_eq!(of_nucleus(env), of_nucleus(&a));
    }
    for env in [&a, &b, &c] {
        assert_eq!(card_row(env, &kept), card_row(&a, &kept));
        assert_eq!(env.json(&["check"])["ok"], true);
    }
    assert_eq!(card_row(&a, &kept).map(|r| r.2), Some(3));

    // D still has the old text: the section A removed is retired there
    // too, with its answer.
    let d = computer();
    d.at("2026-03-03T11:00:00Z", &["sync", "--folder", folder_arg]);
    assert_eq!(card_row(&d, &membrane).map(|r| (r.1, r.2)), Some((1, 1)));
    assert_eq!(log(&d), log(&a));
    assert_eq!(d.json(&["check"])["ok"], true);
}

#[test]
fn settings_deck_options_and_the_scheduler_travel_and_the_last_change_wins() {
    let (a, b) = (computer(), computer());
    let (_folder, folder_arg) = sync_folder();
    let folder_arg = folder_arg.as_str();
    let deck = a.json(&["decks"])[0]["name"]
        .as_str()
        .expect("deck")
        .to_owned();
    let nucleus = id_of(&a, "Nucleus");
    a.at("2026-03-01T09:00:00Z", &["settings", "--new-per-day", "7"]);
    a.at(
        "2026-03-01T09:01:00Z",
        &["settings", "--deck", &deck, "--max-interval", "30"],
    );
    a.at("2026-03-01T09:02:00Z", &["answer", &nucleus, "good"]);
    a.at("2026-03-01T09:05:00Z", &["sync", "--folder", folder_arg]);
    b.at("2026-03-01T09:10:00Z", &["sync", "--folder", folder_arg]);
    assert_eq!(b.json(&["settings"])["new_per_day"], 7);
    assert_eq!(
        b.json(&["settings", "--deck", &deck])["own"]["max_interval"],
        30
    );

    // Both change the same setting offline: the later change wins on
    // both; a setting only one of them changed stays changed.
    b.at("2026-03-02T10:00:00Z", &["settings", "--new-per-day", "9"]);
    b.at(
        "2026-03-02T10:01:00Z",
        &["settings", "--rollover-hour", "6"],
    );
    a.at("2026-03-02T11:00:00Z", &["settings", "--new-per-day", "5"]);
    sync(&a, "2026-03-02T11:05:00Z");
    sync(&b, "2026-03-02T11:06:00Z");
    sync(&a, "2026-03-02T11:07:00Z");
    for env in [&a, &b] {
        let settings = env.json(&["settings"]);
        assert_eq!(settings["new_per_day"], 5, "{settings}");
        assert_eq!(settings["rollover_hour"], 6, "{settings}");
    }

    // A switch of scheduler travels, and the log is replayed under it.
    b.at("2026-03-03T09:00:00Z", &["settings", "--scheduler", "fsrs"]);
    sync(&b, "2026-03-03T09:01:00Z");
    let merged = sync(&a, "2026-03-03T09:02:00Z");
    assert_eq!(a.json(&["settings"])["scheduler"], "fsrs", "{merged}");
    for key in ["due", "interval", "ease", "repetitions"] {
        assert_eq!(card(&a, &nucleus)[key], card(&b, &nucleus)[key], "{key}");
    }
    for env in [&a, &b] {
        assert_eq!(env.json(&["check"])["ok"], true);
    }

    // The card doctor's choices about a card travel too.
    let dismissed = |env: &Env| -> i64 {
        env.sql()
            .query_row(
                "SELECT count(*) FROM dismissed_findings WHERE card_id = ?1",
                [&nucleus],
                |r| r.get(0),
            )
            .expect("count")
    };
    a.at(
        "2026-03-04T09:00:00Z",
        &["doctor", "--dismiss", &nucleus, "--rule", "vague_front"],
    );
    sync(&a, "2026-03-04T09:01:00Z");
    sync(&b, "2026-03-04T09:02:00Z");
    assert_eq!(dismissed(&b), 1);
    b.at(
        "2026-03-04T10:00:00Z",
        &["doctor", "--undismiss", &nucleus, "--rule", "vague_front"],
    );
    sync(&b, "2026-03-04T10:01:00Z");
    sync(&a, "2026-03-04T10:02:00Z");
    assert_eq!(dismissed(&a), 0);

    let status = a.json(&["sync", "--status"]);
    assert_eq!(status["devices"][0]["skipped"], 0, "{status}");
}

#[test]
fn running_servers_send_answers_at_once_and_take_in_what_the_folder_brings() {
    let (a, b) = (computer(), computer());
    let (_folder, folder_arg) = sync_folder();
    let folder_arg = folder_arg.as_str();
    a.ok(&["sync", "--folder", folder_arg]);
    b.ok(&["sync", "--folder", folder_arg]);
    // Their regular pace is ten minutes: only an answer given (debounced)
    // and the watch on the folder can make these syncs.
    let slow = [("NOTEDECK_SYNC_EVERY_MS", "600000")];
    let (server_a, _) = crate::serve::start_with(&a, "127.0.0.1", &slow);
    let (server_b, _) = crate::serve::start_with(&b, "127.0.0.1", &slow);
    let wait_for = |env: &Env, count: usize| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while log(env).len() < count {
            assert!(
                std::time::Instant::now() < deadline,
                "the answer did not arrive"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    let answer = |server: &crate::serve::Server, card: &str| {
        let body = serde_json::json!({ "card_id": card, "grade": "good" }).to_string();
        let (status, reply) = crate::serve::json_post(server, "/api/answer", &body);
        assert_eq!(status, 200, "{reply}");
    };
    answer(&server_a, &id_of(&a, "Nucleus"));
    wait_for(&b, 1);
    answer(&server_b, &id_of(&b, "Ribosome"));
    wait_for(&a, 2);
    drop((server_a, server_b));
    assert_eq!(log(&a), log(&b));
}
