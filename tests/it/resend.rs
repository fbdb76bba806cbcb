//! Answers a phone sends again after a lost reply: recorded once, at the
//! time they were given (never before the card's newest answer), and never
//! again once an undo has taken them back.

use serde_json::{json, Value};

use crate::serve::{json_post, start};
use crate::support::{deck_of, id_of, Env};

fn log(env: &Env) -> Vec<(String, String)> {
    let sql = env.sql();
    let mut stmt = sql
        .prepare("SELECT card_id, answered_at FROM review_log ORDER BY seq")
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query");
    rows.map(|r| r.expect("row")).collect()
}

fn answer(server: &crate::serve::Server, body: Value) -> (u16, Value) {
    json_post(server, "/api/answer", &body.to_string())
}

#[test]
fn an_answer_sent_again_under_its_key_is_recorded_once_at_the_time_it_was_given() {
    let env = deck_of(3);
    let (q1, q2) = (id_of(&env, "Q1"), id_of(&env, "Q2"));
    // Q2 was answered on the desktop half an hour before the server's now.
    env.at("2026-03-01T08:30:00Z", &["answer", &q2, "hard"]);
    let server = start(&env);

    // Given a minute ago, sent twice (the first reply lost).
    let sent = json!({"card_id": q1, "grade": "good", "answer_key": "k1-aaaaaaaaaaaaaaaa", "waited_ms": 60_000});
    let (status, first) = answer(&server, sent.clone());
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["again"], false);
    assert_eq!(first["review"]["answered_at"], "2026-03-01T08:59:00.000Z");
    let (status, second) = answer(&server, sent);
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["again"], true);
    assert_eq!(second["review"]["id"], first["review"]["id"]);
    assert_eq!(second["card"]["due"], first["card"]["due"]);

    // Given an hour ago, but Q2's newest answer is half an hour old: the
    // log of each card stays in answer-time order.
    let (status, later) = answer(
        &server,
        json!({"card_id": q2, "grade": "good", "answer_key": "k2-bbbbbbbbbbbbbbbb", "waited_ms": 3_600_000}),
    );
    assert_eq!(status, 200, "{later}");
    assert_eq!(later["review"]["answered_at"], "2026-03-01T08:30:00.001Z");
    assert_eq!(
        log(&env),
        vec![
            (q2.clone(), "2026-03-01T08:30:00.000Z".to_owned()),
            (q1.clone(), "2026-03-01T08:59:00.000Z".to_owned()),
            (q2.clone(), "2026-03-01T08:30:00.001Z".to_owned()),
        ]
    );

    // Taken back by an undo, the answer arriving again is not recorded.
    let (status, _) = json_post(&server, "/api/undo", "{}");
    assert_eq!(status, 200);
    let (status, refused) = answer(
        &server,
        json!({"card_id": q2, "grade": "good", "answer_key": "k2-bbbbbbbbbbbbbbbb", "waited_ms": 3_600_000}),
    );
    assert_eq!(status, 400, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .expect("message")
            .contains("taken back by an undo"),
        "{refused}"
    );
    assert_eq!(log(&env).len(), 2);
    drop(server);
    assert_eq!(env.json(&["check"])["ok"], true);
}

#[test]
fn a_key_or_wait_that_cannot_be_one_is_refused_and_nothing_is_recorded() {
    let env = deck_of(1);
    let q1 = id_of(&env, "Q1");
    let server = start(&env);
    for (body, says) in [
        (
            json!({"card_id": q1, "grade": "good", "answer_key": "short"}),
            "answer key",
        ),
        (
            json!({"card_id": q1, "grade": "good", "answer_key": "has space in it 1234"}),
            "answer key",
        ),
        (
            json!({"card_id": q1, "grade": "good", "answer_key": "k".repeat(65)}),
            "answer key",
        ),
        (
            json!({"card_id": q1, "grade": "good", "waited_ms": -1}),
            "waited_ms",
        ),
        (
            json!({"card_id": q1, "grade": "good", "waited_ms": 40_i64 * 86_400_000}),
            "waited_ms",
        ),
    ] {
        let (status, refused) = answer(&server, body.clone());
        assert_eq!(status, 400, "{body}: {refused}");
        assert!(
            refused["message"].as_str().expect("message").contains(says),
            "{body}: {refused}"
        );
    }
    assert!(log(&env).is_empty());
}
