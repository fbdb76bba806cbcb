//! Huge and odd notes: each imports, or is skipped with a clear reason,
//! without crashing, hanging or losing the rest of the import.

use crate::support::{note_report, Env};

#[test]
fn huge_and_odd_notes_import_or_are_skipped_with_reasons() {
    let env = Env::new();
    env.write(
        "many-headings.md",
        format!(
            "# Many\n{}",
            (0..100_000)
                .map(|i| format!("## H{i}\nbody {i}\n"))
                .collect::<String>()
        ),
    );
    env.write(
        "deep-quote.md",
        format!("# Deep\n## Quote\n{} deep\n", ">".repeat(10_000)),
    );
    env.write(
        "deep-list.md",
        format!(
            "# List\n## L\n{}",
            (0..2_000)
                .map(|i| format!("{}- item\n", "  ".repeat(i)))
                .collect::<String>()
        ),
    );
    env.write(
        "deep-headings.md",
        format!(
            "# D\n{}",
            (0..10_000)
                .map(|i| format!("{} h{i}\nb\n", "#".repeat(1 + i % 6)))
                .collect::<String>()
        ),
    );
    env.write(
        "long-line.md",
        format!("# Long\n## Line\n{}\n", "word ".repeat(200_000)),
    );
    env.write(
        "brackets.md",
        format!("# B\n## b\n{}{}\n", "[".repeat(50_000), "]".repeat(50_000)),
    );
    env.write("nul.md", b"# N\n## x\nhello\x00world\n");
    env.write("invalid.md", b"# I\n## x\n\xff\xfe caf\xe9\n");
    env.write(
        "fifty-megabytes.md",
        "# Big\n".to_owned() + &"x".repeat(50 * 1024 * 1024),
    );
    let report = env.import_notes();
    assert_eq!(note_report(&report, "many-headings.md")["added"], 100_000);
    assert_eq!(note_report(&report, "deep-headings.md")["added"], 10_000);
    for name in [
        "deep-quote.md",
        "deep-list.md",
        "long-line.md",
        "invalid.md",
    ] {
        assert_eq!(note_report(&report, name)["added"], 1, "{name}: {report:#}");
    }
    // 50,000 brackets read as one huge wikilink: a section of only a link.
    let brackets = note_report(&report, "brackets.md");
    assert!(
        brackets["skipped_items"]
            .to_string()
            .contains("rule only-links"),
        "{brackets:#}"
    );
    assert!(note_report(&report, "nul.md")["skipped_items"]
        .to_string()
        .contains("binary"));
    let big = note_report(&report, "fifty-megabytes.md")["skipped_items"].to_string();
    assert!(big.contains("52.4 MB") && big.contains("limit"), "{big}");
    assert_eq!(env.json(&["check"])["ok"], true);
}
