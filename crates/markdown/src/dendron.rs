//! Dendron vaults: a note's body as Dendron shows it, before it is parsed.
//!
//! In a Dendron vault (see `import::files::is_dendron_folder`):
//! - `{{fm.KEY}}` shows the value of `KEY` in the note's own front matter
//!   (a string, number or boolean); a missing key, a list or a map leaves
//!   nothing, reported with its line. Elsewhere `{{…}}` is the author's
//!   text and stays: only Dendron gives `fm.` a meaning.
//! - A note reference `![[biology.cells#membrane]]` names a note by its
//!   dotted file name: it becomes an embed of that note's file
//!   (`![[biology.cells.md#membrane]]`, so its dots are not taken for a
//!   file ending), anchors and ranges kept for
//!   [`super::embed::dendron_excerpt`]. A wildcard reference
//!   (`![[biology.*]]`) stays a link, reported.
//! - A link names its target last: `[[Cell membrane|biology.cells.membrane]]`
//!   becomes `[[biology.cells.membrane|Cell membrane]]`, as elsewhere.
//! - `dendron://vault/` before a name is dropped: names are looked up in
//!   the whole workspace.
//!
//! One pass over the body, outside code, line for line (line numbers
//! still point into the file).

use std::collections::{HashMap, HashSet};

use super::budget::Budget;
use super::code::{span_len, Ahead, Fences};
use super::frontmatter;
use crate::scan::Substring;

/// The longest front matter key `{{fm.KEY}}` may name, in bytes.
const MAX_KEY_BYTES: usize = 128;

/// At most this many spaces inside the braces of `{{ fm.KEY }}`.
const MAX_BRACE_SPACES: usize = 8;

/// At most this many front matter keys are reported as left out (each
/// once, with the line it is first used on).
const MAX_REPORTED_KEYS: usize = 20;

/// The body of a Dendron note rewritten by [`rewrite`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// The body, with as many lines as before.
    pub text: String,
    /// What to report: the line within the body (from 0) and what
    /// happened there.
    pub problems: Vec<(usize, String)>,
}

/// The title Dendron gives a note from its name: the last part of the
/// dotted name, and when that is all lower case, with `-` as spaces and
/// its words capitalised (`cell-walls` → `Cell Walls`; `DNA` stays).
pub fn title_from_name(name: &str) -> String {
    let last = name.rsplit('.').next().unwrap_or(name);
    if last != last.to_lowercase() {
        return last.to_owned();
    }
    let mut title = String::with_capacity(last.len());
    for (k, word) in last.split(['-', ' ']).filter(|w| !w.is_empty()).enumerate() {
        if k > 0 {
            title.push(' ');
        }
        if k > 0 && MINOR_WORDS.contains(&word) {
            title.push_str(word);
            continue;
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            title.extend(first.to_uppercase());
            title.push_str(chars.as_str());
        }
    }
    if title.is_empty() {
        last.to_owned()
    } else {
        title
    }
}

/// Short words a title keeps in lower case after its first word.
const MINOR_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "nor", "of", "on", "or", "the",
    "to", "via", "vs", "with",
];

/// `body` (the body of the note `note`, front matter included in `note`)
/// as Dendron shows it (see the module comment). Filled-in values are
/// copies and take from `budget`; what does not fit is left out and
/// reported.
pub fn rewrite(note: &str, body: &str, budget: &mut Budget) -> Rewritten {
    if !body.has("{{") && !body.has("[[") {
        return Rewritten {
            text: body.to_owned(),
            problems: Vec::new(),
        };
    }
    let keys = referenced_keys(body);
    let values = if keys.is_empty() {
        HashMap::new()
    } else {
        frontmatter::scalars(note, &keys)
    };
    let mut line = Line {
        values: &values,
        budget,
        left_out: HashMap::new(),
        problems: Vec::new(),
        number: 0,
    };
    let mut out = String::with_capacity(body.len());
    let mut fences = Fences::default();
    for (number, text) in crate::scan::split_lines_inclusive(body).enumerate() {
        let content = text.strip_suffix('\n').unwrap_or(text);
        if fences.is_code(content) || crate::scan::find_ascii(content, b"{[").is_none() {
            out.push_str(text);
            continue;
        }
        line.number = number;
        line.rewrite(content, &mut out);
        out.push_str(&text[content.len()..]);
    }
    let Line {
        left_out,
        mut problems,
        ..
    } = line;
    let mut left_out: Vec<(String, LeftOut)> = left_out.into_iter().collect();
    left_out.sort_by_key(|(key, l)| (l.line, key.clone()));
    let more = left_out.len().saturating_sub(MAX_REPORTED_KEYS);
    for (key, l) in left_out.into_iter().take(MAX_REPORTED_KEYS) {
        let times = match l.count {
            1 => String::new(),
            n => format!(" (used {n} times)"),
        };
        problems.push((
            l.line,
            format!("`{{{{fm.{key}}}}}` shows nothing{times}: {}", l.why),
        ));
    }
    if more > 0 {
        let line = problems.last().map_or(0, |(line, _)| *line);
        problems.push((
            line,
            format!("{more} more front matter key(s) left out as above"),
        ));
    }
    problems.sort_by_key(|(line, _)| *line);
    Rewritten {
        text: out,
        problems,
    }
}

/// The front matter keys `body` names in `{{fm.KEY}}` (in code too: a
/// key read for nothing does no harm).
pub fn referenced_keys(body: &str) -> HashSet<String> {
    let mut keys = HashSet::new();
    let mut from = 0;
    while let Some(at) = body[from..].find("{{") {
        let at = from + at;
        if let Some((_, key)) = variable(&body[at..]) {
            keys.insert(key.to_owned());
        }
        from = at + 1;
    }
    keys
}

/// For `text` starting with `{{`: the length of the `{{fm.KEY}}` there
/// (spaces allowed inside the braces) and its key.
fn variable(text: &str) -> Option<(usize, &str)> {
    let rest = text.strip_prefix("{{")?;
    let rest = skip_spaces(rest)?;
    let rest = rest.strip_prefix("fm.")?;
    let key_len = rest
        .bytes()
        .take(MAX_KEY_BYTES + 1)
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        .count();
    if key_len == 0 || key_len > MAX_KEY_BYTES {
        return None;
    }
    let (key, rest) = rest.split_at(key_len);
    let rest = skip_spaces(rest)?;
    let rest = rest.strip_prefix("}}")?;
    Some((text.len() - rest.len(), key))
}

/// `text` after at most [`MAX_BRACE_SPACES`] spaces or tabs; `None` when
/// there are more.
fn skip_spaces(text: &str) -> Option<&str> {
    let spaces = text
        .bytes()
        .take(MAX_BRACE_SPACES + 1)
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    (spaces <= MAX_BRACE_SPACES).then(|| &text[spaces..])
}

/// Why a key filled in nothing, where it was first used, how often.
struct LeftOut {
    why: String,
    line: usize,
    count: usize,
}

/// What rewriting a line needs, and what it found.
struct Line<'a> {
    values: &'a HashMap<String, Option<String>>,
    budget: &'a mut Budget,
    left_out: HashMap<String, LeftOut>,
    problems: Vec<(usize, String)>,
    /// The line being rewritten (from 0).
    number: usize,
}

impl Line<'_> {
    /// Appends `line` (no code block, no line end) to `out`, rewritten.
    fn rewrite(&mut self, line: &str, out: &mut String) {
        let mut closes = Ahead::new(line, |text: &str| text.find("]]"));
        let mut from = 0;
        while let Some(found) = crate::scan::find_ascii(&line[from..], b"`{[!") {
            let at = from + found;
            out.push_str(&line[from..at]);
            let rest = &line[at..];
            let taken = if rest.starts_with('`') {
                let len = span_len(rest);
                out.push_str(&rest[..len]);
                len
            } else if let Some((len, key)) = variable(rest) {
                self.fill(key, out);
                len
            } else if rest.starts_with("![[") {
                self.link(line, at, 3, &mut closes, out)
            } else if rest.starts_with("[[") {
                self.link(line, at, 2, &mut closes, out)
            } else {
                // `{`, `[` or `!` alone: ASCII, one byte.
                out.push_str(&rest[..1]);
                1
            };
            from = at + taken;
        }
        out.push_str(&line[from..]);
    }

    /// Appends the value of front matter `key`, on one line; nothing, noted
    /// for the report, when there is none or it does not fit the budget.
    fn fill(&mut self, key: &str, out: &mut String) {
        let why = match self.values.get(key) {
            Some(Some(value)) if self.budget.take(value.len()) => {
                out.extend(value.chars().map(|c| if c == '\n' || c == '\r' { ' ' } else { c }));
                return;
            }
            Some(Some(_)) => {
                "the note's cards already copy as much text as a note may (16 times its size plus 1 MB)"
                    .to_owned()
            }
            Some(None) => format!("`{key}` in the front matter is a list or a map, not one value"),
            None => format!("the front matter has no `{key}`"),
        };
        let number = self.number;
        self.left_out
            .entry(key.to_owned())
            .and_modify(|l| l.count += 1)
            .or_insert(LeftOut {
                why,
                line: number,
                count: 1,
            });
    }

    /// For the `[[` (`open` 2) or `![[` (3) at `at` in `line`: appends the
    /// link or reference as notedeck reads it; returns the bytes taken.
    fn link(
        &mut self,
        line: &str,
        at: usize,
        open: usize,
        closes: &mut Ahead<'_, impl Fn(&str) -> Option<usize>>,
        out: &mut String,
    ) -> usize {
        let start = at + open;
        let whole = closes
            .at_or_after(start)
            .map(|close| &line[start..close])
            // The bracket test first: it stops at the first `[` or `]`,
            // where a trim would walk back over the spaces before the close.
            .filter(|inner| !inner.contains(['[', ']']) && !inner.trim_start().is_empty());
        let Some(inner) = whole else {
            out.push_str(&line[at..start]);
            return open;
        };
        let taken = open + inner.len() + 2;
        let embed = open == 3;
        // Dendron writes the shown text first: `[[shown|target]]`.
        let (shown, target) = match inner.split_once('|') {
            Some((shown, target)) => (Some(shown.trim()), target.trim()),
            None => (None, inner.trim()),
        };
        let first_name = inner.split(['|', '#']).next().unwrap_or(inner).trim();
        if embed && crate::media::kind_of_name(first_name).is_some() {
            // An image or other media file: as written.
            out.push_str(&line[at..at + taken]);
            return taken;
        }
        let target = without_vault(target);
        let (name, anchor) = match target.split_once('#') {
            Some((name, anchor)) => (name.trim(), Some(anchor.trim())),
            None => (target, None),
        };
        if embed && name.contains('*') && self.problems.len() < MAX_REPORTED_KEYS {
            self.problems.push((
                self.number,
                format!(
                    "`![[{inner}]]` shows every note its pattern names: notedeck does not copy wildcard note references into cards; it is shown as a link"
                ),
            ));
            out.push_str("[[");
            out.push_str(target);
            push_shown(shown, out);
            out.push_str("]]");
            return taken;
        }
        if name.is_empty() {
            // A reference within the note itself: as written.
            out.push_str(&line[at..at + taken]);
            return taken;
        }
        out.push_str(&line[at..start]);
        out.push_str(name);
        let is_note_file = [".md", ".markdown", ".txt"]
            .iter()
            .any(|end| name.to_ascii_lowercase().ends_with(end));
        if embed && !is_note_file {
            out.push_str(".md");
        }
        if let Some(anchor) = anchor {
            out.push('#');
            out.push_str(anchor);
        }
        push_shown(shown, out);
        out.push_str("]]");
        taken
    }
}

/// Appends `|shown` when there is a shown text.
fn push_shown(shown: Option<&str>, out: &mut String) {
    if let Some(shown) = shown.filter(|s| !s.is_empty()) {
        out.push('|');
        out.push_str(shown);
    }
}

/// `target` without Dendron's vault prefix `dendron://vault/`.
fn without_vault(target: &str) -> &str {
    let prefix = "dendron://";
    match target.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(prefix) => target[prefix.len()..]
            .split_once('/')
            .map_or(target, |(_, rest)| rest.trim()),
        _ => target,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(note: &str) -> Rewritten {
        let (_, body, _) = frontmatter::split(note);
        rewrite(note, body, &mut Budget::unlimited())
    }

    #[test]
    fn titles_from_names() {
        assert_eq!(title_from_name("biology.cells"), "Cells");
        assert_eq!(title_from_name("plants.cell-walls"), "Cell Walls");
        assert_eq!(title_from_name("war-of-the-roses"), "War of the Roses");
        assert_eq!(title_from_name("chem.DNA"), "DNA");
        assert_eq!(title_from_name("root"), "Root");
        assert_eq!(title_from_name("a.-"), "-");
    }

    #[test]
    fn front_matter_values_fill_in() {
        let note = "---\nid: x1\ntitle: Mitosis\ndesc: How a cell\n  divides\nupdated: 1620000000000\ndraft: false\nempty:\nlist: [a, b]\n---\n# {{fm.title}}\n\n{{ fm.desc }} ({{fm.updated}}, {{fm.draft}}{{fm.empty}})\n`{{fm.title}}` {{fm.list}} {{fm.nothere}} {{fm.nothere}}\n```\n{{fm.title}}\n```\n{{fm}} {{ fm.title and more }} {{{fm.title}}}\n";
        let out = rewritten(note);
        assert_eq!(
            out.text,
            "# Mitosis\n\nHow a cell divides (1620000000000, false)\n`{{fm.title}}`   \n```\n{{fm.title}}\n```\n{{fm}} {{ fm.title and more }} {Mitosis}\n"
        );
        assert_eq!(
            out.problems,
            [
                (
                    3,
                    "`{{fm.list}}` shows nothing: `list` in the front matter is a list or a map, not one value".to_owned()
                ),
                (
                    3,
                    "`{{fm.nothere}}` shows nothing (used 2 times): the front matter has no `nothere`".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn values_take_from_the_budget() {
        let note = format!(
            "---\nlong: {}\n---\n{}",
            "x".repeat(1000),
            "{{fm.long}}\n".repeat(5)
        );
        let (_, body, _) = frontmatter::split(&note);
        let mut budget = Budget::for_note(0);
        // 1 MB of allowance: a thousand copies fit, not more.
        let many = body.repeat(300);
        let out = rewrite(&note, &many, &mut budget);
        assert_eq!(out.text.lines().count(), 1500);
        assert!(out.text.len() < (1 << 20) + 1500, "{}", out.text.len());
        assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
        assert!(out.problems[0].1.contains("as much text as a note may"));
    }

    #[test]
    fn references_name_note_files_and_links_their_target_last() {
        let out = rewritten(
            "![[biology.cells]] ![[biology.cells#membrane,1:#*]] ![[dendron://main/a.b#^x:#^y]]\n\
             [[Cell walls|plants.cell-walls]] [[plants]] [[dendron://main/plants#roots]]\n\
             ![[pic.png]] ![[pic.png|200]] ![[notes.md]] ![[#here]] ![[biology.*]] ![[open\n\
             `![[code.ref]]`\n",
        );
        assert_eq!(
            out.text,
            "![[biology.cells.md]] ![[biology.cells.md#membrane,1:#*]] ![[a.b.md#^x:#^y]]\n\
             [[plants.cell-walls|Cell walls]] [[plants]] [[plants#roots]]\n\
             ![[pic.png]] ![[pic.png|200]] ![[notes.md]] ![[#here]] [[biology.*]] ![[open\n\
             `![[code.ref]]`\n"
        );
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].0, 2);
        assert!(out.problems[0].1.contains("wildcard"), "{:?}", out.problems);
    }

    #[test]
    fn plain_text_is_left_alone() {
        let body = "No braces or links here.\n";
        assert_eq!(rewritten(body).text, body);
        let body = "{{date}} and {{c1::cloze}} stay.\n";
        assert_eq!(rewritten(body).text, body);
    }
}
