//! Obsidian's own marks that are never shown: comments and block ids.
//!
//! `%% … %%` is a comment (inline, or across lines) and is removed outside
//! code; `^block-id` at the end of a paragraph or list item (or alone on
//! the line after a table or quote) names a block for links and is removed
//! too. Line count is preserved so line numbers still point into the file.

use super::code::{span_len, Fences};
use crate::scan::Substring;

/// `body` without Obsidian comments and block ids.
pub fn strip(body: &str) -> String {
    if !body.has("%%") && !body.contains('^') && !body.has("[[") {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len());
    let mut fences = Fences::default();
    let mut in_comment = false;
    for line in crate::scan::split_lines_inclusive(body) {
        let (content, newline) = match line.strip_suffix('\n') {
            Some(content) => (content, "\n"),
            None => (line, ""),
        };
        if !in_comment && fences.is_code(content) {
            out.push_str(line);
            continue;
        }
        if !in_comment && !may_change(content) {
            out.push_str(line);
            continue;
        }
        let visible = if in_comment || content.has("%%") {
            std::borrow::Cow::Owned(without_comments(content, &mut in_comment))
        } else {
            std::borrow::Cow::Borrowed(content)
        };
        out.push_str(&without_empty_links(without_block_id(&visible)));
        out.push_str(newline);
    }
    out
}

/// Whether a line outside a comment holds what [`strip`] takes out or
/// changes: `%%`, `[[` or a block id at its end (a `^` elsewhere, as in a
/// footnote reference or a power, changes nothing).
fn may_change(line: &str) -> bool {
    let bytes = line.as_bytes();
    let mut from = 0;
    while let Some(at) = crate::scan::find_ascii(&line[from..], b"%[") {
        let at = from + at;
        if bytes.get(at + 1) == Some(&bytes[at]) {
            return true;
        }
        from = at + 1;
    }
    without_block_id(line).len() != line.len()
}

/// `body` with blank lines inside a `$$ … $$` display formula turned
/// into TeX comment lines (`%`), keeping any quote prefix: Obsidian
/// renders such a formula, but a blank line would end the Markdown
/// paragraph (and the formula) half way. Line count is kept.
pub fn join_display_math(body: &str) -> std::borrow::Cow<'_, str> {
    if !body.has("$$") {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len() + 16);
    let mut fences = Fences::default();
    let mut in_math = false;
    let mut changed = false;
    for line in crate::scan::split_lines_inclusive(body) {
        let content = line.trim_end_matches(['\n', '\r']);
        let newline = &line[content.len()..];
        if !in_math && fences.is_code(content) {
            out.push_str(line);
            continue;
        }
        let prefix_len = content.len()
            - content
                .trim_start_matches(|c: char| c == '>' || c.is_whitespace())
                .len();
        let (prefix, rest) = content.split_at(prefix_len);
        let rest = rest.trim();
        let dollars = rest.matches("$$").count();
        if in_math {
            if dollars > 0 {
                in_math = false;
            } else if rest.is_empty() {
                out.push_str(prefix.trim_end());
                if !prefix.trim_end().is_empty() {
                    out.push(' ');
                }
                out.push('%');
                out.push_str(newline);
                changed = true;
                continue;
            }
        } else if rest.starts_with("$$") && dollars == 1 {
            in_math = true;
        }
        out.push_str(line);
    }
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(body)
    }
}

/// One line without its comment parts; `in_comment` carries an open
/// comment over to the next line. Inline code is kept.
fn without_comments(line: &str, in_comment: &mut bool) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    loop {
        if *in_comment {
            match rest.find("%%") {
                Some(end) => {
                    rest = &rest[end + 2..];
                    *in_comment = false;
                }
                None => return out,
            }
            continue;
        }
        let Some(pos) = crate::scan::find_ascii(rest, b"`%") else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        if rest.starts_with('`') {
            let end = span_len(rest);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if rest.starts_with("%%") {
            *in_comment = true;
            rest = &rest[2..];
        } else {
            out.push('%');
            rest = &rest[1..];
        }
    }
}

/// `line` without empty wikilinks (`[[]]`, left by templates) and with
/// `[[|alias]]` (a link with no target) shown as its alias.
fn without_empty_links(line: &str) -> std::borrow::Cow<'_, str> {
    // One look at each `[` for both forms.
    let empty_or_alias = memchr::memchr_iter(b'[', line.as_bytes()).any(|at| {
        let link = &line.as_bytes()[at..];
        link.starts_with(b"[[]]") || link.starts_with(b"[[|")
    });
    if !empty_or_alias {
        return std::borrow::Cow::Borrowed(line);
    }
    std::borrow::Cow::Owned(show_aliases(&line.replace("[[]]", "")))
}

/// `line` with each `[[|alias]]` shown as its alias. The rule: the first
/// `[[|` and the first `]]` after it go, and again from the start, until a
/// `[[|` has no `]]` after it; so links nest (`[[|[[|a]]b]]` is `ab`), and
/// text joined where marks went can make a new `[[|` (`[[[[||a]]]]` is
/// `a`).
///
/// The rule in one pass: each `]]` read goes with the first `[[|` still
/// waiting (they wait in line), and both go. The line's bytes are a linked
/// list, so a gap's neighbours are found at once; a `[[|` joined where a
/// `[[|` went waits first in line, and one joined ahead of the scan is
/// found when the scan gets there.
fn show_aliases(line: &str) -> String {
    if !line.has("[[|") {
        return line.to_owned();
    }
    let mut bytes = Bytes::new(line);
    // The first node of each `[[|` waiting for its `]]`, in line order.
    let mut waiting = std::collections::VecDeque::new();
    let mut node = bytes.next[0];
    while node <= line.len() {
        let before = bytes.prev[node];
        let upcoming = bytes.next[node];
        if bytes.is(node, b"[[|") {
            waiting.push_back(bytes.prev[before]);
        } else if bytes.is(node, b"]]") {
            if let Some(open) = waiting.pop_front() {
                let second = bytes.next[open];
                for gone in [open, second, bytes.next[second], before, node] {
                    bytes.remove(gone);
                }
                // Where the `[[|` went: its neighbours may make a new one,
                // first in line (if the scan has read it already).
                let left = bytes.prev[open];
                let right = bytes.next[left];
                if right < upcoming && bytes.is(right, b"[[|") {
                    waiting.push_front(bytes.prev[left]);
                } else if bytes.next[right] < upcoming && bytes.is(bytes.next[right], b"[[|") {
                    waiting.push_front(left);
                }
            }
        }
        node = upcoming;
    }
    bytes.text()
}

/// The bytes of a line as a linked list, some removed (ASCII ones only, so
/// what is left is still UTF-8).
struct Bytes<'l> {
    line: &'l str,
    /// Node → the node before it. Node 0 stands before the line and node
    /// `len + 1` after it; node `i` in between is byte `i - 1`.
    prev: Vec<usize>,
    /// Node → the node after it.
    next: Vec<usize>,
}

impl<'l> Bytes<'l> {
    fn new(line: &'l str) -> Bytes<'l> {
        let end = line.len() + 1;
        Bytes {
            line,
            prev: (0..=end).map(|node| node.saturating_sub(1)).collect(),
            next: (0..=end).map(|node| (node + 1).min(end)).collect(),
        }
    }

    fn byte(&self, node: usize) -> Option<u8> {
        node.checked_sub(1)
            .and_then(|at| self.line.as_bytes().get(at).copied())
    }

    /// True when `node` and the nodes before it spell `marks`.
    fn is(&self, node: usize, marks: &[u8]) -> bool {
        let mut node = node;
        for (i, &mark) in marks.iter().rev().enumerate() {
            if i > 0 {
                node = self.prev[node];
            }
            if self.byte(node) != Some(mark) {
                return false;
            }
        }
        true
    }

    /// Takes `node` out of the list; its own links stay as they were.
    fn remove(&mut self, node: usize) {
        let (before, after) = (self.prev[node], self.next[node]);
        self.next[before] = after;
        self.prev[after] = before;
    }

    /// The bytes left, in order.
    fn text(&self) -> String {
        let mut out = String::with_capacity(self.line.len());
        let mut node = self.next[0];
        while node <= self.line.len() {
            let first = node;
            while self.next[node] == node + 1 && node < self.line.len() {
                node += 1;
            }
            out.push_str(&self.line[first - 1..node]);
            node = self.next[node];
        }
        out
    }
}

/// `line` without a trailing ` ^block-id` (letters, digits and `-`).
fn without_block_id(line: &str) -> &str {
    let trimmed = line.trim_end();
    let Some(caret) = trimmed.rfind('^') else {
        return line;
    };
    let id = &trimmed[caret + 1..];
    let before = &trimmed[..caret];
    let is_id = !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let separated = before.is_empty() || before.ends_with([' ', '\t']);
    if is_id && separated {
        before.trim_end()
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::strip;

    proptest::proptest! {
        /// A line found unchanged by the quick look is one the full pass
        /// would leave as it is; comments spanning lines included.
        #[test]
        fn lines_left_alone_are_those_the_full_pass_leaves(
            lines in proptest::collection::vec("[a%^\\[\\]|` ]{0,8}", 0..6)
        ) {
            let mut in_comment = false;
            for line in &lines {
                let quick = !in_comment && !super::may_change(line);
                let visible = super::without_comments(line, &mut in_comment);
                let full = super::without_empty_links(super::without_block_id(&visible));
                if quick {
                    proptest::prop_assert_eq!(full.as_ref(), line.as_str());
                }
            }
        }
    }

    #[test]
    fn comments_go_inline_and_across_lines() {
        let text = "Seen %%hidden%% text.\nBefore %%start\nstill hidden\nend%% after\n";
        assert_eq!(strip(text), "Seen  text.\nBefore \n\n after\n");
    }

    #[test]
    fn block_ids_go() {
        let text = "A paragraph. ^para-1\n- item ^li2\n| a |\n^table-id\nx^2 stays\n";
        assert_eq!(strip(text), "A paragraph.\n- item\n| a |\n\nx^2 stays\n");
    }

    #[test]
    fn display_math_keeps_its_blank_lines_inside() {
        let note = "> [!note]\n> $$\n> a = b\n>\n> c = d\n> $$\n\n$$\nx\n\ny\n$$\nafter\n\ntext\n";
        assert_eq!(
            super::join_display_math(note),
            "> [!note]\n> $$\n> a = b\n> %\n> c = d\n> $$\n\n$$\nx\n%\ny\n$$\nafter\n\ntext\n"
        );
        let inline = "Inline $$x$$ and more.\n\nNext.\n";
        assert_eq!(super::join_display_math(inline), inline);
    }

    #[test]
    fn empty_wikilinks_go() {
        assert_eq!(
            strip("See [[]] and [[|the spec]].\n"),
            "See  and the spec.\n"
        );
    }

    #[test]
    fn code_keeps_everything() {
        let text = "```\n%% not a comment %% ^id\n```\n`%%kept%%` and 50% off\n";
        assert_eq!(strip(text), text);
    }

    #[test]
    fn aliases_show_in_one_pass() {
        // Each link once searched the line from its start and moved the
        // rest of it (quadratic: minutes at this size).
        assert_eq!(strip(&"[[|a]]".repeat(170_000)), "a".repeat(170_000));
        let nested = "[[|".repeat(100_000) + "x" + &"]]".repeat(100_000);
        assert_eq!(strip(&nested), "x");
        assert_eq!(strip("x [[|a]] [[]] [[|b\n"), "x a  [[|b\n");
    }

    #[test]
    fn aliases_show_by_the_first_open_first_close_rule() {
        // The rule as it was once written, a search from the start for each
        // link: every line of up to 8 of these bytes reads the same.
        fn by_the_rule(line: &str) -> String {
            let mut out = line.to_owned();
            while let Some(start) = out.find("[[|") {
                let Some(end) = out[start..].find("]]") else {
                    break;
                };
                let alias = out[start + 3..start + end].to_owned();
                out.replace_range(start..start + end + 2, &alias);
            }
            out
        }
        let mut lines = vec![String::new()];
        for _ in 0..8 {
            lines = lines
                .iter()
                .flat_map(|line| ['[', ']', '|', 'a'].map(|c| format!("{line}{c}")))
                .collect();
            for line in &lines {
                assert_eq!(super::show_aliases(line), by_the_rule(line), "{line}");
            }
        }
        assert_eq!(super::show_aliases("[[|[[|a]]b]]"), "ab");
        assert_eq!(super::show_aliases("[[[[||a]]]]"), "a");
    }
}
