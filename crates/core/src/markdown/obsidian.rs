//! Obsidian's own marks that are never shown: comments and block ids.
//!
//! `%% … %%` is a comment (inline, or across lines) and is removed outside
//! code; `^block-id` at the end of a paragraph or list item (or alone on
//! the line after a table or quote) names a block for links and is removed
//! too. Line count is preserved so line numbers still point into the file.

use super::code::{span_len, Fences};

/// `body` without Obsidian comments and block ids.
pub fn strip(body: &str) -> String {
    if !body.contains("%%") && !body.contains('^') && !body.contains("[[") {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len());
    let mut fences = Fences::default();
    let mut in_comment = false;
    for line in body.split_inclusive('\n') {
        let (content, newline) = match line.strip_suffix('\n') {
            Some(content) => (content, "\n"),
            None => (line, ""),
        };
        if !in_comment && fences.is_code(content) {
            out.push_str(line);
            continue;
        }
        if !in_comment && !content.contains(['%', '^', '[']) {
            out.push_str(line);
            continue;
        }
        let visible = without_comments(content, &mut in_comment);
        out.push_str(&without_empty_links(without_block_id(&visible)));
        out.push_str(newline);
    }
    out
}

/// `body` with blank lines inside a `$$ … $$` display formula turned
/// into TeX comment lines (`%`), keeping any quote prefix: Obsidian
/// renders such a formula, but a blank line would end the Markdown
/// paragraph (and the formula) half way. Line count is kept.
pub fn join_display_math(body: &str) -> std::borrow::Cow<'_, str> {
    if !body.contains("$$") {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len() + 16);
    let mut fences = Fences::default();
    let mut in_math = false;
    let mut changed = false;
    for line in body.split_inclusive('\n') {
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
        let Some(pos) = rest.find(['`', '%']) else {
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
    if !line.contains("[[]]") && !line.contains("[[|") {
        return std::borrow::Cow::Borrowed(line);
    }
    let mut out = line.replace("[[]]", "");
    while let Some(start) = out.find("[[|") {
        match out[start..].find("]]") {
            Some(end) => {
                let alias = out[start + 3..start + end].to_owned();
                out.replace_range(start..start + end + 2, &alias);
            }
            None => break,
        }
    }
    std::borrow::Cow::Owned(out)
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
}
