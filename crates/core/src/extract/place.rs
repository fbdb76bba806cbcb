//! Where a card made from a selection goes in its note's text, as byte
//! insertions: pure, so every rule is tested on strings.
//!
//! - **Cloze**: the first occurrence of the selected text in the section
//!   (outside code; whitespace runs match any whitespace within a
//!   paragraph) is wrapped in `==…==` on its line; a section not yet
//!   tagged `#cloze` gets the tag on a line of its own under its heading.
//! - **Question**: a `Question::Answer` line, the answer being the selected
//!   text on one line, as a paragraph of its own after the paragraph that
//!   holds the selection.
//!
//! The note's own line ending is used; nothing else of the text changes.

/// What the learner makes from a selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Making {
    /// A cloze of the selected text.
    Cloze {
        /// The selected text.
        text: String,
    },
    /// A question answered by the selected text.
    Question {
        /// The question the learner typed.
        question: String,
        /// The selected text.
        answer: String,
    },
}

/// The section the selection was made in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    /// Its first line (1-based): its heading, or its first line of text.
    pub first_line: usize,
    /// The line (1-based) the next section starts on, if any.
    pub next_line: Option<usize>,
    /// True when `first_line` is the section's heading (or label).
    pub has_heading: bool,
    /// True when the section (or its note) is already tagged `#cloze`.
    pub tagged_cloze: bool,
}

/// Insertions into a note's text, by byte offset in the text before any of
/// them (ascending), and the line (1-based) of the new card afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Each insertion's offset and text.
    pub inserts: Vec<(usize, String)>,
    /// The new card's line in the edited text.
    pub card_line: usize,
}

impl Edit {
    /// The text with the insertions made.
    pub fn apply(&self, text: &str) -> String {
        let added: usize = self.inserts.iter().map(|(_, s)| s.len()).sum();
        let mut out = String::with_capacity(text.len() + added);
        let mut done = 0;
        for (at, insert) in &self.inserts {
            out.push_str(&text[done..*at]);
            out.push_str(insert);
            done = *at;
        }
        out.push_str(&text[done..]);
        out
    }

    /// The inserted byte ranges (offset, length) in the edited text.
    pub fn inserted_ranges(&self) -> Vec<(usize, usize)> {
        let mut shift = 0;
        self.inserts
            .iter()
            .map(|(at, insert)| {
                let range = (at + shift, insert.len());
                shift += insert.len();
                range
            })
            .collect()
    }
}

/// The longest selection a card is made from, in characters.
pub const MAX_SELECTION_CHARS: usize = 2_000;
/// The longest question, in characters.
pub const MAX_QUESTION_CHARS: usize = 500;
/// The largest section searched for the selection, in bytes.
pub const MAX_SECTION_BYTES: usize = 1 << 20;

/// One line of the text: where it starts, where its text ends (before the
/// line ending) and where the next line starts.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

fn lines_of(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let next = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        let mut end = next;
        if text[..end].ends_with('\n') {
            end -= 1;
        }
        if text[..end].ends_with('\r') {
            end -= 1;
        }
        lines.push(Line { start, end, next });
        start = next;
    }
    lines
}

fn is_blank(text: &str, line: Line) -> bool {
    text[line.start..line.end].trim().is_empty()
}

fn is_fence(text: &str, line: Line) -> bool {
    let t = text[line.start..line.end].trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

fn is_atx_heading(text: &str, line: Line) -> bool {
    heading_level(&text[line.start..line.end]).is_some()
}

/// The last ATX heading line (1-based) at or before `line`, outside code
/// fences.
pub fn last_heading_at_or_before(lines: &[&str], line: usize) -> Option<usize> {
    let mut in_fence = false;
    let mut found = None;
    for (i, text) in lines.iter().enumerate().take(line) {
        let t = text.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        } else if !in_fence && heading_level(text).is_some() {
            found = Some(i + 1);
        }
    }
    found
}

/// The level of an ATX heading line (`## Title`), if it is one.
fn heading_level(text: &str) -> Option<usize> {
    let t = text.trim_start_matches('\u{feff}');
    let hashes = t.bytes().take_while(|b| *b == b'#').count();
    ((1..=6).contains(&hashes) && t[hashes..].chars().next().is_none_or(char::is_whitespace))
        .then_some(hashes)
}

/// Whitespace folded to single spaces, trimmed.
pub fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Plans the insertions that make `making` in the section of `text`; an
/// error says what to do instead.
pub fn plan(text: &str, section: Section, making: &Making) -> Result<Edit, String> {
    let selected = match making {
        Making::Cloze { text } => text,
        Making::Question { answer, .. } => answer,
    };
    let needle = fold(selected);
    if needle.is_empty() {
        return Err("nothing is selected: select the words the card should ask for".into());
    }
    if needle.chars().count() > MAX_SELECTION_CHARS {
        return Err(format!(
            "the selection is longer than {MAX_SELECTION_CHARS} characters: select a phrase or a sentence"
        ));
    }
    for mark in ["::", "==", "{{", "}}"] {
        if needle.contains(mark) {
            return Err(format!(
                "the selection holds `{mark}`, which would be read as card syntax: select words without it"
            ));
        }
    }
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines = lines_of(text);
    let first = section.first_line.saturating_sub(1).min(lines.len());
    let mut last = section
        .next_line
        .map_or(lines.len(), |n| n.saturating_sub(1))
        .clamp(first, lines.len());
    // The section ends at the next heading even where that heading made
    // no card.
    if let Some(i) = (first + 1..last).find(|&i| is_atx_heading(text, lines[i])) {
        last = i;
    }
    let body_from = if section.has_heading {
        first + 1
    } else {
        first
    };
    let span = find(text, &lines, body_from..last, &needle)?;
    let span_line = (body_from..last)
        .find(|&i| lines[i].start <= span.0 && span.0 <= lines[i].end)
        .unwrap_or(body_from);
    match making {
        Making::Cloze { .. } => {
            if text[span.0..span.1].contains("==") {
                return Err(
                    "the selection is already highlighted (a cloze in a #cloze section)".into(),
                );
            }
            if text[span.0..span.1].contains('\n') {
                return Err("a cloze is made within one line: select words that are on one line of the note".into());
            }
            let before = &text[lines[span_line].start..span.0];
            if before.matches("==").count() % 2 == 1 {
                return Err(
                    "the selection is already highlighted (a cloze in a #cloze section)".into(),
                );
            }
            let mut inserts = Vec::new();
            let mut card_line = span_line + 1;
            if !section.tagged_cloze {
                let (at, tag) = if section.has_heading && first < lines.len() {
                    let heading = lines[first];
                    let mut tag = String::new();
                    if heading.next == heading.end {
                        tag.push_str(eol);
                    }
                    tag.push_str("#cloze");
                    tag.push_str(eol);
                    let next_blank = lines.get(first + 1).is_none_or(|l| is_blank(text, *l));
                    if !next_blank {
                        tag.push_str(eol);
                    }
                    (heading.next, tag)
                } else {
                    let at = lines.get(first).map_or(text.len(), |l| l.start);
                    (at, format!("#cloze{eol}{eol}"))
                };
                card_line += tag.matches('\n').count();
                inserts.push((at, tag));
            }
            inserts.push((span.0, "==".to_owned()));
            inserts.push((span.1, "==".to_owned()));
            inserts.sort_by_key(|(at, _)| *at);
            Ok(Edit { inserts, card_line })
        }
        Making::Question { question, .. } => {
            let question = fold(question);
            if question.is_empty() {
                return Err(
                    "the question is empty: type the question the selection answers".into(),
                );
            }
            if question.chars().count() > MAX_QUESTION_CHARS {
                return Err(format!(
                    "the question is longer than {MAX_QUESTION_CHARS} characters: ask it shorter"
                ));
            }
            if question.contains("::") || question.ends_with(':') {
                return Err("the question may not hold `::` or end with `:` (it is written as `Question::Answer`)".into());
            }
            // The end of the paragraph that holds the selection's end.
            let mut end = (span_line..last)
                .find(|&i| lines[i].start <= span.1 && span.1 <= lines[i].next)
                .unwrap_or(span_line);
            while end + 1 < last
                && !is_blank(text, lines[end + 1])
                && !is_atx_heading(text, lines[end + 1])
            {
                end += 1;
            }
            let line = lines[end];
            let mut insert = String::new();
            if line.next == line.end {
                insert.push_str(eol);
            }
            insert.push_str(eol);
            insert.push_str(&question);
            insert.push_str("::");
            insert.push_str(&needle);
            insert.push_str(eol);
            if lines.get(end + 1).is_some_and(|l| !is_blank(text, *l)) {
                insert.push_str(eol);
            }
            Ok(Edit {
                inserts: vec![(line.next, insert)],
                card_line: end + 3,
            })
        }
    }
}

/// The byte span of the first occurrence of `needle` (whitespace folded)
/// in the lines `range` of `text`, outside code fences and not across a
/// blank line.
fn find(
    text: &str,
    lines: &[Line],
    range: std::ops::Range<usize>,
    needle: &str,
) -> Result<(usize, usize), String> {
    let not_found = || {
        "the selected text is not in this section of the note as it shows (it may run past a paragraph, or into code or math): select words within one paragraph".to_owned()
    };
    if range.is_empty() {
        return Err(not_found());
    }
    let size = lines[range.end - 1].next - lines[range.start].start;
    if size > MAX_SECTION_BYTES {
        return Err(format!(
            "the section is larger than {} MB: split the note with headings first",
            MAX_SECTION_BYTES >> 20
        ));
    }
    // The section as it shows, folded: whitespace runs within a paragraph
    // become one space; a blank line or code becomes a stop no selection
    // crosses. Each byte keeps the source range it stands for.
    let mut hay = String::with_capacity(size);
    let mut origin: Vec<(usize, usize)> = Vec::with_capacity(size);
    let stop = |hay: &mut String, origin: &mut Vec<(usize, usize)>, at: usize| {
        hay.push('\u{0}');
        origin.push((at, at));
    };
    let mut in_fence = lines[..range.start]
        .iter()
        .filter(|l| is_fence(text, **l))
        .count()
        % 2
        == 1;
    for &line in &lines[range] {
        if is_fence(text, line) {
            in_fence = !in_fence;
            stop(&mut hay, &mut origin, line.start);
            continue;
        }
        if in_fence || is_blank(text, line) {
            stop(&mut hay, &mut origin, line.start);
            continue;
        }
        let mut space = false;
        for c in super::visible::shown(&text[line.start..line.end]) {
            if c.ch.is_whitespace() {
                space = true;
                continue;
            }
            if space && !hay.is_empty() && !hay.ends_with([' ', '\u{0}']) {
                hay.push(' ');
                origin.push((line.start + c.start, line.start + c.start));
            }
            space = false;
            for _ in 0..c.ch.len_utf8() {
                origin.push((line.start + c.start, line.start + c.end));
            }
            hay.push(c.ch);
        }
        // A line break within a paragraph reads as a space.
        if !hay.ends_with([' ', '\u{0}']) {
            hay.push(' ');
            origin.push((line.end, line.end));
        }
    }
    let at = hay.find(needle).ok_or_else(not_found)?;
    let end = at + needle.len();
    // The whole constructs the first and last characters stand for.
    Ok((origin[at].0, origin[end - 1].1))
}

#[cfg(test)]
mod tests;
