//! Undo without surprises: the next step is described (card, day, time),
//! an undo of a named step takes back that step or nothing, and the
//! terminal review asks before taking back an answer it did not give.

use std::io::Write;

use crate::support::{deck_of, id_of};

fn log_count(env: &crate::support::Env) -> i64 {
    env.sql()
        .query_row("SELECT count(*) FROM review_log", [], |r| r.get(0))
        .expect("count")
}

#[test]
fn the_next_step_is_described_and_an_undo_of_another_step_changes_nothing() {
    let env = deck_of(3);
    let q1 = id_of(&env, "Q1");
    let q2 = id_of(&env, "Q2");
    env.at("2026-03-01T09:00:00Z", &["answer", &q1, "good"]);
    env.at("2026-03-02T09:30:00Z", &["answer", &q2, "hard"]);
    let mut service = notedeck_api::Service::open(&env.db()).expect("open");
    let now = "2026-03-03T08:00:00Z".parse().expect("now");
    let step = service.undo_preview(now).expect("preview").expect("a step");
    assert_eq!(
        (step.what.as_str(), step.card_id.as_str()),
        ("answer", q2.as_str())
    );
    assert_eq!((step.day.as_str(), step.today), ("2026-03-02", false));
    assert_eq!(
        step.description,
        "Hard on “Q2”, answered yesterday (2026-03-02 09:30 UTC)"
    );
    // Another step is newest now than the one shown: nothing changes.
    let err = service
        .undo_expected(Some("not-the-newest"), now)
        .expect_err("refused");
    assert_eq!(err.code, notedeck_api::ErrorCode::UndoMoved);
    assert_eq!(log_count(&env), 2);
    let undone = service.undo_expected(Some(&step.id), now).expect("undo");
    assert_eq!(undone.review.expect("an answer").card_id, q2);
    assert_eq!(log_count(&env), 1);
}

#[test]
fn the_terminal_review_asks_before_taking_back_an_answer_it_did_not_give() {
    let env = deck_of(3);
    let q1 = id_of(&env, "Q1");
    env.at("2026-03-01T09:00:00Z", &["answer", &q1, "good"]);
    // `u` on the next day's first card: asked; any key but `y` keeps it.
    let mut child = env.spawn_review("2026-03-02T09:00:00Z");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"unq").expect("keys");
    drop(stdin);
    let out = child.wait_with_output().expect("review");
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(
        screen.contains("Take back Good on “Q1”, answered yesterday"),
        "{screen}"
    );
    assert!(screen.contains("Kept it."), "{screen}");
    assert_eq!(log_count(&env), 1);
    // `y` takes it back; an answer given in this review is undone at once.
    let mut child = env.spawn_review("2026-03-02T09:00:00Z");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"uy 3uq").expect("keys");
    drop(stdin);
    let out = child.wait_with_output().expect("review");
    let screen = String::from_utf8_lossy(&out.stdout);
    assert_eq!(screen.matches("Take back").count(), 1, "{screen}");
    assert_eq!(log_count(&env), 0);
}

#[test]
fn undo_on_the_command_line_prints_what_it_took_back() {
    let env = deck_of(2);
    let q1 = id_of(&env, "Q1");
    env.at("2026-03-01T09:00:00Z", &["answer", &q1, "good"]);
    // Not a terminal (a script): taken back without asking, and said.
    let text = env.ok(&["--now", "2026-03-05T09:00:00Z", "undo"]);
    assert!(text.contains(&format!("undid {q1} with grade 4")), "{text}");
    assert_eq!(log_count(&env), 0);
}
