//! Daily review through the real CLI: SM-2 over weeks, the day and its
//! rollover, limits, same-day repeats, undo, the log audit, durability and
//! backups. Every expected value is computed by hand in the comments.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::{deck_of, id_of, Env};

#[track_caller]
fn answer(env: &Env, now: &str, id: &str, grade: &str) -> Value {
    env.at(now, &["answer", id, grade])
}

#[track_caller]
fn assert_state(card: &Value, n: i64, ef: f64, interval: i64, due: &str, lapses: i64) {
    assert_eq!(
        (
            card["repetitions"].as_i64(),
            card["ease_factor"].as_f64(),
            card["interval_days"].as_i64(),
            card["due"].as_str(),
            card["lapses"].as_i64()
        ),
        (Some(n), Some(ef), Some(interval), Some(due), Some(lapses)),
        "{card:#}"
    );
}

fn due_ids(env: &Env, now: &str) -> Vec<(String, String)> {
    crate::support::queue_entries(&env.at(now, &["due"]))
}

#[test]
fn sm2_over_weeks_matches_hand_computed_states() {
    let env = deck_of(1);
    let id = id_of(&env, "Q1");
    // Day 1, Good (4): EF 2.5+0 = 2.5, n=1, I=1, due 03-02.
    let a = answer(&env, "2026-03-01T09:00:00Z", &id, "good");
    assert_eq!(a["review"]["kind"], "learn");
    assert_state(&a["card"], 1, 2.5, 1, "2026-03-02", 0);
    assert_eq!(a["card"]["state"], "learning");
    // Day 2, Easy (5): EF 2.6, n=2, I=6, due 03-08.
    let a = answer(&env, "2026-03-02T09:00:00Z", &id, "easy");
    assert_state(&a["card"], 2, 2.6, 6, "2026-03-08", 0);
    assert_eq!(a["card"]["state"], "review");
    // Day 8, Hard (3): EF 2.6-0.14 = 2.46, n=3, I=ceil(6*2.46)=ceil(14.76)=15, due 03-23.
    let a = answer(&env, "2026-03-08T09:00:00Z", &id, "hard");
    assert_eq!(a["review"]["kind"], "review");
    assert_state(&a["card"], 3, 2.46, 15, "2026-03-23", 0);
    // Day 23 (late, answered 03-25), grade 2: lapse, EF kept, n=0, I=1, due 03-26.
    let a = answer(&env, "2026-03-25T09:00:00Z", &id, "2");
    assert_state(&a["card"], 0, 2.46, 1, "2026-03-26", 1);
    // Same day, Good: a repeat that changes nothing.
    let a = answer(&env, "2026-03-25T09:05:00Z", &id, "good");
    assert_eq!(a["review"]["kind"], "repeat");
    assert_state(&a["card"], 0, 2.46, 1, "2026-03-26", 1);
    // Day 26, Good: relearn, n=1, I=1, due 03-27.
    let a = answer(&env, "2026-03-26T09:00:00Z", &id, "4");
    assert_eq!(a["review"]["kind"], "relearn");
    assert_state(&a["card"], 1, 2.46, 1, "2026-03-27", 1);
    // Day 27, Good: n=2, I=6, due 04-02. Day 04-02, Good: n=3, I=ceil(6*2.46)=15, due 04-17.
    answer(&env, "2026-03-27T09:00:00Z", &id, "good");
    let a = answer(&env, "2026-04-02T09:00:00Z", &id, "good");
    assert_state(&a["card"], 3, 2.46, 15, "2026-04-17", 1);
    // Day 04-17, Easy: EF 2.56, I=ceil(15*2.56)=ceil(38.4)=39, due 05-26.
    let a = answer(&env, "2026-04-17T09:00:00Z", &id, "easy");
    assert_state(&a["card"], 4, 2.56, 39, "2026-05-26", 1);
    let check = env.json(&["check"]);
    assert_eq!(check["ok"], true, "{check:#}");
    assert_eq!(check["reviews"], 9);
}

#[test]
fn rollover_hour_moves_late_answers_to_the_day_before() {
    let env = deck_of(1);
    let id = id_of(&env, "Q1");
    // 02:30 UTC (TZ=UTC) with the default 4:00 rollover belongs to 03-01.
    let a = answer(&env, "2026-03-02T02:30:00Z", &id, "good");
    assert_eq!(a["review"]["day"], "2026-03-01");
    assert_eq!(a["card"]["due"], "2026-03-02");
    // With the day starting at midnight, it is 03-02.
    let env2 = deck_of(1);
    env2.ok(&["settings", "--rollover-hour", "0"]);
    let id2 = id_of(&env2, "Q1");
    let a = answer(&env2, "2026-03-02T02:30:00Z", &id2, "good");
    assert_eq!(a["review"]["day"], "2026-03-02");
    // The card due 03-02 is due at 04:00 on 03-02, not at 03:00.
    assert!(due_ids(&env, "2026-03-02T03:00:00Z").is_empty());
    assert_eq!(
        due_ids(&env, "2026-03-02T04:00:00Z"),
        [("Q1".to_owned(), "due".to_owned())]
    );
}

#[test]
fn queue_orders_due_then_new_then_repeats_within_limits() {
    let env = deck_of(6);
    env.ok(&["settings", "--new-per-day", "3", "--reviews-per-day", "100"]);
    let day1 = "2026-03-01T09:00:00Z";
    let queue = due_ids(&env, day1);
    assert_eq!(
        queue.iter().map(|q| q.0.as_str()).collect::<Vec<_>>(),
        ["Q1", "Q2", "Q3"],
        "new in note order, limited to 3"
    );
    // Q1 Good, Q2 Again (repeat today), Q3 Hard (3 < 4: repeat today too).
    answer(&env, day1, &id_of(&env, "Q1"), "good");
    answer(&env, day1, &id_of(&env, "Q2"), "again");
    answer(&env, day1, &id_of(&env, "Q3"), "hard");
    let queue = due_ids(&env, day1);
    assert_eq!(
        queue,
        [
            ("Q2".to_owned(), "repeat".to_owned()),
            ("Q3".to_owned(), "repeat".to_owned())
        ],
        "the new limit is used up; failed cards come back"
    );
    answer(&env, day1, &id_of(&env, "Q2"), "good");
    assert_eq!(
        due_ids(&env, day1),
        [("Q3".to_owned(), "repeat".to_owned())]
    );
    answer(&env, day1, &id_of(&env, "Q3"), "easy");
    assert!(due_ids(&env, day1).is_empty());

    // Day 3: Q1, Q2, Q3 are due (since 03-02), most overdue first, then 3 new.
    let queue = due_ids(&env, "2026-03-03T09:00:00Z");
    let names: Vec<&str> = queue.iter().map(|q| q.0.as_str()).collect();
    assert_eq!(names, ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]);
    assert_eq!(queue[0].1, "due");
    assert_eq!(queue[3].1, "new");

    // The review limit caps everything.
    env.ok(&["settings", "--reviews-per-day", "2"]);
    assert_eq!(due_ids(&env, "2026-03-03T09:00:00Z").len(), 2);

    // A deck filter includes sub-decks and nothing else.
    let out = env.run(&[
        "--now",
        "2026-03-03T09:00:00Z",
        "due",
        "--deck",
        "notes",
        "--json",
    ]);
    assert!(out.status.success());
    let out = env.run(&["due", "--deck", "Other"]);
    assert!(!out.status.success());
}

#[test]
fn queue_entries_carry_card_fields_and_button_intervals() {
    let env = deck_of(1);
    let due = env.at("2026-03-01T09:00:00Z", &["due"]);
    let card = &due[0];
    for field in [
        "id",
        "deck",
        "note",
        "heading_path",
        "front_html",
        "back_html",
        "tags",
        "state",
        "ease_factor",
        "interval_days",
        "repetitions",
        "lapses",
        "due",
    ] {
        assert!(card.get(field).is_some(), "missing {field}: {card:#}");
    }
    assert_eq!(card["intervals"], serde_json::json!([1, 1, 1, 1]));
}

#[test]
fn undo_takes_back_answers_several_levels_deep() {
    let env = deck_of(2);
    let (q1, q2) = (id_of(&env, "Q1"), id_of(&env, "Q2"));
    answer(&env, "2026-03-01T09:00:00Z", &q1, "good");
    answer(&env, "2026-03-02T09:00:00Z", &q1, "good");
    answer(&env, "2026-03-02T09:01:00Z", &q2, "again");
    let undone = env.json(&["undo"]);
    assert_eq!(undone["review"]["card_id"], q2.as_str());
    assert_eq!(env.card("Q2")["state"], "new");
    let undone = env.json(&["undo"]);
    assert_eq!(undone["review"]["card_id"], q1.as_str());
    assert_state(&env.card("Q1"), 1, 2.5, 1, "2026-03-02", 0);
    env.json(&["undo"]);
    assert_eq!(env.card("Q1")["state"], "new");
    assert_eq!(env.card("Q1")["due"], Value::Null);
    let out = env.run(&["undo"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to undo"));
    assert_eq!(env.json(&["check"])["ok"], true);
}

#[test]
fn bad_answers_are_refused_and_write_nothing() {
    let env = deck_of(2);
    let q1 = id_of(&env, "Q1");
    for (args, message) in [
        (vec!["answer", "nosuchcard", "good"], "no card with id"),
        (
            vec!["answer", q1.as_str(), "7"],
            "[possible values: again, hard, good, easy, 0, 1, 2, 3, 4, 5]",
        ),
        (vec!["answer", q1.as_str(), "meh"], "invalid value 'meh'"),
    ] {
        let out = env.run(&args);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(message),
            "{args:?}"
        );
    }
    // Retire Q2 by removing its section, then try to answer it.
    let q2 = id_of(&env, "Q2");
    env.write("deck.md", "# Deck\n## Q1\nAnswer 1.\n");
    env.import_notes();
    let out = env.run(&["answer", &q2, "good"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("retired"));
    let count: i64 = env
        .sql()
        .query_row("SELECT count(*) FROM review_log", [], |r| r.get(0))
        .expect("count");
    assert_eq!(count, 0);
}

#[test]
fn check_reports_a_tampered_log_and_a_tampered_card() {
    let env = deck_of(1);
    let id = id_of(&env, "Q1");
    answer(&env, "2026-03-01T09:00:00Z", &id, "good");
    answer(&env, "2026-03-02T09:00:00Z", &id, "good");
    assert_eq!(env.json(&["check"])["ok"], true);

    env.sql()
        .execute("UPDATE review_log SET grade = 5 WHERE seq = 2", [])
        .expect("tamper");
    let out = env.run(&["check"]);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("but SM-2 gives"), "{text}");

    env.sql()
        .execute("UPDATE review_log SET grade = 4 WHERE seq = 2", [])
        .expect("repair");
    env.sql()
        .execute("UPDATE cards SET interval_days = 99", [])
        .expect("tamper card");
    let report = env.run(&["check", "--json"]);
    assert!(!report.status.success());
    let report: Value = serde_json::from_slice(&report.stdout).expect("json");
    assert!(
        report["problems"].to_string().contains("the log gives"),
        "{report:#}"
    );

    // SQLite's own checks (run beside the replay) are reported first.
    let sql = env.sql();
    sql.pragma_update(None, "foreign_keys", "OFF").expect("off");
    sql.execute(
        "INSERT INTO dismissed_findings (card_id, rule, dismissed_at) \
             VALUES ('no-such-card', 'leech', '2026-03-02T09:00:00Z')",
        [],
    )
    .expect("an orphan row");
    let report = env.run(&["check", "--json"]);
    let report: Value = serde_json::from_slice(&report.stdout).expect("json");
    let first = report["problems"][0].as_str().unwrap_or_default();
    assert!(
        first.starts_with("foreign key check: row")
            && first.ends_with("of dismissed_findings points nowhere"),
        "{report:#}"
    );
    assert!(
        report["problems"].to_string().contains("the log gives"),
        "{report:#}"
    );
}

#[test]
fn log_rows_hold_everything_needed_to_audit() {
    let env = deck_of(1);
    let id = id_of(&env, "Q1");
    let a = env.at(
        "2026-03-01T09:00:00Z",
        &["answer", &id, "good", "--duration-ms", "4200"],
    );
    let r = &a["review"];
    assert_eq!(r["answered_at"], "2026-03-01T09:00:00.000Z");
    assert_eq!(r["day"], "2026-03-01");
    assert_eq!(r["grade"], 4);
    assert_eq!(r["duration_ms"], 4200);
    assert_eq!(r["before"]["ease_hundredths"], 250);
    assert_eq!(r["after"]["interval_days"], 1);
    let uuid = r["id"].as_str().expect("id");
    assert_eq!(uuid.len(), 36);
    assert_eq!(&uuid[14..15], "7", "UUIDv7: {uuid}");
}

#[test]
fn terminal_review_answers_from_keys() {
    let env = deck_of(3);
    // Space shows, 3 = Good; Enter shows, 1 = Again; u undoes it; q quits.
    let out = Command::new(env!("CARGO_BIN_EXE_notedeck"))
        .args([
            "--db",
            env.db().to_str().expect("db"),
            "--now",
            "2026-03-01T09:00:00Z",
            "review",
        ])
        .env("TZ", "UTC")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().expect("stdin").write_all(b" 3\n1u q")?;
            child.wait_with_output()
        })
        .expect("review");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Q1") && text.contains("Answer 1."), "{text}");
    assert!(text.contains("[3] Good (1d)"), "{text}");
    assert!(text.contains("Undid the answer"), "{text}");
    assert!(text.contains("card(s) left for today"), "{text}");
    assert_eq!(env.card("Q1")["repetitions"], 1);
    assert_eq!(
        env.card("Q2")["state"],
        "new",
        "the Again answer was undone"
    );
}

#[test]
fn answers_survive_kill_9_and_concurrent_writers() {
    let env = deck_of(30);
    let now = "2026-03-01T09:00:00Z";
    env.ok(&["settings", "--new-per-day", "30"]);
    let mut child = env.spawn_review(now);
    let mut stdin = child.stdin.take().expect("stdin");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    // Answer five cards, each acknowledged by the next card's header.
    stdin.write_all(b" 3 3 3 3 3").expect("keys");
    stdin.flush().expect("flush");
    let mut acknowledged = 0;
    for line in lines.by_ref() {
        let line = line.expect("line");
        if line.contains("5 done today") {
            acknowledged = 5;
            break;
        }
    }
    assert_eq!(acknowledged, 5);
    // Meanwhile another process answers a card the reviewer has not reached.
    let other = id_of(&env, "Q30");
    answer(&env, now, &other, "easy");
    child.kill().expect("kill -9");
    child.wait().expect("wait");

    let count: i64 = env
        .sql()
        .query_row("SELECT count(*) FROM review_log", [], |r| r.get(0))
        .expect("count");
    assert_eq!(count, 6, "every acknowledged answer is kept");
    assert_eq!(env.json(&["check"])["ok"], true);
}

#[test]
fn daily_backups_are_taken_listed_pruned_and_restored() {
    let env = deck_of(2);
    let q1 = id_of(&env, "Q1");
    // Opening for review on 30 different days keeps 7 daily + 4 weekly copies.
    for day in 1..=30 {
        env.at(&format!("2026-03-{day:02}T09:00:00Z"), &["due"]);
    }
    let backups = env.json(&["backups"]);
    let days: Vec<&str> = backups
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|b| b["day"].as_str())
        .collect();
    assert_eq!(days.len(), 11, "{days:?}");
    assert_eq!(days[0], "2026-03-30");
    assert_eq!(days[6], "2026-03-24");
    // Weeks of 03-23 (Mon), 03-16, 03-09 and 03-02: the newest copy of each.
    assert_eq!(
        &days[7..],
        ["2026-03-23", "2026-03-22", "2026-03-15", "2026-03-08"]
    );

    // Answer on the 31st (its backup is taken first, before the answer).
    answer(&env, "2026-03-31T09:00:00Z", &q1, "good");
    assert_eq!(env.card("Q1")["repetitions"], 1);
    let out = env.ok(&["restore", "collection-2026-03-31.sqlite3"]);
    assert!(out.contains("before-restore"), "{out}");
    assert_eq!(
        env.card("Q1")["state"],
        "new",
        "restored to before the answer"
    );
    assert_eq!(env.json(&["check"])["ok"], true);
    let out = env.run(&["restore", "nonexistent.sqlite3"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be restored"));
}

/// The first `due` of the day does not wait for the day's backup: another
/// process takes it from a snapshot held before anything is written, so an
/// answer given at once is not in it.
#[test]
fn the_days_backup_is_taken_aside_from_the_state_the_day_started_with() {
    let env = deck_of(2);
    let q1 = id_of(&env, "Q1");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_notedeck"))
            .arg("--db")
            .arg(env.db())
            .args(["--now", "2026-03-05T09:00:00Z"])
            .args(args)
            .env("TZ", "UTC")
            .env_remove("NOTEDECK_BACKUP_WAIT")
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["due"]);
    run(&["answer", &q1, "good"]);
    let backup = env
        .dir
        .path()
        .join("collection.backups/collection-2026-03-05.sqlite3");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !backup.exists() {
        assert!(std::time::Instant::now() < deadline, "no backup taken");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let answers: i64 = {
        let taken = rusqlite::Connection::open(&backup).expect("open backup");
        taken
            .query_row("SELECT count(*) FROM review_log", [], |r| r.get(0))
            .expect("count")
    };
    assert_eq!(
        answers, 0,
        "the backup is the state before the day's answers"
    );
    assert_eq!(env.card("Q1")["repetitions"], 1);
    let left: Vec<String> = std::fs::read_dir(env.dir.path().join("collection.backups"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n.ends_with(".partial"))
        .collect();
    assert!(left.is_empty(), "no claim or partial file left: {left:?}");
}

#[test]
fn a_damaged_collection_says_so_and_is_restored_from_its_backup() {
    let env = deck_of(2);
    let q1 = id_of(&env, "Q1");
    answer(&env, "2026-03-01T09:00:00Z", &q1, "good");
    // The backup of 03-02 is taken when the collection is opened for review.
    env.at("2026-03-02T09:00:00Z", &["due"]);
    // Truncate the collection to half, as a crash of the disk might.
    env.sql()
        .pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .ok();
    let size = std::fs::metadata(env.db()).expect("size").len();
    std::fs::File::options()
        .write(true)
        .open(env.db())
        .expect("open")
        .set_len(size / 2)
        .expect("truncate");
    let out = env.run(&["decks"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("is damaged") && stderr.contains("notedeck restore"),
        "{stderr}"
    );

    let backups = env.json(&["backups"]);
    assert_eq!(backups[0]["day"], "2026-03-02");
    let out = env.ok(&["restore", "collection-2026-03-02.sqlite3"]);
    assert!(out.contains("collection-damaged-"), "{out}");
    assert_eq!(
        env.card("Q1")["repetitions"],
        1,
        "the answer before the backup is back"
    );
    assert_eq!(env.json(&["check"])["ok"], true);
}
