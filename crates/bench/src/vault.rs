//! A deterministic generator of realistic vaults in three shapes: many
//! small notes with varied sections (front matter, nested headings, lists,
//! links, wikilinks, callouts, code, tables, math and definitions); fewer,
//! longer notes whose every section is a rich paragraph (emphasis, inline
//! code, links and a two-item list, about 440 bytes); and blog-like prose
//! (Jekyll front matter and Liquid, several paragraphs a section,
//! footnotes, quotes, nested lists, aliased wikilinks and tags), which the
//! importer was not tuned on: the held-out shape.

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

/// The vault shapes the benchmark generates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Many small notes, each section of one of seven kinds.
    Small,
    /// Fewer, longer notes; every section a rich paragraph and a list.
    Rich,
    /// Blog-like prose with Jekyll, Liquid, footnotes and Obsidian syntax.
    Prose,
}

impl Shape {
    /// The shape named `name` (`small`, `rich` or `prose`).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "small" => Some(Self::Small),
            "rich" => Some(Self::Rich),
            "prose" => Some(Self::Prose),
            _ => None,
        }
    }

    /// The text of note `index` with `sections` heading sections.
    pub fn note(self, index: usize, sections: usize) -> String {
        match self {
            Self::Small => note(index, sections),
            Self::Rich => rich_note(index, sections),
            Self::Prose => prose_note(index, sections),
        }
    }
}

/// A paragraph of three to five sentences, now and then with emphasis, a
/// footnote reference, an aliased wikilink or a tag.
fn paragraph(rng: &mut Lcg, footnotes: &mut usize) -> String {
    let mut out = String::new();
    for i in 0..3 + rng.below(3) {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&sentence(rng));
        match rng.below(8) {
            0 => {
                *footnotes += 1;
                let _ = write!(out, "[^{}]", *footnotes);
            }
            1 => {
                let _ = write!(out, " It is *{}*, not _{}_.", words(rng, 1), words(rng, 1));
            }
            2 => {
                let n = rng.below(1000);
                let _ = write!(out, " Compare [[Post {n}|{}]].", words(rng, 2));
            }
            3 => {
                let _ = write!(out, " #{}", words(rng, 1));
            }
            _ => {}
        }
    }
    out
}

/// A note of the prose shape: a blog post as Jekyll and Obsidian users keep
/// them, `sections` headed sections of two to four paragraphs, with the
/// footnotes' text at the end.
fn prose_note(index: usize, sections: usize) -> String {
    let mut rng = Lcg(index as u64 * 15_485_863 + 29);
    let mut out = String::new();
    let mut footnotes = 0;
    let _ = writeln!(
        out,
        "---\nlayout: post\ntitle: \"{} {index}\"\ndate: 2024-{:02}-{:02}\ncategories: [{}]\n---\n",
        capitalised(&words(&mut rng, 3)),
        1 + rng.below(12),
        1 + rng.below(28),
        words(&mut rng, 1),
    );
    let _ = writeln!(out, "{}\n", paragraph(&mut rng, &mut footnotes));
    for s in 0..sections {
        let level = if s == 0 { 2 } else { 2 + rng.below(2) as usize };
        let title_words = 2 + rng.below(3) as usize;
        let _ = writeln!(
            out,
            "{} {} {s}\n",
            "#".repeat(level),
            capitalised(&words(&mut rng, title_words))
        );
        for _ in 0..2 + rng.below(3) {
            let _ = writeln!(out, "{}\n", paragraph(&mut rng, &mut footnotes));
        }
        match rng.below(6) {
            0 => {
                let _ = writeln!(out, "> {}\n> {}\n", sentence(&mut rng), sentence(&mut rng));
            }
            1 => {
                let _ = writeln!(
                    out,
                    "{{% highlight python %}}\nfor {} in range({}):\n    print({})\n{{% endhighlight %}}\n",
                    words(&mut rng, 1),
                    rng.below(50),
                    rng.below(9)
                );
            }
            2 => {
                let _ = writeln!(
                    out,
                    "- {}\n  - {}\n  - {}\n- {}\n",
                    sentence(&mut rng),
                    sentence(&mut rng),
                    sentence(&mut rng),
                    sentence(&mut rng)
                );
            }
            3 => {
                let _ = writeln!(
                    out,
                    "> [!note] {}\n> {}\n",
                    capitalised(&words(&mut rng, 2)),
                    sentence(&mut rng)
                );
            }
            4 => {
                let _ = writeln!(
                    out,
                    "![{}]({{{{ site.baseurl }}}}/images/{}.png)\n",
                    words(&mut rng, 2),
                    rng.below(500)
                );
            }
            _ => {}
        }
    }
    for n in 1..=footnotes {
        let _ = writeln!(out, "[^{n}]: {}", sentence(&mut rng));
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_notes_are_the_same_on_every_run_and_hold_what_they_promise() {
        let note = Shape::Prose.note(7, 12);
        assert_eq!(
            note,
            Shape::Prose.note(7, 12),
            "the generator is deterministic"
        );
        assert_ne!(note, Shape::Prose.note(8, 12));
        assert!(note.starts_with("---\nlayout: post\n"), "{note}");
        let headings = note
            .lines()
            .filter(|l| l.starts_with("## ") || l.starts_with("### "))
            .count();
        assert_eq!(headings, 12);
        // Every footnote referenced is defined at the end, once.
        let referenced = note.matches("[^").count() - note.matches("\n[^").count();
        let defined = note.lines().filter(|l| l.starts_with("[^")).count();
        assert!(defined > 0, "a note of 12 sections has footnotes: {note}");
        assert_eq!(referenced, defined);
        // Edits find a level-two heading to change.
        assert!(note.contains("\n## "));
    }

    #[test]
    fn shapes_are_named_as_the_benchmark_flags_name_them() {
        for (name, shape) in [
            ("small", Shape::Small),
            ("rich", Shape::Rich),
            ("prose", Shape::Prose),
        ] {
            assert_eq!(Shape::parse(name), Some(shape));
        }
        assert_eq!(Shape::parse("essay"), None);
    }
}
