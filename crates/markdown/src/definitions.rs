//! Definition lines: `**Term**: definition` or `**Term:** definition`.
//!
//! A definition opens a line of a paragraph or a list item and runs until a
//! blank line, the next definition, the next list item or a code fence.

use crate::scan::Substring;

/// One definition found in a section body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// The term, as Markdown (the text between the `**`).
    pub term: String,
    /// The definition, as Markdown.
    pub definition: String,
    /// Zero-based line index of the definition within the section body.
    pub line: usize,
    /// Zero-based line indices the definition covers (first..end).
    pub lines: std::ops::Range<usize>,
}

/// Finds every definition in a section body, skipping fenced code.
pub fn find(body: &str) -> Vec<Definition> {
    // Every definition's term is in `**`: most sections have none.
    if !body.has("**") {
        return Vec::new();
    }
    let lines: Vec<&str> = crate::scan::lines(body).collect();
    let mut found: Vec<Definition> = Vec::new();
    let mut in_fence = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if is_fence(line) {
            in_fence = !in_fence;
            i += 1;
            continue;
        }
        if in_fence {
            i += 1;
            continue;
        }
        let Some((term, first)) = parse_line(line) else {
            i += 1;
            continue;
        };
        let mut definition = first.to_owned();
        let mut end = i + 1;
        while end < lines.len() {
            let next = lines[end];
            if next.trim().is_empty()
                || is_fence(next)
                || parse_line(next).is_some()
                || list_marker_len(next.trim_start()).is_some()
                || next.trim_start().starts_with('#')
                || next.trim_start().starts_with('>')
            {
                break;
            }
            definition.push('\n');
            definition.push_str(next.trim());
            end += 1;
        }
        if !definition.trim().is_empty() {
            found.push(Definition {
                term: term.to_owned(),
                definition: definition.trim().to_owned(),
                line: i,
                lines: i..end,
            });
        }
        i = end;
    }
    found
}

/// `body` with the lines of `definitions` left empty (line numbers stay).
pub fn without_definitions(body: &str, definitions: &[Definition]) -> String {
    if definitions.is_empty() {
        return body.to_owned();
    }
    let lines: Vec<&str> = crate::scan::split_lines(body).collect();
    // How many definitions start, less how many end, at each line: their
    // running sum says whether a line is in one (one pass, not one per
    // definition).
    let mut starts = vec![0isize; lines.len() + 1];
    for definition in definitions {
        let range = &definition.lines;
        if range.start < range.end.min(lines.len()) {
            starts[range.start] += 1;
            starts[range.end.min(lines.len())] -= 1;
        }
    }
    let mut inside = 0;
    lines
        .iter()
        .zip(starts)
        .map(|(line, starting)| {
            inside += starting;
            if inside > 0 {
                ""
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_fence(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with("```") || trimmed.starts_with("~~~")
}

/// Length of a list marker (`- `, `* `, `+ `, `1. `, `1) `) at the start.
fn list_marker_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    match bytes.first()? {
        b'-' | b'*' | b'+' if bytes.get(1) == Some(&b' ') => Some(2),
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits <= 9
                && matches!(bytes.get(digits), Some(b'.') | Some(b')'))
                && bytes.get(digits + 1) == Some(&b' ')
            {
                Some(digits + 2)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Parses one line as `[list marker] **Term**: text` or `**Term:** text`.
fn parse_line(line: &str) -> Option<(&str, &str)> {
    let mut text = line.trim_start();
    if let Some(marker) = list_marker_len(text) {
        text = text[marker..].trim_start();
    }
    let inner = text.strip_prefix("**")?;
    let close = inner.find("**")?;
    let term = &inner[..close];
    let after = &inner[close + 2..];
    let (term, rest) = if let Some(term) = term.strip_suffix(':') {
        (term, after)
    } else {
        (term, after.trim_start().strip_prefix(':')?)
    };
    let term = term.trim();
    let rest = rest.trim();
    if term.is_empty() || term.chars().count() > 80 || rest.is_empty() {
        return None;
    }
    Some((term, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_on_consecutive_lines() {
        let body =
            "**Alignment:** doing what is meant.\n**Capabilities**: doing it well.\n\nOther text.";
        let defs = find(body);
        assert_eq!(defs.len(), 2);
        assert_eq!(defs[0].term, "Alignment");
        assert_eq!(defs[0].definition, "doing what is meant.");
        assert_eq!(defs[1].term, "Capabilities");
        assert_eq!(without_definitions(body, &defs), "\n\n\nOther text.");
    }

    #[test]
    fn list_items_and_continuations() {
        let body =
            "- **EF**: the ease factor,\n  which grows with good answers\n- **n**: repetitions\n";
        let defs = find(body);
        assert_eq!(defs.len(), 2);
        assert_eq!(
            defs[0].definition,
            "the ease factor,\nwhich grows with good answers"
        );
        assert_eq!(without_definitions(body, &defs).trim(), "");
    }

    #[test]
    fn bold_without_colon_is_not_a_definition() {
        assert!(find("- **Outer Misalignment** refers to something.\n").is_empty());
        assert!(find("```\n**Code**: not this\n```\n").is_empty());
    }

    #[test]
    fn many_definitions_leave_in_one_pass() {
        // Each line was once looked up in every definition (quadratic:
        // minutes at this size).
        let body = "**a**: b\n".repeat(110_000);
        let defs = find(&body);
        assert_eq!(defs.len(), 110_000);
        assert_eq!(without_definitions(&body, &defs), "\n".repeat(110_000));
    }

    #[test]
    fn overlapping_and_outlying_lines_are_left_empty_once() {
        let definition = |lines: std::ops::Range<usize>| Definition {
            term: "t".to_owned(),
            definition: "d".to_owned(),
            line: lines.start,
            lines,
        };
        // Also a range that ends before it starts: it holds no line.
        let backwards = std::ops::Range { start: 5, end: 2 };
        let defs = [definition(1..3), definition(2..9), definition(backwards)];
        assert_eq!(without_definitions("a\nb\nc\nd", &defs), "a\n\n\n");
        assert_eq!(without_definitions("a\nb", &[definition(7..9)]), "a\nb");
    }
}
