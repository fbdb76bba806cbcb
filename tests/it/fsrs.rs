//! FSRS beside SM-2 through the CLI: choosing it replays the log (and
//! choosing SM-2 again gives every state back), cards carry FSRS's fields,
//! `check` agrees under either, `optimize` fits and `scheduler evaluate`
//! scores on a real history, and bad settings are refused.

use chrono::NaiveDate;
use notedeck_core::fixtures;
use notedeck_core::storage::Collection;

use crate::support::Env;

/// 300 cards with about 4,000 answers over the year before 2026-03-01.
fn reviewed() -> Env {
    let env = Env::new();
    let mut note = String::from("# Deck\n");
    for i in 0..300 {
        note.push_str(&format!("## Q{i}\nAnswer {i}.\n"));
    }
    env.write("deck.md", note);
    env.import_notes();
    let mut collection = Collection::open(&env.db()).expect("open");
    let today = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
    fixtures::simulate_history(&mut collection, 4_000, today, 11).expect("history");
    env
}

fn card_states(env: &Env) -> Vec<String> {
    env.sql()
        .prepare("SELECT id, repetitions, ease_factor, interval_days, due_day, lapses, stability, difficulty FROM cards ORDER BY id")
        .expect("prepare")
        .query_map([], |r| {
            Ok(format!(
                "{:?}",
                (
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, f64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, Option<f64>>(6)?,
                    r.get::<_, Option<f64>>(7)?
                )
            ))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

#[test]
fn switching_replays_the_log_and_switching_back_gives_every_state_back() {
    let env = reviewed();
    let before = card_states(&env);
    let settings = env.json(&["settings"]);
    assert_eq!(settings["scheduler"], "sm2", "SM-2 is the default");
    assert_eq!(settings["desired_retention"], 0.9);

    env.ok(&["settings", "--scheduler", "fsrs"]);
    assert_eq!(env.json(&["settings"])["scheduler"], "fsrs");
    assert_eq!(env.json(&["check"])["ok"], true);
    let cards = env.json(&["cards"]);
    let answered: Vec<_> = cards
        .as_array()
        .expect("cards")
        .iter()
        .filter(|c| !c["due"].is_null())
        .collect();
    assert!(!answered.is_empty());
    for card in &answered {
        let s = card["stability"].as_f64().expect("stability");
        let d = card["difficulty"].as_f64().expect("difficulty");
        let r = card["retrievability"].as_f64().expect("retrievability");
        assert!(
            s > 0.0 && (1.0..=10.0).contains(&d) && (0.0..=1.0).contains(&r),
            "{card}"
        );
        assert!(
            card["ease_factor"].as_f64().is_some(),
            "the SM-2 E-Factor stays"
        );
    }
    assert_ne!(card_states(&env), before, "FSRS schedules differently");
    let due = env.json(&["due"]);
    let first = due
        .as_array()
        .and_then(|q| q.first())
        .expect("cards are due");
    assert!(first["retrievability"].as_f64().is_some(), "{first}");

    env.ok(&["settings", "--scheduler", "sm2"]);
    assert_eq!(card_states(&env), before, "byte for byte");
    assert_eq!(env.json(&["check"])["ok"], true);
    let cards = env.json(&["cards"]);
    assert!(cards
        .as_array()
        .expect("cards")
        .iter()
        .all(|c| c["stability"].is_null() && c["retrievability"].is_null()));
}

#[test]
fn answers_under_fsrs_check_and_undo() {
    let env = reviewed();
    env.ok(&[
        "settings",
        "--scheduler",
        "fsrs",
        "--desired-retention",
        "0.85",
    ]);
    let due = env.json(&["due"]);
    let first = &due.as_array().expect("queue")[0];
    let id = first["id"].as_str().expect("id");
    let intervals = first["intervals"].as_array().expect("intervals").clone();
    let answered = env.json(&["answer", id, "good"]);
    assert_eq!(
        answered["card"]["interval_days"].as_i64(),
        intervals[2].as_i64(),
        "the Good button's preview is what Good gives"
    );
    // A new retention applies from now on: old answers keep theirs, and
    // `check` replays each answer with the setting it was given under.
    env.ok(&["settings", "--desired-retention", "0.95"]);
    let second = due.as_array().expect("queue")[1]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let high = env.json(&["answer", &second, "good"]);
    assert_eq!(env.json(&["check"])["ok"], true);
    env.ok(&["settings", "--desired-retention", "0.75"]);
    assert_eq!(env.json(&["check"])["ok"], true);
    env.ok(&["undo"]);
    let low = env.json(&["answer", &second, "good"]);
    assert!(
        low["card"]["interval_days"].as_i64() > high["card"]["interval_days"].as_i64(),
        "a lower retention gives a longer interval: {} then {}",
        high["card"]["interval_days"],
        low["card"]["interval_days"]
    );
    assert_eq!(env.json(&["check"])["ok"], true);
    env.ok(&["undo"]);
    assert_eq!(env.json(&["check"])["ok"], true);
}

#[test]
fn optimize_fits_and_evaluate_scores_every_scheduler() {
    let env = reviewed();
    let optimized = env.json(&["optimize"]);
    assert_eq!(
        optimized["parameters"]
            .as_array()
            .expect("parameters")
            .len(),
        21
    );
    assert!(optimized["reviews_used"].as_i64().expect("used") >= 400);
    assert_eq!(optimized["applied"], false, "SM-2 is in force");
    assert!(env.json(&["settings"])["fsrs_fitted_at"].is_string());

    let evaluation = env.json(&["scheduler", "evaluate"]);
    for variant in ["sm2", "fsrs_default", "fsrs_fitted"] {
        let score = &evaluation[variant];
        assert!(
            score["log_loss"].as_f64().expect("log loss") > 0.0,
            "{evaluation}"
        );
        assert!(score["rmse_bins"].as_f64().expect("rmse") >= 0.0);
        assert!(score["reviews_tested"].as_i64().expect("tested") > 0);
    }
    assert_eq!(
        env.json(&["scheduler", "evaluate"]),
        evaluation,
        "the same log gives the same evaluation"
    );
    let variants: Vec<&String> = evaluation.as_object().expect("object").keys().collect();
    assert_eq!(
        variants,
        ["fsrs_default", "fsrs_fitted", "sm2"],
        "one entry per variant"
    );
    assert!(
        evaluation["fsrs_fitted"]["reviews_trained"]
            .as_i64()
            .expect("trained")
            >= 400
    );
    let text = env.ok(&["scheduler", "evaluate"]);
    assert!(
        text.contains("log loss") && text.contains("predicted your recall"),
        "{text}"
    );

    env.ok(&["settings", "--scheduler", "fsrs"]);
    let optimized = env.json(&["optimize"]);
    assert_eq!(optimized["applied"], true);
    assert_eq!(env.json(&["check"])["ok"], true);
}

#[test]
fn bad_scheduler_settings_and_too_few_answers_are_refused_clearly() {
    let env = Env::new();
    env.write("deck.md", "# D\n\n## A\nOne.\n");
    env.import_notes();
    let out = env.run(&["settings", "--desired-retention", "0.99"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("0.70 to 0.97"));
    let out = env.run(&["settings", "--scheduler", "anki"]);
    assert!(!out.status.success());
    let out = env.run(&["optimize"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("at least 400") && err.contains("has 0"),
        "{err}"
    );
    assert_eq!(
        env.json(&["settings"])["scheduler"],
        "sm2",
        "nothing changed"
    );
}

#[test]
fn simulate_compares_retentions_from_the_learners_cards() {
    let env = reviewed();
    let projections = env.json(&["simulate", "--retention", "0.8,0.9,0.95", "--days", "90"]);
    let rows = projections.as_array().expect("projections");
    assert_eq!(rows.len(), 3);
    let reviews: Vec<f64> = rows
        .iter()
        .map(|p| p["reviews_per_day"].as_f64().expect("reviews"))
        .collect();
    let remembered: Vec<f64> = rows
        .iter()
        .map(|p| p["remembered_at_end"].as_f64().expect("remembered"))
        .collect();
    assert!(
        reviews[0] < reviews[1] && reviews[1] < reviews[2],
        "{reviews:?}"
    );
    assert!(remembered[0] < remembered[2], "{remembered:?}");
    assert_eq!(rows[0]["cards"], 300);
    assert_eq!(rows[1]["desired_retention"], 0.9);
    let text = env.ok(&["simulate", "--days", "30"]);
    assert!(
        text.contains("reviews a day") && text.contains("90%"),
        "{text}"
    );
    let out = env.run(&["simulate", "--retention", "0.5"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("0.70 to 0.97"));
}

/// Each retention is a whole simulation: at most 20 at once (the list was
/// unbounded).
#[test]
fn simulate_compares_at_most_twenty_retentions() {
    let env = crate::support::deck_of(5);
    let retentions = |n: usize| vec!["0.9"; n].join(",");
    let out = env.run(&["simulate", "--retention", &retentions(21), "--days", "1"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("21 retentions given") && err.contains("from 1 to 20"),
        "{err}"
    );
    let rows = env.json(&["simulate", "--retention", &retentions(20), "--days", "1"]);
    assert_eq!(rows.as_array().expect("projections").len(), 20);
}

#[test]
fn the_browser_sorts_by_chance_of_recall_under_fsrs() {
    let env = reviewed();
    env.ok(&["settings", "--scheduler", "fsrs"]);
    let recall: std::collections::HashMap<String, f64> = env
        .json(&["cards"])
        .as_array()
        .expect("cards")
        .iter()
        .filter_map(|c| Some((c["id"].as_str()?.to_owned(), c["retrievability"].as_f64()?)))
        .collect();
    let mut service = notedeck_api::Service::open(&env.db()).expect("open");
    let now = chrono::Utc::now();
    let page = service
        .browse(
            &notedeck_api::BrowseRequest {
                sort: Some(notedeck_api::Sort::Retrievability),
                ..Default::default()
            },
            now,
        )
        .expect("browse");
    let shown: Vec<f64> = page
        .cards
        .iter()
        .map_while(|c| recall.get(&c.id).copied())
        .collect();
    assert!(shown.len() > 10, "cards with a memory state come first");
    assert!(
        shown.windows(2).all(|w| w[0] <= w[1] + 1e-6),
        "lowest chance of recall first: {shown:?}"
    );
}
