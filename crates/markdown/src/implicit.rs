//! Implicit headings: the structure a reader sees in prose written without
//! `#` headings ("Part 1:", "**Definitions**", a short line standing alone
//! above a paragraph), made into headings so each part becomes a card.
//!
//! Only a section without sub-headings is read this way (a note whose
//! author wrote headings has its structure already), and only when it
//! holds at least two labels. A label line is rewritten in place as an
//! ATX heading one level below its section's (`## Part 1`), so line
//! numbers never change. What is a label:
//!
//! - a short line (at most [`MAX_LABEL_WORDS`] words) ending with `:`
//!   (`Part 1:`, `Definitions:`);
//! - a line of bold text only (`**Definitions**`);
//! - a short line that starts like a numbered label (`Challenge 1: What
//!   values?`, `Option 2: …`);
//! - a short line alone between blank lines, starting with a capital
//!   letter or a digit and not ending a sentence (`.`, `,`, `;`), followed
//!   by a paragraph (`Why is this hard?` above the text that answers it).
//!
//! Numbered labels nest under the label before them of another kind
//! (`Challenge 1` under `Part 1`, `Option 1` under `Challenge 1`); a label
//! of a kind seen before goes back to that kind's level. Other labels sit
//! at the section's first level. Nothing inside code, lists, quotes,
//! tables, HTML or cards written with `::` and `?` is a label.

use super::code::Fences;
use crate::scan::Substring;

/// The most words a label may have.
pub const MAX_LABEL_WORDS: usize = 8;

/// Kinds of numbered label open at once, at most (headings stop at level
/// 6 anyway).
const MAX_OPEN_KINDS: usize = 6;

/// A section the caller found: the level of its heading (1 for the text
/// before any heading) and the lines of its body (0-based, end exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    /// The heading's level (1–6).
    pub level: usize,
    /// The body's first line.
    pub start: usize,
    /// The line after the body's last.
    pub end: usize,
}

/// `body` with the labels of each of `sections` rewritten as headings, or
/// `None` when no section holds two labels (nothing changes).
pub fn label_headings(body: &str, sections: &[Section]) -> Option<String> {
    let mut lines: Vec<&str> = crate::scan::split_lines(body).collect();
    let code = code_lines(&lines);
    let mut rewritten: Vec<(usize, String)> = Vec::new();
    for section in sections {
        let end = section.end.min(lines.len());
        if section.start >= end || section.level >= 6 {
            continue;
        }
        let labels = labels_of(&lines, &code, section.start..end);
        if labels.len() < 2 {
            continue;
        }
        for (line, depth, text) in levels(labels) {
            let level = (section.level + depth).min(6);
            rewritten.push((line, format!("{} {text}", "#".repeat(level))));
        }
    }
    if rewritten.is_empty() {
        return None;
    }
    for (line, heading) in &rewritten {
        lines[*line] = heading;
    }
    Some(lines.join("\n"))
}

/// A label found: its line, its kind (the word before a number, for
/// numbered labels) and the heading text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Label {
    line: usize,
    kind: Option<String>,
    text: String,
}

/// Which of `lines` are inside fenced code.
fn code_lines(lines: &[&str]) -> Vec<bool> {
    let mut fences = Fences::default();
    lines.iter().map(|line| fences.is_code(line)).collect()
}

/// The labels of the lines `range`, in order; a label with nothing after
/// it before the next label or the section's end still counts (it may
/// hold labels nested under it) unless it is the last.
fn labels_of(lines: &[&str], code: &[bool], range: std::ops::Range<usize>) -> Vec<Label> {
    let blank = |i: usize| lines.get(i).is_none_or(|l| l.trim().is_empty());
    let mut labels = Vec::new();
    for i in range.clone() {
        if code[i] {
            continue;
        }
        // An indented line continues a list item or is code: no label.
        if lines[i].starts_with(['\t', ' ']) {
            continue;
        }
        let line = lines[i].trim();
        if line.is_empty() || !could_be_label(line) {
            continue;
        }
        let bold = bold_text(line);
        let numbered = numbered_kind(line);
        let is_label = if let Some(text) = bold {
            Some(text.to_owned())
        } else if line.split_whitespace().nth(MAX_LABEL_WORDS).is_some() {
            // More than the words a label has (counted no further: most
            // lines are paragraphs).
            None
        } else if numbered.is_some() || line.ends_with(':') {
            Some(line.trim_end_matches(':').trim().to_owned())
        } else {
            // Alone between blank lines, above a paragraph.
            let alone = (i == range.start || blank(i - 1)) && blank(i + 1);
            let next_text = (i + 1..range.end).find(|&j| !blank(j));
            let reads_as_label = line.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
                && !line.ends_with(['.', ',', ';']);
            (alone && reads_as_label && next_text.is_some_and(|j| !code[j]))
                .then(|| line.to_owned())
        };
        if let Some(text) = is_label.filter(|t| !t.is_empty()) {
            labels.push(Label {
                line: i,
                kind: numbered,
                text,
            });
        }
    }
    // A label at the very end labels nothing.
    while labels
        .last()
        .is_some_and(|last| (last.line + 1..range.end).all(blank))
    {
        labels.pop();
    }
    labels
}

/// False for lines that are something else already: headings, lists,
/// quotes, tables, HTML, written cards, definitions' `**Term**: text`.
fn could_be_label(line: &str) -> bool {
    let list =
        line.starts_with(['-', '*', '+']) && line[1..].starts_with(' ') || is_ordered_item(line);
    !(line.starts_with(['#', '>', '|', '<', '!', '[', '`', '$', '{', '%'])
        || list
        || line.has("::")
        || matches!(line, "?" | "??")
        || line.starts_with("**") && !line.ends_with("**"))
}

/// `1. ` or `12) `: digits, then `.` or `)`, then a space.
fn is_ordered_item(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(line.as_bytes()[digits..], [b'.' | b')', b' ', ..])
}

/// The text of a line of bold text only (`**Label**`, `__Label__`,
/// optionally ending with `:`).
fn bold_text(line: &str) -> Option<&str> {
    let line = line.trim_end_matches(':').trim_end();
    for mark in ["**", "__"] {
        if let Some(inner) = line.strip_prefix(mark).and_then(|l| l.strip_suffix(mark)) {
            let inner = inner.trim().trim_end_matches(':').trim_end();
            if !inner.is_empty() && !inner.contains(mark) && !inner.contains('*') {
                return Some(inner);
            }
        }
    }
    None
}

/// The kind of a numbered label (`Part 1:` → `part`, `Option2: …` →
/// `option`): a word, a number, then `:` or the end of the line.
fn numbered_kind(line: &str) -> Option<String> {
    let word_len = line
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(line.len(), |(at, _)| at);
    let word = &line[..word_len];
    if word.is_empty() {
        return None;
    }
    let rest = line[word_len..].trim_start();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let after = rest[digits..].trim_start();
    (after.is_empty() || after.starts_with(':')).then(|| word.to_lowercase())
}

/// Each label's line, depth below its section (1 = the section's first
/// level) and text: numbered labels nest under the label of another kind
/// before them; a kind seen before goes back to its level.
fn levels(labels: Vec<Label>) -> Vec<(usize, usize, String)> {
    // The kinds open, outermost first (`None`: an unnumbered label).
    let mut open: Vec<Option<String>> = Vec::new();
    let mut out = Vec::with_capacity(labels.len());
    for label in labels {
        match &label.kind {
            Some(kind) => {
                if let Some(at) = open.iter().position(|k| k.as_ref() == Some(kind)) {
                    open.truncate(at);
                }
            }
            None => open.clear(),
        }
        // Headings stop at level 6: deeper kinds share the deepest level,
        // so the kinds looked through per label stay few.
        if open.len() >= MAX_OPEN_KINDS {
            open.truncate(MAX_OPEN_KINDS - 1);
        }
        open.push(label.kind);
        out.push((label.line, open.len(), label.text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// An ordered item is found from the line's start as splitting
        /// at its first `.` or `)` found it.
        #[test]
        fn ordered_items_are_found_as_by_splitting(line in "[0-9]{0,3}[.) a]{0,3}[0-9a .)]{0,4}") {
            let by_splitting = line.split_once(['.', ')']).is_some_and(|(n, rest)| {
                !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && rest.starts_with(' ')
            });
            proptest::prop_assert_eq!(is_ordered_item(&line), by_splitting);
        }
    }

    fn relabel(body: &str) -> String {
        let lines = body.split('\n').count();
        label_headings(
            body,
            &[Section {
                level: 1,
                start: 0,
                end: lines,
            }],
        )
        .unwrap_or_else(|| body.to_owned())
    }

    #[test]
    fn labels_become_nested_headings() {
        // Numbered labels nest under the label before them of another
        // kind, the unnumbered question too.
        let draft = "Why do bridges sway?\n\nWind pushes them.\n\nPart 1:\nChallenge 1: What loads?\nWeight and wind.\n\nChallenge 2:\nResonance.\n\nOption 1: Dampers\n\nThey absorb energy.\n\nPart 2:\nMaterials matter.\n";
        assert_eq!(
            relabel(draft),
            "## Why do bridges sway?\n\nWind pushes them.\n\n### Part 1\n#### Challenge 1: What loads?\nWeight and wind.\n\n#### Challenge 2\nResonance.\n\n##### Option 1: Dampers\n\nThey absorb energy.\n\n### Part 2\nMaterials matter.\n"
        );
        assert_eq!(relabel(draft).lines().count(), draft.lines().count());
    }

    #[test]
    fn bold_lines_and_colons_are_labels() {
        let note = "**Definitions**\nA term is a word.\n\nExamples:\n- one\n- two\n";
        assert_eq!(
            relabel(note),
            "## Definitions\nA term is a word.\n\n## Examples\n- one\n- two\n"
        );
    }

    #[test]
    fn prose_without_labels_is_left_alone() {
        for prose in [
            "A paragraph of prose.\n\nAnother one, longer than a label could ever be.\n",
            "Note: this is one line of text that says more than a label would.\nMore.\n",
            "Only one label:\nand its text.\n",
            "- a list:\n- of items:\n",
            "```\nPart 1:\ncode\nPart 2:\n```\n",
            "Q::A\n\nX::Y\n",
            "it works\n\nlower case lines are no labels\n",
        ] {
            assert_eq!(relabel(prose), prose, "{prose}");
        }
    }

    #[test]
    fn a_label_needs_something_after_it() {
        let note = "First:\ntext\n\nSecond:\n";
        assert_eq!(relabel(note), note, "one label with content is not enough");
    }
}
