//! A deterministic generator of realistic vaults in two shapes: many small
//! notes with varied sections (front matter, nested headings, lists, links,
//! wikilinks, callouts, code, tables, math and definitions), and fewer,
//! longer notes whose every section is a rich paragraph (emphasis, inline
//! code, links and a two-item list, about 440 bytes).

use std::fmt::Write as _;
use std::path::Path;

/// A tiny deterministic random generator (no dependency, same vault on
/// every machine).
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const WORDS: &[&str] = &[
    "memory",
    "review",
    "interval",
    "ease",
    "card",
    "note",
    "heading",
    "learning",
    "recall",
    "schedule",
    "spacing",
    "effect",
    "forgetting",
    "curve",
    "retention",
    "practice",
    "testing",
    "feedback",
    "concept",
    "model",
    "gradient",
    "reward",
    "policy",
    "value",
    "signal",
    "layer",
    "network",
    "feature",
    "circuit",
    "probe",
    "vector",
    "matrix",
    "theorem",
    "proof",
    "lemma",
    "example",
    "history",
    "language",
    "grammar",
    "river",
    "mountain",
    "protein",
    "enzyme",
];

fn words(rng: &mut Lcg, n: usize) -> String {
    (0..n)
        .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize])
        .collect::<Vec<_>>()
        .join(" ")
}

fn sentence(rng: &mut Lcg) -> String {
    let n = 8 + rng.below(10) as usize;
    let mut s = words(rng, n);
    if let Some(first) = s.get(..1) {
        s = first.to_uppercase() + &s[1..];
    }
    s + "."
}

/// The two vault shapes the benchmark generates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Many small notes, each section of one of seven kinds.
    Small,
    /// Fewer, longer notes; every section a rich paragraph and a list.
    Rich,
}

impl Shape {
    /// The shape named `name` (`small` or `rich`).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "small" => Some(Self::Small),
            "rich" => Some(Self::Rich),
            _ => None,
        }
    }

    /// The text of note `index` with `sections` heading sections.
    pub fn note(self, index: usize, sections: usize) -> String {
        match self {
            Self::Small => note(index, sections),
            Self::Rich => rich_note(index, sections),
        }
    }
}

/// A note of the rich shape: every section has emphasis, inline code, an
/// external link and a wikilink in its paragraph, then a two-item list.
fn rich_note(index: usize, sections: usize) -> String {
    let mut rng = Lcg(index as u64 * 104_729 + 3);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "---\ntitle: Chapter {index} on {}\ntags: [bench, rich{}]\n---\n",
        words(&mut rng, 2),
        index % 10
    );
    for s in 0..sections {
        let _ = writeln!(out, "## {} {s}\n", capitalised(&words(&mut rng, 3)));
        let _ = writeln!(
            out,
            "{} The *{}* of `{}()` matters for **{}**, see [{}](https://example.org/{}/{}) and [[Chapter {}]].\n",
            sentence(&mut rng),
            words(&mut rng, 2),
            words(&mut rng, 1),
            words(&mut rng, 2),
            words(&mut rng, 2),
            words(&mut rng, 1),
            rng.below(9999),
            rng.below(1000),
        );
        let _ = writeln!(
            out,
            "- {}\n- {} `{}`\n",
            sentence(&mut rng),
            sentence(&mut rng),
            rng.below(99_999)
        );
    }
    out
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The text of note `index` of the small shape with `sections` heading sections.
pub fn note(index: usize, sections: usize) -> String {
    let mut rng = Lcg(index as u64 * 7919 + 17);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "---\ntitle: Note {index} on {}\ntags: [bench, t{}]\n---",
        words(&mut rng, 2),
        index % 10
    );
    let _ = writeln!(out, "{}\n", sentence(&mut rng));
    for s in 0..sections {
        let level = if s == 0 { 2 } else { 2 + rng.below(2) as usize };
        let _ = writeln!(
            out,
            "{} Section {s}: {}\n",
            "#".repeat(level),
            words(&mut rng, 3)
        );
        match rng.below(7) {
            0 => {
                for _ in 0..3 {
                    let _ = writeln!(out, "- {} [[Note {}]]", sentence(&mut rng), rng.below(1000));
                }
            }
            1 => {
                let _ = writeln!(
                    out,
                    "> [!info] {}\n> {}",
                    words(&mut rng, 2),
                    sentence(&mut rng)
                );
            }
            2 => {
                let _ = writeln!(
                    out,
                    "```python\ndef f(x):\n    return x * {}\n```",
                    rng.below(100)
                );
            }
            3 => {
                let _ = writeln!(
                    out,
                    "| term | value |\n|---|---|\n| {} | {} |\n| {} | {} |",
                    words(&mut rng, 1),
                    rng.below(99),
                    words(&mut rng, 1),
                    rng.below(99)
                );
            }
            4 => {
                let _ = writeln!(out, "**{}**: {}", words(&mut rng, 1), sentence(&mut rng));
                let _ = writeln!(out, "**{}**: {}", words(&mut rng, 1), sentence(&mut rng));
            }
            5 => {
                let _ = writeln!(
                    out,
                    "{} See [the reference](https://example.org/{}) and $x^{}$.",
                    sentence(&mut rng),
                    rng.below(999),
                    rng.below(9)
                );
            }
            _ => {
                let _ = writeln!(out, "{} {}", sentence(&mut rng), sentence(&mut rng));
            }
        }
        out.push('\n');
    }
    out
}

/// Writes `notes` notes of `sections` sections into `dir`, in folders of 100.
pub fn write(dir: &Path, shape: Shape, notes: usize, sections: usize) -> std::io::Result<()> {
    for i in 0..notes {
        let folder = dir.join(format!("folder{:03}", i / 100));
        std::fs::create_dir_all(&folder)?;
        std::fs::write(
            folder.join(format!("note{i:05}.md")),
            shape.note(i, sections),
        )?;
    }
    Ok(())
}

/// Edits every hundredth note (1%): one section's text changes.
pub fn edit_one_percent(
    dir: &Path,
    shape: Shape,
    notes: usize,
    sections: usize,
) -> std::io::Result<usize> {
    let mut edited = 0;
    for i in (0..notes).step_by(100) {
        let path = dir
            .join(format!("folder{:03}", i / 100))
            .join(format!("note{i:05}.md"));
        let original = shape.note(i, sections);
        let text = match original.find("\n## ") {
            Some(at) => format!("{}\n## Edited{}", &original[..at], &original[at + 3..]),
            None => original,
        } + "\nAn added closing line.\n";
        std::fs::write(path, text)?;
        edited += 1;
    }
    Ok(edited)
}
