//! Math as Jekyll sites write it: MathJax delimiters become the `$` math
//! the renderer understands, and kramdown's rule for `$$` (inline inside a
//! paragraph, display on lines of its own) is applied by the renderer.
//!
//! `\(…\)` and `\[…\]` (and their Markdown-escaped forms `\\(…\\)`,
//! `\\[…\\]`) become `$…$` and `$$…$$`, outside code. Only Jekyll sources
//! are read this way: elsewhere `\(` is an escaped parenthesis.

use super::code::{span_len, Ahead, Fences};
use crate::scan::Substring;

/// `body` with MathJax delimiters turned into dollar math.
pub fn mathjax_to_dollars(body: &str) -> String {
    if !body.has("\\(") && !body.has("\\[") {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len());
    let mut fences = Fences::default();
    let mut display_open = false;
    for line in crate::scan::split_lines_inclusive(body) {
        let content = line.trim_end_matches('\n');
        let newline = &line[content.len()..];
        if !display_open && fences.is_code(content) {
            out.push_str(line);
            continue;
        }
        out.push_str(&convert_line(content, &mut display_open));
        out.push_str(newline);
    }
    out
}

/// The delimiter at the start of `text` (`\\(`, `\(`, …) and its length.
fn delimiter(text: &str, which: char) -> Option<usize> {
    let then_which = |at: usize| text[at..].starts_with(which);
    if text.starts_with("\\\\") && then_which(2) {
        Some(3)
    } else if text.starts_with('\\') && then_which(1) {
        Some(2)
    } else {
        None
    }
}

fn convert_line(line: &str, display_open: &mut bool) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut inline_open = false;
    // Each `\)` of the line is found once, however many `\(` come before it.
    let mut closes = Ahead::new(line, |text: &str| text.find("\\)"));
    while let Some(pos) = crate::scan::find_ascii(rest, b"`\\") {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        if rest.starts_with('`') && !*display_open && !inline_open {
            let end = span_len(rest);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let (open_paren, close_paren) = (delimiter(rest, '('), delimiter(rest, ')'));
        let (open_bracket, close_bracket) = (delimiter(rest, '['), delimiter(rest, ']'));
        if let (false, false, Some(len)) = (*display_open, inline_open, open_paren) {
            // Only when it closes on this line: otherwise a parenthesis.
            let after = line.len() - rest.len() + len;
            if closes.at_or_after(after).is_some() {
                out.push('$');
                inline_open = true;
                // `$ x$` is no math: spaces inside the delimiters go.
                rest = rest[len..].trim_start_matches([' ', '\t']);
                continue;
            }
        }
        if let (true, Some(len)) = (inline_open, close_paren) {
            trim_end_spaces(&mut out);
            out.push('$');
            inline_open = false;
            rest = &rest[len..];
            continue;
        }
        if let (false, false, Some(len)) = (*display_open, inline_open, open_bracket) {
            out.push_str("$$");
            *display_open = true;
            rest = rest[len..].trim_start_matches([' ', '\t']);
            continue;
        }
        if let (true, Some(len)) = (*display_open, close_bracket) {
            trim_end_spaces(&mut out);
            out.push_str("$$");
            *display_open = false;
            rest = &rest[len..];
            continue;
        }
        // Any other backslash: keep it and the character after it.
        let next = rest[1..].chars().next().map_or(0, char::len_utf8);
        out.push_str(&rest[..1 + next]);
        rest = &rest[1 + next..];
    }
    out.push_str(rest);
    out
}

/// `out` without the spaces and tabs it ends with (math closes right
/// after its content).
fn trim_end_spaces(out: &mut String) {
    let kept = out.trim_end_matches([' ', '\t']).len();
    out.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::mathjax_to_dollars;

    #[test]
    fn mathjax_delimiters_become_dollars() {
        assert_eq!(
            mathjax_to_dollars("Euler: \\(e^{i\\pi}+1=0\\).\n"),
            "Euler: $e^{i\\pi}+1=0$.\n"
        );
        assert_eq!(
            mathjax_to_dollars("Escaped \\\\(x^2\\\\) too\n"),
            "Escaped $x^2$ too\n"
        );
        assert_eq!(
            mathjax_to_dollars("\\[\n\\int_0^1 x\\,dx\n\\]\n"),
            "$$\n\\int_0^1 x\\,dx\n$$\n"
        );
        assert_eq!(
            mathjax_to_dollars("a \\( b, no close\n"),
            "a \\( b, no close\n"
        );
        let code = "```\n\\(x\\)\n```\n`\\(y\\)`\n";
        assert_eq!(mathjax_to_dollars(code), code);
    }

    #[test]
    fn spaces_inside_the_delimiters_go() {
        assert_eq!(
            mathjax_to_dollars("Loss \\\\( \\sum_i \\log p(y_i) \\\\) here\n"),
            "Loss $\\sum_i \\log p(y_i)$ here\n"
        );
        assert_eq!(
            mathjax_to_dollars("\\( x \\) and \\[ y \\]\n"),
            "$x$ and $$y$$\n"
        );
        assert_eq!(
            mathjax_to_dollars("\\[ \n  a + b\n \\]\n"),
            "$$\n  a + b\n$$\n"
        );
    }

    #[test]
    fn openings_without_a_close_are_read_once() {
        // Each `\(` once searched the rest of the line for `\)`
        // (quadratic: minutes at this size).
        let text = "\\(".repeat(500_000);
        assert_eq!(mathjax_to_dollars(&text), text);
        assert_eq!(
            mathjax_to_dollars("\\( a \\( b \\) c \\)\nx \\(1\\) \\(2\n"),
            "$a \\( b$ c \\)\nx $1$ \\(2\n"
        );
    }
}
