//! Tags everywhere: the deck list, today's queue and the statistics filtered
//! by a note tag or a notedeck tag, through the real CLI.

use serde_json::Value;

use crate::support::Env;

const NOW: &str = "2026-03-02T09:00:00Z";

fn headings(queue: &Value) -> Vec<String> {
    let mut found: Vec<String> = queue
        .as_array()
        .expect("array")
        .iter()
        .map(crate::support::last_heading)
        .collect();
    found.sort();
    found
}

fn total(nodes: &Value) -> i64 {
    nodes
        .as_array()
        .expect("array")
        .iter()
        .map(|d| d["total"].as_i64().expect("total"))
        .sum()
}

#[test]
fn decks_queue_and_statistics_filter_by_tag() {
    let env = Env::new();
    env.write(
        "exam.md",
        "---\ntags: [exam]\n---\n# Exam\n\n## E1\nOne.\n\n## E2\nTwo.\n",
    );
    env.write(
        "other.md",
        "# Other\n\n## O1\nThree.\n\n## O2 #exam\nFour, tagged inline.\n",
    );
    env.import_notes();
    let all = env.at(NOW, &["decks"]);
    let tagged = env.at(NOW, &["decks", "--tag", "exam"]);
    assert_eq!(total(&all), 4, "{all:#}");
    let exam_queue = headings(&env.at(NOW, &["due", "--tag", "exam"]));
    assert!(exam_queue.contains(&"E1".to_owned()) && exam_queue.contains(&"E2".to_owned()));
    assert!(!exam_queue.contains(&"O1".to_owned()), "{exam_queue:?}");
    assert_eq!(
        total(&tagged),
        exam_queue.len() as i64,
        "the deck list counts the same cards"
    );

    // A notedeck tag counts like a note tag.
    let o1 = env.card("O1")["id"].as_str().expect("id").to_owned();
    env.ok(&["tag", &o1, "--add", "exam"]);
    assert!(headings(&env.at(NOW, &["due", "--tag", "exam"])).contains(&"O1".to_owned()));
    let stats: Value = serde_json::from_str(
        &env.ok(&["--now", NOW, "stats", "--tag", "exam", "--format", "json"]),
    )
    .expect("json");
    assert_eq!(stats["tag"], "exam");
    assert_eq!(
        stats["cards"]["total"].as_i64(),
        Some(exam_queue.len() as i64 + 1)
    );

    let out = env.run(&["due", "--tag", "two words"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a tag"));
}
