//! The deck list's counts (new, due, reading, due tomorrow) on cards in
//! every state the queue tells apart: suspended, buried until today or
//! later, reading cards, retired cards, a tag filter.

use serde_json::Value;

use crate::support::Env;

/// Noon, so that the day is the same in any time zone within eleven hours.
const NOW: &str = "2026-03-02T12:00:00Z";

/// The deck named `name` anywhere in the tree.
fn find<'a>(nodes: &'a Value, name: &str) -> Option<&'a Value> {
    nodes.as_array()?.iter().find_map(|node| {
        if node["name"] == name {
            Some(node)
        } else {
            find(&node["children"], name)
        }
    })
}

/// (total, new, due, reading, due_tomorrow) of the deck named `name`.
fn counts(tree: &Value, name: &str) -> [i64; 5] {
    let node = find(tree, name).unwrap_or_else(|| panic!("no deck {name}: {tree:#}"));
    ["total", "new", "due", "reading", "due_tomorrow"].map(|k| node[k].as_i64().expect(k))
}

#[test]
fn the_deck_list_counts_each_state_as_the_queue_takes_it() {
    let env = Env::new();
    let sections: String = (1..=9)
        .map(|i| format!("## A{i}\nAnswer {i}.\n\n"))
        .collect();
    env.write("alpha.md", format!("# Alpha\n\n{sections}"));
    env.write("beta.md", "# Beta\n\n## B1\nOne.\n\n## B2\nTwo.\n");
    env.import_notes();
    let sql = env.sql();
    let set = |heading: &str, assignments: &str| {
        let id = crate::support::id_of(&env, heading);
        let changed = sql
            .execute(
                &format!("UPDATE cards SET {assignments} WHERE id = ?1"),
                [&id],
            )
            .expect("update");
        assert_eq!(changed, 1, "{heading}");
    };
    // A1 stays new.
    set(
        "A2",
        "due_day = '2026-03-01', repetitions = 1, tags = 'exam'",
    );
    set("A3", "due_day = '2026-03-03', repetitions = 1");
    set(
        "A4",
        "due_day = '2026-03-01', repetitions = 1, suspended = 1",
    );
    set(
        "A5",
        "due_day = '2026-03-01', repetitions = 1, buried_until = '2026-03-03'",
    );
    set("A6", "buried_until = '2026-03-04'");
    set("A7", "kind = 'reading', tags = 'exam'");
    set("A8", "kind = 'reading', due_day = '2026-03-03'");
    set("A9", "retired = 1");
    set(
        "B1",
        "due_day = '2026-03-02', repetitions = 1, buried_until = '2026-03-02'",
    );
    drop(sql);

    let tree = env.at(NOW, &["decks"]);
    let alpha = find(&tree, "notes::Alpha")
        .or_else(|| find(&tree, "Alpha"))
        .map(|d| d["name"].as_str().expect("name").to_owned())
        .unwrap_or_else(|| panic!("no Alpha deck: {tree:#}"));
    let beta = alpha.replace("Alpha", "Beta");
    // total (A9 retired), new (A1; A6 buried past today), due (A2; A4
    // suspended, A5 buried until tomorrow), reading (A7; A8 not due yet),
    // due tomorrow (A2, A3, A5: buried until tomorrow, then due).
    assert_eq!(counts(&tree, &alpha), [8, 1, 1, 1, 3], "{tree:#}");
    // B1 buried until today is due today; B2 is new.
    assert_eq!(counts(&tree, &beta), [2, 1, 1, 0, 1], "{tree:#}");

    let tagged = env.at(NOW, &["decks", "--tag", "exam"]);
    assert_eq!(counts(&tagged, &alpha), [2, 0, 1, 1, 1], "{tagged:#}");
    assert_eq!(counts(&tagged, &beta), [0, 0, 0, 0, 0], "{tagged:#}");
}
