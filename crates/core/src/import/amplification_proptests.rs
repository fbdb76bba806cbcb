//! Property test: whatever a vault's notes do to repeat text (clozes,
//! footnotes cited everywhere, embeds, Logseq block references, written
//! cards), the collection an import makes of them grows at most linearly:
//! `collection bytes ≤ k × vault bytes + c × notes + c₀` (see
//! [`crate::markdown::budget`]).

use std::path::Path;

use chrono::{TimeZone, Utc};
use proptest::prelude::*;

use super::{import, ImportOptions};
use crate::storage::Collection;

/// Bytes of the collection per byte of notes: the text is kept as HTML
/// and as source, with its rows and indexes.
const PER_BYTE: u64 = 40;

/// Bytes each note may add beyond that: what its budget lets it copy
/// (16 times its size is in [`PER_BYTE`]; the 1 MB allowance here) and
/// the rows around it.
const PER_NOTE: u64 = 2 << 20;

/// One way a note repeats text.
#[derive(Debug, Clone)]
enum Block {
    /// A paragraph of `count` clozes with answers `len` long.
    Clozes { count: usize, len: usize },
    /// A footnote `len` long cited by `sections` sections.
    Footnote { len: usize, sections: usize },
    /// A note `len` long embedded `count` times.
    Embeds { len: usize, count: usize },
    /// A Logseq block `len` long referenced by `count` card blocks.
    References { len: usize, count: usize },
    /// `count` highlights in a `#cloze` paragraph.
    Highlights { count: usize },
    /// A line of `count` card separators.
    Separators { count: usize },
}

fn blocks() -> impl Strategy<Value = Vec<Block>> {
    let block = prop_oneof![
        (1..3_000usize, 1..40usize).prop_map(|(count, len)| Block::Clozes { count, len }),
        (1..200_000usize, 1..400usize)
            .prop_map(|(len, sections)| Block::Footnote { len, sections }),
        (1..300_000usize, 1..400usize).prop_map(|(len, count)| Block::Embeds { len, count }),
        (1..300_000usize, 1..400usize).prop_map(|(len, count)| Block::References { len, count }),
        (1..3_000usize).prop_map(|count| Block::Highlights { count }),
        (1..20_000usize).prop_map(|count| Block::Separators { count }),
    ];
    prop::collection::vec(block, 1..4)
}

/// Writes the notes `block` needs into `vault` (note `n`, and the notes it
/// embeds).
fn write_block(vault: &Path, n: usize, block: &Block) {
    let write = |name: String, text: String| {
        std::fs::write(vault.join(name), text).expect("write note");
    };
    match *block {
        Block::Clozes { count, len } => {
            let answer = "a".repeat(len);
            let paragraph: String = (1..=count)
                .map(|i| format!("w {{{{c{i}::{answer}}}}} "))
                .collect();
            write(
                format!("n{n}.md"),
                format!("# Clozes {n}\n\nIntro.\n\n{paragraph}\n"),
            );
        }
        Block::Footnote { len, sections } => {
            let body: String = (0..sections)
                .map(|i| format!("## Part {i}\nSee[^f].\n\n"))
                .collect();
            let definition = "word ".repeat(len / 5 + 1);
            write(
                format!("n{n}.md"),
                format!("# Cited {n}\n\n{body}[^f]: {definition}\n"),
            );
        }
        Block::Embeds { len, count } => {
            write(
                format!("big{n}.md"),
                format!("# Big\n\n{}\n", "text ".repeat(len / 5 + 1)),
            );
            let body: String = (0..count)
                .map(|i| format!("## E{i}\nIt says:\n\n![[big{n}]]\n\n"))
                .collect();
            write(format!("n{n}.md"), format!("# Embeds {n}\n\n{body}"));
        }
        Block::References { len, count } => {
            let uuid = format!("650a1b2c-0000-4000-8000-{n:012}");
            write(
                format!("src{n}.md"),
                format!("- {}\n  id:: {uuid}\n", "long ".repeat(len / 5 + 1)),
            );
            let cards: String = (0..count)
                .map(|i| format!("- Question {i} #card\n  - (({uuid}))\n"))
                .collect();
            write(format!("n{n}.md"), cards);
        }
        Block::Highlights { count } => {
            write(
                format!("n{n}.md"),
                format!("# Marks {n} #cloze\n\n{}\n", "==mark== ".repeat(count)),
            );
        }
        Block::Separators { count } => {
            write(
                format!("n{n}.md"),
                format!("# Colons {n}\n\n{}\n", "a::".repeat(count)),
            );
        }
    }
}

/// The bytes of every file in `dir` (not below it).
fn bytes_in(dir: &Path) -> (u64, u64) {
    let mut total = (0, 0);
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        if entry.path().is_file() {
            total.0 += entry.metadata().expect("metadata").len();
            total.1 += 1;
        }
    }
    total
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn collections_grow_linearly_with_hostile_vaults(blocks in blocks(), logseq in any::<bool>()) {
        let dir = tempfile::tempdir().expect("temp dir");
        let vault = dir.path().join("vault");
        std::fs::create_dir_all(&vault).expect("vault");
        if logseq {
            std::fs::create_dir_all(vault.join("logseq")).expect("graph");
        }
        for (n, block) in blocks.iter().enumerate() {
            write_block(&vault, n, block);
        }
        let (vault_bytes, notes) = bytes_in(&vault);
        let db = dir.path().join("c.sqlite3");
        let mut collection = Collection::open(&db).expect("open");
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).single().expect("time");
        import(&mut collection, std::slice::from_ref(&vault), &ImportOptions::default(), now, &mut |_| {})
            .expect("import");
        collection.close();
        let (collection_bytes, _) = bytes_in(dir.path());
        let bound = PER_BYTE * vault_bytes + PER_NOTE * notes + (4 << 20);
        prop_assert!(
            collection_bytes <= bound,
            "{vault_bytes} bytes in {notes} notes made {collection_bytes} bytes (bound {bound}): {blocks:?}"
        );
    }
}
