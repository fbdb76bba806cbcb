//! Cards written inside a section, in the syntax other tools made common
//! (obsidian-spaced-repetition's and Anki's), so notes written for them
//! work unchanged:
//!
//! - `Front::Back` on one line: a basic card; `Front:::Back`: two cards,
//!   one each way. A list marker before the front is not part of it.
//! - Multi-line: the lines of the front, a line `?` (`??`: both ways), the
//!   lines of the back, up to the end of the paragraph (a blank line).
//! - Anki clozes in a paragraph, `{{c1::answer}}` and
//!   `{{c1::answer::hint}}`: one card per number (the clozes of one
//!   number hide together); the front shows the paragraph with that
//!   number's clozes as `[…]` (or `[hint]`), the back with their answers
//!   marked.
//! - In a note or section tagged `#cloze`, each `==highlight==` of a
//!   paragraph is a cloze card of its own.
//!
//! Nothing inside code (fenced blocks, inline code spans) is a card, and a
//! cloze's own `::` is not a card separator. The lines a card is made of
//! leave the section; what remains still makes the section's card.

use super::budget::{Budget, MAX_CLOZES_PER_PARAGRAPH};
use super::code::{span_len, Ahead, Fences};
use crate::card::CardKind;
use crate::scan::Substring;

/// One card written in a section, as Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenCard {
    /// Basic, reversed or cloze.
    pub kind: CardKind,
    /// The front, Markdown.
    pub front: String,
    /// The back, Markdown.
    pub back: String,
    /// What names the card among its section's cards (its front, as
    /// text; a cloze card's number and answers): the card's identity.
    pub name: String,
    /// The card's first line, counted from the section body's first
    /// line (0).
    pub line: usize,
}

/// A section body split into its written cards and the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The cards, in the order they are written.
    pub cards: Vec<WrittenCard>,
    /// The body without the cards' lines (each replaced by an empty line,
    /// so line numbers stay).
    pub rest: String,
    /// Cards left out to keep the note within its budget (see
    /// [`super::budget`]): the line (counted as [`WrittenCard::line`]) and
    /// what was left out, for the import report.
    pub left_out: Vec<(usize, String)>,
}

/// Splits a section body into written cards and the rest;
/// `highlight_clozes` makes each `==highlight==` a cloze card (a note or
/// section tagged `#cloze`). Cloze cards repeat their paragraph: each
/// takes its size from `budget`, and those that do not fit are left out.
pub fn extract(body: &str, highlight_clozes: bool, budget: &mut Budget) -> Written {
    let highlights = highlight_clozes && body.has("==");
    if !body.has("::") && !body.contains('?') && !body.has("{{c") && !highlights {
        return Written {
            cards: Vec::new(),
            rest: body.to_owned(),
            left_out: Vec::new(),
        };
    }
    let lines: Vec<&str> = crate::scan::split_lines(body).collect();
    let mut fences = Fences::default();
    let code: Vec<bool> = lines.iter().map(|line| fences.is_code(line)).collect();
    let mut used = vec![false; lines.len()];
    let mut out = Out {
        cards: Vec::new(),
        left_out: Vec::new(),
        budget,
    };
    let mut start = 0;
    while start < lines.len() {
        if code[start] || lines[start].trim().is_empty() {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < lines.len() && !code[end] && !lines[end].trim().is_empty() {
            end += 1;
        }
        paragraph_cards(&lines, start..end, highlights, &mut used, &mut out);
        start = end;
    }
    let rest = lines
        .iter()
        .zip(&used)
        .map(|(line, used)| if *used { "" } else { line })
        .collect::<Vec<_>>()
        .join("\n");
    Written {
        cards: out.cards,
        rest,
        left_out: out.left_out,
    }
}

/// The cards found so far, what was left out, and the note's budget.
struct Out<'b> {
    cards: Vec<WrittenCard>,
    left_out: Vec<(usize, String)>,
    budget: &'b mut Budget,
}

impl Out<'_> {
    /// Adds a cloze card repeating `text` if the budget has room for it;
    /// false when it has not.
    fn push_copy(&mut self, card: impl FnOnce() -> WrittenCard, text: &str) -> bool {
        // The front and the back each repeat the paragraph.
        if !self.budget.take(text.len().saturating_mul(2)) {
            return false;
        }
        self.cards.push(card());
        true
    }

    /// Reports `count` cloze cards at `line` left out for the budget.
    fn left_out_for_budget(&mut self, line: usize, count: usize) {
        self.left_out.push((
            line,
            format!(
                "{count} cloze card(s) of this paragraph left out: each repeats the paragraph, and the note's cards already copy as much text as a note may (16 times its size plus 1 MB); split the paragraph"
            ),
        ));
    }
}

/// The cards of one paragraph (lines `range`, none blank or code).
fn paragraph_cards(
    lines: &[&str],
    range: std::ops::Range<usize>,
    highlights: bool,
    used: &mut [bool],
    out: &mut Out<'_>,
) {
    // A multi-line card: the paragraph holds a `?` or `??` line. One-line
    // cards above it are cards of their own, and its front starts after
    // the last of them (as in obsidian-spaced-repetition).
    if let Some(at) = range
        .clone()
        .find(|&i| matches!(lines[i].trim(), "?" | "??"))
    {
        let mut front_start = range.start;
        for i in range.start..at {
            if let Some((front, back, both_ways)) = single_line(lines[i]) {
                push_pair(&mut out.cards, front, back, both_ways, i);
                used[i] = true;
                front_start = i + 1;
            }
        }
        let front = lines[front_start..at].join("\n");
        let back = lines[at + 1..range.end].join("\n");
        if !front.trim().is_empty() && !back.trim().is_empty() {
            let both_ways = lines[at].trim() == "??";
            push_pair(&mut out.cards, &front, &back, both_ways, front_start);
            used[front_start..range.end]
                .iter_mut()
                .for_each(|u| *u = true);
        }
        return;
    }
    for i in range.clone() {
        if let Some((front, back, both_ways)) = single_line(lines[i]) {
            push_pair(&mut out.cards, front, back, both_ways, i);
            used[i] = true;
        }
    }
    let left: Vec<usize> = range.filter(|&i| !used[i]).collect();
    // Clozes make cards from the list item (with its continuation lines)
    // that holds them, or from the whole paragraph when it is no list.
    for item in list_items(lines, &left) {
        cloze_cards(lines, item, highlights, used, out);
    }
}

/// `left` (line indices of a paragraph) split into list items: a line
/// with a list marker starts one; other lines continue it. A paragraph
/// without markers is one item.
fn list_items(lines: &[&str], left: &[usize]) -> Vec<Vec<usize>> {
    let mut items: Vec<Vec<usize>> = Vec::new();
    for &i in left {
        let trimmed = lines[i].trim_start();
        let starts_item = strip_list_marker(trimmed).len() != trimmed.len();
        match items.last_mut() {
            Some(item) if !starts_item => item.push(i),
            _ => items.push(vec![i]),
        }
    }
    items
}

/// The cloze cards of one item (its line indices `left`).
fn cloze_cards(
    lines: &[&str],
    left: Vec<usize>,
    highlights: bool,
    used: &mut [bool],
    out: &mut Out<'_>,
) {
    let text = left
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            if k == 0 {
                strip_list_marker(lines[i].trim_start())
            } else {
                lines[i].trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let clozes = clozes(&text);
    let line = left.first().copied().unwrap_or_default();
    if clozes.is_empty() {
        if highlights {
            highlight_cards(&text, left, used, out);
        }
        return;
    }
    let mut numbers: Vec<u32> = clozes.iter().map(|c| c.number).collect();
    numbers.sort_unstable();
    numbers.dedup();
    if numbers.len() > MAX_CLOZES_PER_PARAGRAPH {
        out.left_out.push((
            line,
            format!(
                "cloze numbers after c{} left out ({} more): at most {MAX_CLOZES_PER_PARAGRAPH} cloze cards come from one paragraph, the others show their answers",
                numbers[MAX_CLOZES_PER_PARAGRAPH - 1],
                numbers.len() - MAX_CLOZES_PER_PARAGRAPH
            ),
        ));
        numbers.truncate(MAX_CLOZES_PER_PARAGRAPH);
    }
    let math = math_ranges(&text);
    // The answers of each number, in one pass over the clozes.
    let mut answers: std::collections::HashMap<u32, Vec<&str>> = Default::default();
    for cloze in &clozes {
        answers.entry(cloze.number).or_default().push(&cloze.answer);
    }
    for (made, &number) in numbers.iter().enumerate() {
        // Named by its number and answers, which outlast edits of the
        // paragraph around them.
        let card = || WrittenCard {
            kind: CardKind::Cloze,
            front: with_clozes(&text, &clozes, &math, Some((number, Side::Front))),
            back: with_clozes(&text, &clozes, &math, Some((number, Side::Back))),
            name: format!(
                "c{number}: {}",
                plain(
                    &answers
                        .get(&number)
                        .map(|a| a.join(" · "))
                        .unwrap_or_default()
                )
            ),
            line,
        };
        if !out.push_copy(card, &text) {
            out.left_out_for_budget(line, numbers.len() - made);
            break;
        }
    }
    for i in left {
        used[i] = true;
    }
}

/// One cloze card per `==highlight==` of a paragraph (the lines `left`),
/// the other highlights shown as plain text.
fn highlight_cards(text: &str, left: Vec<usize>, used: &mut [bool], out: &mut Out<'_>) {
    let found = highlights(text);
    if found.is_empty() {
        return;
    }
    let line = left.first().copied().unwrap_or_default();
    let math = math_ranges(text);
    // Each highlight is a number of its own: only it is hidden.
    for (made, one) in found.iter().enumerate() {
        let card = || WrittenCard {
            kind: CardKind::Cloze,
            front: with_clozes(text, &found, &math, Some((one.number, Side::Front))),
            back: with_clozes(text, &found, &math, Some((one.number, Side::Back))),
            name: format!("highlight: {}", plain(&one.answer)),
            line,
        };
        if !out.push_copy(card, text) {
            out.left_out_for_budget(line, found.len() - made);
            break;
        }
    }
    for i in left {
        used[i] = true;
    }
}

/// Every `==highlight==` in `text`, outside inline code, as clozes numbered
/// in order (the same rule as the renderer's: no space just inside the
/// marks).
fn highlights(text: &str) -> Vec<Cloze> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        if rest.starts_with('`') {
            at += span_len(rest);
            continue;
        }
        if let Some(inner) = rest.strip_prefix("==") {
            if let Some(len) = inner.find("==").filter(|&len| len > 0) {
                let answer = &inner[..len];
                if !answer.starts_with(' ') && !answer.ends_with(' ') && !answer.contains('\n') {
                    found.push(Cloze {
                        range: at..at + len + 4,
                        number: u32::try_from(found.len()).unwrap_or(u32::MAX),
                        answer: answer.to_owned(),
                        hint: None,
                    });
                    at += len + 4;
                    continue;
                }
            }
        }
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    found
}

/// A basic card, or two for a card both ways.
fn push_pair(cards: &mut Vec<WrittenCard>, front: &str, back: &str, both_ways: bool, line: usize) {
    let kind = if both_ways {
        CardKind::Reversed
    } else {
        CardKind::Basic
    };
    let front = strip_list_marker(front.trim());
    let back = back.trim();
    cards.push(WrittenCard {
        kind,
        front: front.to_owned(),
        back: back.to_owned(),
        name: plain(front),
        line,
    });
    if both_ways {
        cards.push(WrittenCard {
            kind,
            front: back.to_owned(),
            back: front.to_owned(),
            name: plain(back),
            line,
        });
    }
}

/// `Front::Back` or `Front:::Back` on one line (outside inline code and
/// clozes): the front, the back, and whether it goes both ways.
///
/// A second separator in the back (`std::vec::Vec`) makes the line no
/// card, unless that separator is itself no card (its front or back is
/// empty, or a third one follows, and so on): the rule is read from the
/// last separator back to the first, in one pass, so a line of 20,000
/// separators costs no more stack than a line of one.
fn single_line(line: &str) -> Option<(&str, &str, bool)> {
    let separators = separators(line)?;
    // `card_after` is whether the text after separator k (to the end of
    // the line) is itself a card; nothing follows the last one.
    let mut card_after = false;
    let mut first = None;
    for (k, &(at, colons)) in separators.iter().enumerate().rev() {
        let start = if k == 0 {
            0
        } else {
            let (previous, previous_colons) = separators[k - 1];
            previous + previous_colons
        };
        let (front, back) = (&line[start..at], &line[at + colons..]);
        let front_text = strip_list_marker(front.trim());
        let card_here =
            colons <= 3 && !front_text.is_empty() && !back.trim().is_empty() && !card_after;
        if k == 0 && card_here {
            first = Some((front, back, colons == 3));
        }
        card_after = card_here;
    }
    first
}

/// The separators (`::` runs) of a line, outside inline code, clozes and
/// addresses, as (byte offset, length); `None` when a run of more than
/// three colons comes first among the separators read (no card then).
/// The scan stops at such a run: nothing after it is read.
fn separators(line: &str) -> Option<Vec<(usize, usize)>> {
    let mut found = Vec::new();
    let mut at = 0;
    // Each close is searched for once, however many openings come before
    // it (a search per opening would make the scan quadratic).
    let mut brace_closes = Ahead::new(line, |text: &str| text.find("}}"));
    let mut link_closes = Ahead::new(line, |text: &str| text.find(')'));
    while at < line.len() {
        let rest = &line[at..];
        // `{{…}}` (a cloze, or a template's braces) closing on this line.
        let braces = rest
            .starts_with("{{")
            .then(|| brace_closes.at_or_after(at + 2))
            .flatten()
            .map(|close| close + 2 - at);
        // A web address up to the next space, or a link's target `](…)`.
        let address = if rest.starts_with("http://") || rest.starts_with("https://") {
            Some(rest.find(char::is_whitespace).unwrap_or(rest.len()))
        } else {
            rest.starts_with("](")
                .then(|| link_closes.at_or_after(at + 2))
                .flatten()
                .map(|close| close + 1 - at)
        };
        if rest.starts_with('`') {
            at += span_len(rest);
        } else if let Some(len) = braces {
            at += len;
        } else if let Some(len) = address {
            at += len;
        } else if rest.starts_with("::") {
            let colons = rest.bytes().take_while(|&b| b == b':').count();
            found.push((at, colons));
            if colons > 3 {
                break;
            }
            at += colons;
        } else {
            at += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    if found.is_empty() {
        None
    } else {
        Some(found)
    }
}

/// The front without a list item's marker (`- `, `* `, `+ `, `1. `, `1) `)
/// or a task box after it.
fn strip_list_marker(text: &str) -> &str {
    let after = text
        .strip_prefix("- ")
        .or_else(|| text.strip_prefix("* "))
        .or_else(|| text.strip_prefix("+ "))
        .or_else(|| {
            let digits = text.bytes().take_while(u8::is_ascii_digit).count();
            (digits > 0 && digits < 10)
                .then(|| &text[digits..])
                .and_then(|t| t.strip_prefix(". ").or_else(|| t.strip_prefix(") ")))
        });
    match after {
        Some(after) => {
            let after = after.trim_start();
            after
                .strip_prefix("[ ] ")
                .or_else(|| after.strip_prefix("[x] "))
                .unwrap_or(after)
        }
        None => text,
    }
}

/// One Anki cloze in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cloze {
    /// Where it is in the text (bytes).
    range: std::ops::Range<usize>,
    number: u32,
    answer: String,
    hint: Option<String>,
}

/// The cloze starting at byte `at` of `text`: `{{cN::answer}}` or
/// `{{cN::answer::hint}}` (no nested braces).
fn cloze_at(text: &str, at: usize) -> Option<Cloze> {
    let rest = text[at..].strip_prefix("{{c")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let number: u32 = rest[..digits].parse().ok()?;
    let inner = rest[digits..].strip_prefix("::")?;
    let close = cloze_close(inner)?;
    let body = &inner[..close];
    if body.trim().is_empty() {
        return None;
    }
    let (answer, hint) = match body.split_once("::") {
        Some((answer, hint)) => (
            answer,
            Some(hint.trim().to_owned()).filter(|h| !h.is_empty()),
        ),
        None => (body, None),
    };
    if answer.trim().is_empty() {
        return None;
    }
    let len = 3 + digits + 2 + close + 2;
    Some(Cloze {
        range: at..at + len,
        number,
        answer: answer.to_owned(),
        hint,
    })
}

/// Where the cloze whose text starts `inner` closes (its `}}`): `None`
/// when a `{{` comes first (a cloze holds no braces) or nothing closes it.
/// The search stops at the first `{{`, where the next cloze could start,
/// so finding every cloze of a paragraph is linear in its length.
fn cloze_close(inner: &str) -> Option<usize> {
    let bytes = inner.as_bytes();
    let mut from = 0;
    while let Some(found) = crate::scan::find_ascii(&inner[from..], b"{}") {
        let at = from + found;
        match (bytes[at], bytes.get(at + 1)) {
            (b'}', Some(b'}')) => return Some(at),
            (b'{', Some(b'{')) => return None,
            _ => from = at + 1,
        }
    }
    None
}

/// Every cloze in `text`, outside inline code.
fn clozes(text: &str) -> Vec<Cloze> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        if rest.starts_with('`') {
            at += span_len(rest);
        } else if let Some(cloze) = cloze_at(text, at) {
            at = cloze.range.end;
            found.push(cloze);
        } else {
            at += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

/// Which side of a cloze card is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Front,
    Back,
}

/// `text` with its clozes written out: those of `card`'s number as a blank
/// (front) or a marked answer (back), every other one as its answer. A
/// cloze inside math is written as math: a boxed blank or a boxed answer.
///
/// `math` is [`math_ranges`] of `text`; `clozes` are in text order.
fn with_clozes(
    text: &str,
    clozes: &[Cloze],
    math: &[std::ops::Range<usize>],
    card: Option<(u32, Side)>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    // Both lists are in text order: one walk through the math ranges.
    let mut next_math = 0;
    for cloze in clozes {
        out.push_str(&text[from..cloze.range.start]);
        while math
            .get(next_math)
            .is_some_and(|m| m.end <= cloze.range.start)
        {
            next_math += 1;
        }
        let in_math = math
            .get(next_math)
            .is_some_and(|m| m.contains(&cloze.range.start));
        match card {
            Some((number, Side::Front)) if number == cloze.number => {
                let blank = cloze.hint.as_deref().unwrap_or("…");
                if in_math {
                    out.push_str("\\boxed{\\text{");
                    out.extend(
                        blank
                            .chars()
                            .filter(|c| !matches!(c, '{' | '}' | '\\' | '$')),
                    );
                    out.push_str("}}");
                } else {
                    out.push_str("\\[");
                    out.push_str(blank);
                    out.push_str("\\]");
                }
            }
            Some((number, Side::Back)) if number == cloze.number => {
                // Highlights are found within plain text only: an answer
                // holding markup is marked with the tag itself.
                let markup = cloze.answer.contains(['$', '*', '_', '`', '[', '<', '\\']);
                let (open, close) = match (in_math, markup) {
                    (true, _) => ("\\boxed{", "}"),
                    (false, true) => ("<mark>", "</mark>"),
                    (false, false) => ("==", "=="),
                };
                out.push_str(open);
                out.push_str(cloze.answer.trim());
                out.push_str(close);
            }
            _ => out.push_str(&cloze.answer),
        }
        from = cloze.range.end;
    }
    out.push_str(&text[from..]);
    out
}

/// The byte ranges of `text` inside math: `$$…$$`, and `$…$` whose opening
/// dollar is not followed by a space and closing one not preceded by one
/// (the parser's rule); escaped dollars and inline code are not math.
fn math_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut ranges = Vec::new();
    let mut at = 0;
    // Each close is searched for once, however many dollars open before it
    // (the rule for a close does not depend on where the math opened).
    let mut display_closes = Ahead::new(text, |text: &str| text.find("$$"));
    let mut inline_closes = Ahead::new(text, |text: &str| {
        let bytes = text.as_bytes();
        text.match_indices('$')
            .map(|(e, _)| e)
            .find(|&e| e > 0 && !bytes[e - 1].is_ascii_whitespace() && bytes[e - 1] != b'\\')
    });
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'`' => at += span_len(&text[at..]),
            b'$' => {
                let display = bytes.get(at + 1) == Some(&b'$');
                let open = if display { 2 } else { 1 };
                let body = at + open;
                let close = if display {
                    display_closes.at_or_after(body)
                } else if bytes.get(body).is_some_and(|b| !b.is_ascii_whitespace()) {
                    inline_closes.at_or_after(body)
                } else {
                    None
                };
                match close {
                    Some(end) => {
                        ranges.push(body..end);
                        at = end + open;
                    }
                    None => at += open,
                }
            }
            _ => at += 1,
        }
    }
    ranges
}

/// Markdown as plain text for a card's name: footnote references and
/// markup characters dropped, whitespace folded, at most 80 characters.
fn plain(markdown: &str) -> String {
    let text: String = super::footnotes::without_references(markdown)
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`' | '=' | '[' | ']' | '\\'))
        .collect();
    let folded = super::fold_whitespace(&text);
    match folded.char_indices().nth(80) {
        Some((cut, _)) => folded[..cut].to_owned(),
        None => folded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Budget;

    fn kinds(body: &str) -> Vec<(CardKind, String, String, usize)> {
        extract(body, false, &mut Budget::unlimited())
            .cards
            .into_iter()
            .map(|c| (c.kind, c.front, c.back, c.line))
            .collect()
    }

    #[test]
    fn single_line_cards_both_kinds_and_what_is_not_one() {
        let body = "Intro text.\n\n- Capital of France::Paris\nSun:::Star\n`a::b` in code\nstd::vec::Vec is a path\nkey::\n::value\nBroken {{c1::}} stays\n";
        assert_eq!(
            kinds(body),
            vec![
                (
                    CardKind::Basic,
                    "Capital of France".into(),
                    "Paris".into(),
                    2
                ),
                (CardKind::Reversed, "Sun".into(), "Star".into(), 3),
                (CardKind::Reversed, "Star".into(), "Sun".into(), 3),
            ]
        );
        let rest = extract(body, false, &mut Budget::unlimited()).rest;
        assert_eq!(
            rest,
            "Intro text.\n\n\n\n`a::b` in code\nstd::vec::Vec is a path\nkey::\n::value\nBroken {{c1::}} stays\n"
        );
    }

    #[test]
    fn multi_line_cards_end_at_the_paragraph() {
        let body =
            "What are the\nprimary colours?\n?\nRed\nYellow\nBlue\n\nAfter.\n\nLeft\n??\nRight\n";
        let cards = kinds(body);
        assert_eq!(
            cards[0],
            (
                CardKind::Basic,
                "What are the\nprimary colours?".into(),
                "Red\nYellow\nBlue".into(),
                0
            )
        );
        assert_eq!(cards[1].0, CardKind::Reversed);
        assert_eq!(
            cards[2],
            (CardKind::Reversed, "Right".into(), "Left".into(), 9)
        );
        assert_eq!(
            extract(body, false, &mut Budget::unlimited()).rest,
            "\n\n\n\n\n\n\nAfter.\n\n\n\n\n"
        );
        // `?` alone as the last line: no back, no card.
        assert!(kinds("Question\n?").is_empty());
    }

    #[test]
    fn clozes_one_card_per_number() {
        let body = "The {{c1::mitochondria}} is the {{c2::powerhouse::what?}} of the {{c1::cell}}. `{{c3::code}}`";
        let written = extract(body, false, &mut Budget::unlimited());
        let cards: Vec<_> = written
            .cards
            .iter()
            .map(|c| (c.front.as_str(), c.back.as_str()))
            .collect();
        assert_eq!(
            cards,
            vec![
                (
                    "The \\[…\\] is the powerhouse of the \\[…\\]. `{{c3::code}}`",
                    "The ==mitochondria== is the powerhouse of the ==cell==. `{{c3::code}}`"
                ),
                (
                    "The mitochondria is the \\[what?\\] of the cell. `{{c3::code}}`",
                    "The mitochondria is the ==powerhouse== of the cell. `{{c3::code}}`"
                ),
            ]
        );
        assert_eq!(written.cards[0].name, "c1: mitochondria · cell");
        assert_eq!(written.cards[1].name, "c2: powerhouse");
        assert_eq!(written.rest, "");
        // A cloze's `::` is not a card separator; a hint may hold `::`.
        let hinted = extract(
            "Rust paths use {{c1::double colons::a::b}}.",
            false,
            &mut Budget::unlimited(),
        );
        assert_eq!(hinted.cards.len(), 1);
        assert_eq!(hinted.cards[0].front, "Rust paths use \\[a::b\\].");
    }

    #[test]
    fn highlights_are_clozes_only_when_asked() {
        let body = "Water boils at ==100 °C== at ==sea level==. `==code==`";
        assert!(extract(body, false, &mut Budget::unlimited())
            .cards
            .is_empty());
        let written = extract(body, true, &mut Budget::unlimited());
        let cards: Vec<_> = written
            .cards
            .iter()
            .map(|c| (c.front.as_str(), c.back.as_str(), c.name.as_str()))
            .collect();
        assert_eq!(
            cards,
            vec![
                (
                    "Water boils at \\[…\\] at sea level. `==code==`",
                    "Water boils at ==100 °C== at sea level. `==code==`",
                    "highlight: 100 °C"
                ),
                (
                    "Water boils at 100 °C at \\[…\\]. `==code==`",
                    "Water boils at 100 °C at ==sea level==. `==code==`",
                    "highlight: sea level"
                ),
            ]
        );
        assert!(extract("a == b and c == d", true, &mut Budget::unlimited())
            .cards
            .is_empty());
    }

    #[test]
    fn edge_cases_of_the_syntax() {
        // `::` inside a web address or a link's target separates nothing.
        assert!(extract(
            "See https://example.org/a::b for more\n",
            false,
            &mut Budget::unlimited()
        )
        .cards
        .is_empty());
        assert!(extract(
            "A [link](https://e.org/x::y) here\n",
            false,
            &mut Budget::unlimited()
        )
        .cards
        .is_empty());
        let linked = extract(
            "[Paris](https://e.org/p)::the capital\n",
            false,
            &mut Budget::unlimited(),
        );
        assert_eq!(linked.cards[0].front, "[Paris](https://e.org/p)");
        // A cloze inside a link's text works; a nested cloze counts as the
        // inner one.
        let in_link = extract(
            "The [{{c1::Seine}}](https://e.org) river",
            false,
            &mut Budget::unlimited(),
        );
        assert_eq!(in_link.cards[0].front, "The [\\[…\\]](https://e.org) river");
        let nested = extract(
            "A {{c1::big {{c2::red}}}} ball",
            false,
            &mut Budget::unlimited(),
        );
        assert_eq!(nested.cards.len(), 1);
        assert_eq!(nested.cards[0].name, "c2: red");
    }

    #[test]
    fn code_blocks_hold_no_cards() {
        let body = "```\nfront::back\n?\n{{c1::x}}\n```\n";
        assert!(extract(body, false, &mut Budget::unlimited())
            .cards
            .is_empty());
        assert_eq!(extract(body, false, &mut Budget::unlimited()).rest, body);
    }

    #[test]
    fn a_line_of_many_separators_is_read_without_recursion() {
        // 20,000 separators once overflowed the stack (a recursion per `::`).
        let line = "a::".repeat(20_000);
        let written = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || extract(&line, false, &mut Budget::unlimited()))
            .expect("thread")
            .join()
            .expect("no overflow");
        // Separators alternate between card and no card from the last one
        // back (a second separator makes no card, unless it is none).
        assert_eq!(written.cards.len(), 1);
        assert_eq!(written.cards[0].front, "a");
        // The rule is read as before: the last separator decides.
        assert_eq!(single_line("a::b::"), Some(("a", "b::", false)));
        assert_eq!(single_line("a::b::c"), None);
        assert_eq!(single_line("a::b::c::"), None);
        assert_eq!(single_line("a::b::c::d"), Some(("a", "b::c::d", false)));
        assert_eq!(single_line("a::b::::c"), Some(("a", "b::::c", false)));
        assert_eq!(single_line("a::::b"), None);
        assert_eq!(single_line("a:::b"), Some(("a", "b", true)));
    }

    #[test]
    fn clozes_repeating_a_paragraph_stop_at_the_budget() {
        let paragraph: String = (1..=300)
            .map(|n| format!("w {{{{c{n}::x{n}}}}} "))
            .collect();
        let written = extract(&paragraph, false, &mut Budget::unlimited());
        assert_eq!(written.cards.len(), MAX_CLOZES_PER_PARAGRAPH);
        assert!(
            written.left_out[0].1.contains("200 more"),
            "{:?}",
            written.left_out
        );
        assert!(written.rest.trim().is_empty());

        let mut budget = Budget::for_note(0);
        let big = "y".repeat(300 * 1024) + " {{c1::a}} {{c2::b}} {{c3::c}} {{c4::d}}";
        let written = extract(&big, false, &mut budget);
        // 1 MB allowance, 600 KB per card: one card fits.
        assert_eq!(written.cards.len(), 1);
        assert!(written.left_out[0].1.starts_with("3 cloze card(s)"));
    }

    fn kind_of(text: &str) -> CardKind {
        if text.ends_with("}}") {
            CardKind::Cloze
        } else {
            CardKind::Basic
        }
    }

    #[test]
    fn openings_that_find_no_close_are_read_once() {
        // Each of these once searched to the end of the text from every
        // opening (quadratic: minutes at this size); now one pass.
        for (text, cards) in [
            ("{{c1::".repeat(100_000), 1),
            ("{{c1::a{b ".repeat(60_000), 0),
            ("x](".repeat(100_000) + "::y", 1),
            ("{{".repeat(100_000) + "::y", 1),
            ("$a ".repeat(100_000) + "{{c1::z}}", 1),
        ] {
            let written = extract(&text, false, &mut Budget::unlimited());
            assert_eq!(written.cards.len(), cards, "{}", &text[..12]);
            if let Some(card) = written.cards.first() {
                assert_eq!(card.kind, kind_of(&text));
            }
        }
    }

    #[test]
    fn one_line_cards_end_a_multi_line_front() {
        let body = "Formula of ice::frozen water\nWhat is rust?\n?\nIron oxide.\n";
        assert_eq!(
            kinds(body),
            [
                (
                    CardKind::Basic,
                    "Formula of ice".into(),
                    "frozen water".into(),
                    0
                ),
                (
                    CardKind::Basic,
                    "What is rust?".into(),
                    "Iron oxide.".into(),
                    1
                ),
            ]
        );
    }
}
