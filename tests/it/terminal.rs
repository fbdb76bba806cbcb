//! The terminal review: a long answer is paged under its question, a
//! cloze's answer stands out, the card keys (bury, suspend) work and the
//! buttons say when the card comes back.

use std::io::Write;

use crate::support::Env;

fn review(env: &Env, keys: &[u8]) -> String {
    let mut child = env.spawn_review("2026-03-01T09:00:00Z");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(keys).expect("keys");
    drop(stdin);
    let out = child.wait_with_output().expect("review");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_long_answer_is_paged_under_its_question() {
    let env = Env::new();
    let items: String = (1..=40).map(|i| format!("- step {i}\n")).collect();
    env.write(
        "steps.md",
        format!("# Steps\n\n## What are the forty steps?\n{items}"),
    );
    env.import_notes();
    // Space shows the answer, then its second and third pages (24 lines).
    let screen = review(&env, b"   3q");
    assert!(screen.contains("[Space] more (1/3)"), "{screen}");
    assert!(screen.contains("[Space] more (2/3)"), "{screen}");
    // The question is on both pages of the answer.
    assert!(
        screen.matches("What are the forty steps?").count() >= 3,
        "{screen}"
    );
    assert!(screen.contains("step 40"), "{screen}");
    assert!(
        screen.contains("[1] Again (today, then 1d)  [2] Hard (today, then 1d)  [3] Good (1d)"),
        "{screen}"
    );
    assert_eq!(
        env.cards()[0]["repetitions"],
        1,
        "answered from the second page"
    );
}

#[test]
fn a_cloze_answer_stands_out_and_b_and_s_set_cards_aside() {
    let env = Env::new();
    env.write(
        "geo.md",
        "# Geo\n\nThe {{c1::Seine}} flows through Paris.\n\n## Rivers\nThe Loire is long.\n\n## Mountains\nThe Alps are high.\n",
    );
    env.import_notes();
    // Reveal the cloze and bury it; suspend the next card at its front;
    // then take both back (this review's own steps: no question).
    let screen = review(&env, b" bsq");
    assert!(screen.contains("«Seine»"), "{screen}");
    let cards = env.cards();
    let cloze = cards.iter().find(|c| c["kind"] == "cloze").expect("cloze");
    assert_eq!(cloze["buried_until"], "2026-03-02", "{cloze:#}");
    assert_eq!(cards.iter().filter(|c| c["suspended"] == true).count(), 1);
    // Each is one step. A later review asks before taking them back.
    let screen = review(&env, b"uyuyq");
    assert_eq!(screen.matches("Take back").count(), 2, "{screen}");
    let cards = env.cards();
    assert!(cards
        .iter()
        .all(|c| c["suspended"] == false && c["buried_until"].is_null()));
    // In the same review, its own step is taken back at once.
    let screen = review(&env, b" buq");
    assert!(!screen.contains("Take back"), "{screen}");
    assert!(env.cards().iter().all(|c| c["buried_until"].is_null()));
}
