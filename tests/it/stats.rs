//! Statistics and exports over a known review history, every number
//! computed by hand.

use serde_json::Value;

use crate::support::Env;

/// Two decks: `notes::A` with cards A1–A3, `notes::B` with B1.
fn history() -> (Env, [String; 4]) {
    let env = Env::new();
    env.write(
        "a.md",
        "# A\n## A1\nOne, with a comma, and \"quotes\".\n## A2\nTwo.\n## A3\nThree.\n",
    );
    env.write("b.md", "# B\n## B1\nUno.\n");
    env.import_notes();
    let id = |h: &str| env.card(h)["id"].as_str().expect("id").to_owned();
    let ids = [id("A1"), id("A2"), id("A3"), id("B1")];
    let answer = |day: &str, card: &str, grade: &str, ms: &str| {
        env.ok(&[
            "--now",
            &format!("2026-03-{day}T10:00:00Z"),
            "answer",
            card,
            grade,
            "--duration-ms",
            ms,
        ]);
    };
    // 03-01: A1 good, A2 again, A2 good (repeat), B1 easy.        → 4 answers
    answer("01", &ids[0], "good", "1000");
    answer("01", &ids[1], "again", "2000");
    answer("01", &ids[1], "good", "1500");
    answer("01", &ids[3], "easy", "500");
    // 03-02: A1 (n=1, learned) hard → pass; A2 (n=0) good; B1 (n=1) again → lapse.
    answer("02", &ids[0], "hard", "3000");
    answer("02", &ids[1], "good", "1000");
    answer("02", &ids[3], "again", "1000");
    // 03-03: B1 good (relearn, n=0 before: not learned).
    answer("03", &ids[3], "good", "1000");
    (env, ids)
}

fn stats(env: &Env, args: &[&str]) -> Value {
    let mut all = vec!["--now", "2026-03-03T12:00:00Z", "stats", "--format", "json"];
    all.extend_from_slice(args);
    let out = env.ok(&all);
    serde_json::from_str(&out).expect("json")
}

#[test]
fn stats_match_a_hand_computed_history() {
    let (env, _) = history();
    let s = stats(&env, &["--days", "3"]);
    assert_eq!(s["from"], "2026-03-01");
    assert_eq!(s["reviews"], 8);
    assert_eq!(s["time_ms"], 11000);
    // Cards: A3 new; A1 n=2 (young, I=6); A2 n=1 (failed on day 1, passed
    // on day 2: learning); B1 n=1 (lapsed on day 2, passed on day 3: learning).
    assert_eq!(
        s["cards"],
        serde_json::json!({"new": 1, "learning": 2, "young": 1, "mature": 0, "retired": 0, "total": 4})
    );
    let d1 = &s["days"][0];
    assert_eq!(d1["date"], "2026-03-01");
    assert_eq!(d1["reviews"], 4);
    assert_eq!(d1["by_grade"], serde_json::json!([0, 1, 0, 0, 2, 1]));
    assert_eq!(
        d1["by_kind"],
        serde_json::json!({"learn": 3, "review": 0, "relearn": 0, "repeat": 1, "cram": 0, "read": 0})
    );
    assert_eq!(d1["new_learned"], 3);
    assert_eq!(d1["retention"]["answers"], 0, "no learned cards on day 1");
    let d2 = &s["days"][1];
    // Learned cards answered first-of-day on 03-02: A1 (hard, pass), B1 (again, fail);
    // A2 had n=0 (failed on day 1), so it does not count.
    assert_eq!(
        d2["retention"],
        serde_json::json!({"answers": 2, "passed": 1, "rate": 0.5})
    );
    assert_eq!(d2["new_learned"], 0);
    let d3 = &s["days"][2];
    assert_eq!(d3["by_kind"]["relearn"], 1);
    assert_eq!(s["retention"]["all"]["rate"], 0.5);
    assert_eq!(s["retention"]["young"]["answers"], 2);
    assert_eq!(s["retention"]["mature"]["answers"], 0);
    // Forecast from 03-03: A2 due 03-03 (answered 03-02, I=1); B1 due 03-04;
    // A1 due 03-08 (I=6).
    assert_eq!(
        s["forecast_days"][0],
        serde_json::json!({"date": "2026-03-03", "count": 1})
    );
    assert_eq!(s["forecast_days"][1]["count"], 1);
    assert_eq!(
        s["forecast_days"][5],
        serde_json::json!({"date": "2026-03-08", "count": 1})
    );
    assert_eq!(s["forecast_days"].as_array().expect("days").len(), 30);
    // Heatmap and streaks: three days in a row.
    assert_eq!(s["heatmap"].as_array().expect("heatmap").len(), 3);
    assert_eq!(
        (s["current_streak"].as_i64(), s["longest_streak"].as_i64()),
        (Some(3), Some(3))
    );
    // Intervals: A2 and B1 I=1, A1 I=6. E-Factors: A1 2.5-0.14=2.36 → 2.4; A2 2.5; B1 2.6.
    let buckets = |key: &str| -> Vec<(String, i64)> {
        s[key]
            .as_array()
            .expect("buckets")
            .iter()
            .filter(|b| b["count"] != 0)
            .map(|b| {
                (
                    b["label"].as_str().expect("label").to_owned(),
                    b["count"].as_i64().expect("n"),
                )
            })
            .collect()
    };
    assert_eq!(
        buckets("intervals"),
        [("1 d".to_owned(), 2), ("3–6 d".to_owned(), 1)]
    );
    assert_eq!(
        buckets("eases"),
        [
            ("2.4".to_owned(), 1),
            ("2.5".to_owned(), 1),
            ("2.6".to_owned(), 1)
        ]
    );
    // Hardest: B1, the only card with a lapse, with its note and heading.
    assert_eq!(s["hardest"].as_array().expect("hardest").len(), 1);
    assert_eq!(s["hardest"][0]["heading_path"], serde_json::json!(["B1"]));
    assert!(s["hardest"][0]["note"]
        .as_str()
        .expect("note")
        .ends_with("b.md"));
    // Per-deck rows.
    let decks = s["decks"].as_array().expect("decks");
    assert_eq!(decks.len(), 2);
    assert_eq!(decks[0]["deck"], "notes::A");
    assert_eq!(decks[0]["reviews"], 5);
    assert_eq!(decks[1]["reviews"], 3);
    assert_eq!(decks[1]["retention"]["rate"], 0.0);
}

#[test]
fn a_deck_filter_only_counts_that_deck() {
    let (env, _) = history();
    let s = stats(&env, &["--days", "3", "--deck", "notes::B"]);
    assert_eq!(s["reviews"], 3);
    assert_eq!(s["cards"]["total"], 1);
    assert_eq!(s["days"][0]["reviews"], 1);
    assert_eq!(s["decks"].as_array().expect("decks").len(), 1);
    let parent = stats(&env, &["--days", "3", "--deck", "notes"]);
    assert_eq!(parent["reviews"], 8, "a deck includes its sub-decks");
}

#[test]
fn empty_collections_give_zeros_not_errors() {
    let env = Env::new();
    let s = stats(&env, &["--days", "7"]);
    assert_eq!(s["reviews"], 0);
    assert_eq!(s["cards"]["total"], 0);
    assert_eq!(s["days"].as_array().expect("days").len(), 7);
    assert_eq!(s["retention"]["all"]["rate"], Value::Null);
    assert_eq!(s["current_streak"], 0);
    let text = env.ok(&["stats"]);
    assert!(text.contains("0 answers"), "{text}");
    let csv = env.ok(&["export", "reviews"]);
    assert_eq!(csv.lines().count(), 1, "just the header: {csv}");
    assert_eq!(
        env.ok(&["export", "cards", "--format", "json"]).trim(),
        "[]"
    );
}

#[test]
fn review_export_round_trips_through_a_csv_parser() {
    let (env, ids) = history();
    let path = env.dir.path().join("reviews.csv");
    env.ok(&["export", "reviews", "--out", path.to_str().expect("path")]);
    let mut reader = csv::Reader::from_path(&path).expect("csv");
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(&headers[0], "review_id");
    assert_eq!(&headers[1], "answered_at_utc");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let logged: i64 = env
        .sql()
        .query_row("SELECT count(*) FROM review_log", [], |r| r.get(0))
        .expect("count");
    assert_eq!(rows.len() as i64, logged);
    let first = &rows[0];
    let col = |name: &str| headers.iter().position(|h| h == name).expect("column");
    assert_eq!(&first[col("card_id")], ids[0].as_str());
    assert_eq!(&first[col("answered_at_utc")], "2026-03-01T10:00:00.000Z");
    assert_eq!(&first[col("day")], "2026-03-01");
    assert_eq!(&first[col("grade")], "4");
    assert_eq!(&first[col("deck")], "notes::A");
    assert_eq!(&first[col("heading")], "A1");
    assert_eq!(&first[col("due_before")], "");
    assert_eq!(&first[col("due_after")], "2026-03-02");
    assert_eq!(&rows[2][col("kind")], "repeat");

    // JSON has the same rows; cards export has every card with its state.
    let json: Value =
        serde_json::from_str(&env.ok(&["export", "reviews", "--format", "json"])).expect("json");
    assert_eq!(json.as_array().expect("array").len() as i64, logged);
    let cards = env.ok(&["export", "cards", "--deck", "notes::A"]);
    let mut reader = csv::Reader::from_reader(cards.as_bytes());
    assert_eq!(reader.records().count(), 3);

    // One deck's answers: the CSV and JSON exports hold the same rows.
    let deck_csv = env.ok(&["export", "reviews", "--deck", "notes::A"]);
    let deck_json: Value = serde_json::from_str(&env.ok(&[
        "export", "reviews", "--deck", "notes::A", "--format", "json",
    ]))
    .expect("json");
    let mut reader = csv::Reader::from_reader(deck_csv.as_bytes());
    let csv_ids: Vec<String> = reader
        .records()
        .map(|r| r.expect("row")[0].to_owned())
        .collect();
    let json_ids: Vec<String> = deck_json
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["review_id"].as_str().expect("id").to_owned())
        .collect();
    assert!(!csv_ids.is_empty() && (csv_ids.len() as i64) < logged);
    assert_eq!(csv_ids, json_ids);
}

/// `--out` naming a pipe (or a device such as /dev/stdout) writes into
/// it: it is not replaced by a file, as a regular file is.
#[cfg(unix)]
#[test]
fn an_export_into_a_pipe_goes_through_it() {
    let (env, _) = history();
    let (fifo, reader) = crate::support::pipe_reader(env.dir.path());
    env.ok(&["export", "reviews", "--out", fifo.to_str().expect("path")]);
    assert!(crate::support::is_still_a_pipe(&fifo));
    let text = String::from_utf8(reader.join().expect("reader")).expect("utf-8");
    assert!(text.starts_with("review_id,answered_at_utc,"), "{text}");
    let logged: i64 = env
        .sql()
        .query_row("SELECT count(*) FROM review_log", [], |r| r.get(0))
        .expect("count");
    assert_eq!(text.lines().count() as i64, logged + 1);
}

#[test]
fn csv_quotes_commas_quotes_and_newlines_in_headings() {
    let env = Env::new();
    env.write("q.md", "# Q\n## Commas, \"quotes\" and more\nBody.\n");
    env.import_notes();
    let id = env.card("Commas, “quotes” and more")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    env.ok(&["answer", &id, "good"]);
    let out = env.ok(&["export", "reviews"]);
    assert!(out.contains("\"Commas, “quotes” and more\""), "{out}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let row = reader.records().next().expect("row").expect("ok");
    assert_eq!(&row[6], "Commas, “quotes” and more");
}

#[test]
fn stats_csv_has_one_row_per_day_and_forecast() {
    let (env, _) = history();
    let out = env.ok(&[
        "--now",
        "2026-03-03T12:00:00Z",
        "stats",
        "--days",
        "3",
        "--format",
        "csv",
    ]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    // 3 past days + 29 future forecast days.
    assert_eq!(rows.len(), 32);
    assert_eq!(&rows[0][0], "2026-03-01");
    assert_eq!(&rows[0][1], "4");
    let col = |name: &str| headers.iter().position(|h| h == name).expect("column");
    assert_eq!(&rows[1][col("retention")], "0.5000");
    assert_eq!(&rows[3][0], "2026-03-04");
    assert_eq!(&rows[3][col("due")], "1");
}

#[test]
fn the_html_report_is_one_page_without_script_and_escapes_names() {
    let env = Env::new();
    env.write("<i>deck/n.md", "# <script>alert(1)</script>\n\n## Q\nA.\n");
    env.import_notes();
    let out = env.dir.path().join("report.html");
    let deck = env.cards()[0]["deck"].as_str().expect("deck").to_owned();
    assert!(deck.contains("<i>"), "{deck}");
    let id = env.cards()[0]["id"].as_str().expect("id").to_owned();
    env.ok(&["answer", &id, "good"]);
    let path = out.to_str().expect("path");
    env.ok(&["stats", "--deck", &deck, "--format", "html", "--out", path]);
    let html = std::fs::read_to_string(&out).expect("report");
    assert!(html.starts_with("<!doctype html>"));
    assert!(
        html.contains("default-src 'none'"),
        "its own policy forbids requests"
    );
    assert!(
        !html.to_lowercase().contains("<script"),
        "no script, not even a note's"
    );
    assert!(!html.contains("<i>deck"), "names are escaped");
    assert!(html.contains("&lt;i&gt;deck"), "and still shown");
    assert!(html.contains("<svg"), "charts are inline SVG");
}
