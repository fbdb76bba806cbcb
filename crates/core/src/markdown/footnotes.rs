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
            for (i, line) in definition.lines().enumerate() {
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
    if !body.contains("[^") {
        return (body.to_owned(), Footnotes::default());
    }
    let mut out = String::with_capacity(body.len());
    let mut definitions: HashMap<String, String> = HashMap::new();
    let mut fences = Fences::default();
    // True while a fenced block is open.
    let mut in_code = false;
    // The definition being read, and blank lines seen inside it.
    let mut open: Option<(String, String, usize)> = None;
    for line in body.split_inclusive('\n') {
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

/// The labels cited in `text` (`[^label]` not followed by `:`), in order,
/// outside code.
/// `text` without its footnote references (`[^label]`): for a card's
/// front, whose back shows the footnotes.
pub fn without_references(text: &str) -> String {
    let mut out = text.to_owned();
    for label in references(text) {
        out = out.replace(&format!("[^{label}]"), "");
    }
    out
}

fn references(text: &str) -> Vec<&str> {
    let mut labels = Vec::new();
    let mut fences = Fences::default();
    for line in text.lines() {
        if fences.is_code(line) {
            continue;
        }
        let mut rest = line;
        while let Some(pos) = rest.find(['`', '[']) {
            rest = &rest[pos..];
            if rest.starts_with('`') {
                rest = &rest[span_len(rest)..];
                continue;
            }
            let Some(after) = rest.strip_prefix("[^") else {
                rest = &rest[1..];
                continue;
            };
            match after.find(']') {
                Some(close)
                    if close > 0
                        && !after[..close].contains(char::is_whitespace)
                        && !after[close + 1..].starts_with(':') =>
                {
                    labels.push(&after[..close]);
                    rest = &after[close + 1..];
                }
                _ => rest = after,
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
}
