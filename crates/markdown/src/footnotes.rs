//! Footnotes that follow the card citing them.
//!
//! Notes keep footnote definitions (`[^1]: …`) at the end, but a card is a
//! section: the definitions are taken out of the note body (their lines
//! left blank, so line numbers hold), and each section is rendered with the
//! definitions of the footnotes it cites appended. Footnotes keep the
//! number they have in the note (the order in which the note first cites
//! them), whichever card shows them.

use std::collections::HashMap;

use super::budget::Budget;
use super::code::{span_len, Fences};
use crate::scan::Substring;

/// A note's footnote definitions and their numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Footnotes {
    /// Label → the definition's Markdown (continuation lines dedented).
    definitions: HashMap<String, String>,
    /// Label → its number in the note, for cited labels.
    numbers: HashMap<String, usize>,
}

impl Footnotes {
    /// The number of the footnote `label` in the note, if it is cited.
    pub fn number(&self, label: &str) -> Option<usize> {
        self.numbers.get(label).copied()
    }

    /// The note's numbers, label → number.
    pub fn numbers(&self) -> &HashMap<String, usize> {
        &self.numbers
    }

    /// `section` with the definitions of the footnotes it cites appended
    /// (in note order); unchanged when it cites none that are defined.
    pub fn with_definitions<'s>(&self, section: &'s str) -> std::borrow::Cow<'s, str> {
        self.with_definitions_within(section, &mut Budget::unlimited())
            .0
    }

    /// As [`Footnotes::with_definitions`], each definition taking its size
    /// from `budget`; those that do not fit are left out, and their labels
    /// returned (`[^label]`).
    pub fn with_definitions_within<'s>(
        &self,
        section: &'s str,
        budget: &mut Budget,
    ) -> (std::borrow::Cow<'s, str>, Vec<String>) {
        let mut left_out = Vec::new();
        if self.numbers.is_empty() {
            return (std::borrow::Cow::Borrowed(section), left_out);
        }
        let mut cited: Vec<(usize, &str)> = references(section)
            .into_iter()
            .filter_map(|label| {
                let number = self.numbers.get(label)?;
                self.definitions
                    .contains_key(label)
                    .then_some((*number, label))
            })
            .collect();
        cited.sort();
        cited.dedup();
        cited.retain(|(_, label)| {
            let fits = budget.take(self.definitions[*label].len());
            if !fits {
                left_out.push(format!("[^{label}]"));
            }
            fits
        });
        if cited.is_empty() {
            return (std::borrow::Cow::Borrowed(section), left_out);
        }
        let mut out = section.trim_end().to_owned();
        out.push_str("\n\n");
        for (_, label) in cited {
            let definition = &self.definitions[label];
            out.push_str(&format!("[^{label}]: "));
            for (i, line) in crate::scan::lines(definition).enumerate() {
                if i > 0 {
                    out.push_str("    ");
                }
                out.push_str(line);
                out.push('\n');
            }
        }
        (std::borrow::Cow::Owned(out), left_out)
    }
}

/// Takes the footnote definitions out of `body`: returns the body with
/// their lines blank, and the footnotes.
pub fn extract(body: &str) -> (String, Footnotes) {
    if !body.has("[^") {
        return (body.to_owned(), Footnotes::default());
    }
    let mut out = String::with_capacity(body.len());
    let mut definitions: HashMap<String, String> = HashMap::new();
    let mut fences = Fences::default();
    // True while a fenced block is open.
    let mut in_code = false;
    // The definition being read, and blank lines seen inside it.
    let mut open: Option<(String, String, usize)> = None;
    for line in crate::scan::split_lines_inclusive(body) {
        let content = line.trim_end_matches(['\n', '\r']);
        let newline = &line[content.len()..];
        if !in_code {
            if let Some((label, text)) = definition_start(content) {
                if let Some((l, t, _)) = open.take() {
                    definitions.entry(l).or_insert(t);
                }
                open = Some((label, text.to_owned(), 0));
                out.push_str(newline);
                continue;
            }
            if let Some((_, text, blanks)) = open.as_mut() {
                let indented = content.starts_with("    ") || content.starts_with('\t');
                if content.trim().is_empty() {
                    *blanks += 1;
                    out.push_str(newline);
                    continue;
                }
                if indented {
                    for _ in 0..*blanks {
                        text.push('\n');
                    }
                    *blanks = 0;
                    text.push('\n');
                    text.push_str(content.trim_start());
                    out.push_str(newline);
                    continue;
                }
                if let Some((l, t, _)) = open.take() {
                    definitions.entry(l).or_insert(t);
                }
            }
        }
        fences.is_code(content);
        in_code = fences.inside();
        out.push_str(line);
    }
    if let Some((l, t, _)) = open.take() {
        definitions.entry(l).or_insert(t);
    }
    let mut numbers = HashMap::new();
    for label in references(&out) {
        let next = numbers.len() + 1;
        numbers.entry(label.to_owned()).or_insert(next);
    }
    (
        out,
        Footnotes {
            definitions,
            numbers,
        },
    )
}

/// `[^label]: text` at the start of a line (up to three spaces in).
fn definition_start(line: &str) -> Option<(String, &str)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let rest = trimmed.strip_prefix("[^")?;
    let close = rest.find(']')?;
    let label = &rest[..close];
    if label.is_empty() || label.contains(char::is_whitespace) {
        return None;
    }
    let text = rest[close + 1..].strip_prefix(':')?;
    Some((label.to_owned(), text.trim()))
}

/// `text` without its footnote references (`[^label]`): for a card's
/// front, whose back shows the footnotes. Every `[^label]` of a label
/// cited in `text` goes, code included, in one pass: a label holds no `]`,
/// so a reference is the longest `[^label` that the text before a `]`
/// ends with.
pub fn without_references(text: &str) -> String {
    /// The references `[^label` of some labels, as a trie of their bytes
    /// read backwards: what a text ends with is found by reading it from
    /// the end, never further back than the longest reference.
    struct Endings {
        /// (node, byte) → the node after reading that byte.
        edges: HashMap<(usize, u8), usize>,
        /// Node → true where a whole `[^label` has been read.
        ends: Vec<bool>,
    }

    impl Endings {
        fn new(labels: &[&str]) -> Endings {
            let mut edges = HashMap::new();
            let mut ends = vec![false];
            for label in labels {
                let mut node = 0;
                for &byte in label.as_bytes().iter().rev().chain(b"^[") {
                    let fresh = ends.len();
                    node = *edges.entry((node, byte)).or_insert(fresh);
                    if node == fresh {
                        ends.push(false);
                    }
                }
                ends[node] = true;
            }
            Endings { edges, ends }
        }

        /// The length of the longest `[^label` that `text` ends with.
        fn longest(&self, text: &str) -> Option<usize> {
            let mut node = 0;
            let mut longest = None;
            for (read, byte) in text.bytes().rev().enumerate() {
                match self.edges.get(&(node, byte)) {
                    Some(&next) => node = next,
                    None => break,
                }
                if self.ends[node] {
                    longest = Some(read + 1);
                }
            }
            longest
        }
    }

    let labels = references(text);
    if labels.is_empty() {
        return text.to_owned();
    }
    let endings = Endings::new(&labels);
    let mut out = String::with_capacity(text.len());
    // `text[..copied]` is written out or removed; the text since the last
    // `]` starts at `since`.
    let (mut copied, mut since) = (0, 0);
    for (close, _) in text.match_indices(']') {
        if let Some(len) = endings.longest(&text[since..close]) {
            out.push_str(&text[copied..close - len]);
            copied = close + 1;
        }
        since = close + 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// The labels cited in `text` (`[^label]` not followed by `:`), in order,
/// outside code.
fn references(text: &str) -> Vec<&str> {
    let mut labels = Vec::new();
    // Most sections cite nothing: one search, no line walked.
    if !text.has("[^") {
        return labels;
    }
    let mut fences = Fences::default();
    for line in crate::scan::lines(text) {
        if fences.is_code(line) {
            continue;
        }
        // The next `]` and the next whitespace of the line, each found once
        // however many `[^` wait for them.
        let mut closes = super::code::Ahead::new(line, |text: &str| text.find(']'));
        let mut spaces = super::code::Ahead::new(line, |text: &str| text.find(char::is_whitespace));
        let mut at = 0;
        while let Some(pos) = crate::scan::find_ascii(&line[at..], b"`[") {
            let start = at + pos;
            let rest = &line[start..];
            if rest.starts_with('`') {
                at = start + span_len(rest);
                continue;
            }
            if !rest.starts_with("[^") {
                at = start + 1;
                continue;
            }
            let label = start + 2;
            match closes.at_or_after(label) {
                Some(close)
                    if close > label
                        && spaces.at_or_after(label).is_none_or(|space| space > close)
                        && !line[close + 1..].starts_with(':') =>
                {
                    labels.push(&line[label..close]);
                    at = close + 1;
                }
                _ => at = label,
            }
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_leave_the_body_and_follow_their_citations() {
        let body = "## A\nFirst[^x] claim.\n\n## B\nSecond[^1] and again[^x].\n\n[^1]: One.\n[^x]: Ex,\n    continued.\n";
        let (rest, notes) = extract(body);
        assert_eq!(
            rest,
            "## A\nFirst[^x] claim.\n\n## B\nSecond[^1] and again[^x].\n\n\n\n\n"
        );
        assert_eq!(notes.number("x"), Some(1));
        assert_eq!(notes.number("1"), Some(2));
        assert_eq!(
            notes.with_definitions("Second[^1] and again[^x].\n"),
            "Second[^1] and again[^x].\n\n[^x]: Ex,\n    continued.\n[^1]: One.\n"
        );
        assert_eq!(notes.with_definitions("No citation.\n"), "No citation.\n");
    }

    #[test]
    fn a_definition_right_after_code_is_read() {
        let (_, notes) = extract("Text[^1].\n```\ncode\n```\n[^1]: After the code.\n");
        assert_eq!(notes.number("1"), Some(1));
        assert!(notes
            .with_definitions("Text[^1].\n")
            .contains("After the code."));
    }

    #[test]
    fn code_is_not_read() {
        let (rest, notes) = extract("```\n[^1]: not a note\n```\n`[^2]` text\n");
        assert_eq!(rest, "```\n[^1]: not a note\n```\n`[^2]` text\n");
        assert_eq!(notes.number("2"), None);
    }

    #[test]
    fn openings_without_a_close_are_read_once() {
        // Each `[^` once searched the rest of its line for a `]` (quadratic:
        // minutes at this size).
        let open = "[^".repeat(500_000);
        assert!(references(&open).is_empty());
        assert_eq!(without_references(&open), open);
        // One `]` far ahead, every label before it holding a space.
        let spaced = "[^a ".repeat(250_000) + "]";
        assert!(references(&spaced).is_empty());
    }

    #[test]
    fn references_are_cited_as_before() {
        let (_, notes) = extract("A[^x y] B[^2]: C[^3]:x D[^4] `[^5]` [^] E[^4][^6]\n");
        assert_eq!(
            notes.numbers(),
            &HashMap::from([("4".to_owned(), 1), ("6".to_owned(), 2)])
        );
    }

    #[test]
    fn references_go_in_one_pass() {
        // One `replace` over the whole text per label once made this
        // quadratic.
        let many: String = (0..100_000).map(|i| format!("[^{i}]")).collect();
        assert_eq!(without_references(&many), "");
        // Cited labels go everywhere, code included; the rest stays.
        assert_eq!(
            without_references("Mitochondria[^1] make ATP[^atp].\n\n```\n[^1]\n```\n`[^atp]` and [^nope]: not cited, [^ spaced] neither.\n"),
            "Mitochondria make ATP.\n\n```\n\n```\n`` and [^nope]: not cited, [^ spaced] neither.\n"
        );
        assert_eq!(without_references("[^a]:[^a] x[^b]y[^b]"), ": xy");
        // A label holding `[^` goes whole (one replace per label once left
        // `[^` of it here, having taken `[^a]` out of `[^[^a]` first).
        assert_eq!(without_references("[^a][^[^a]"), "");
    }
}
