//! Double braces before parsing: Jekyll's Liquid, and everyone else's text.
//!
//! In a Jekyll source (see [`super::NoteSource`]) Jekyll runs Liquid over
//! the whole file before Markdown, so `{% … %}` and `{{ … }}` are removed
//! wherever they stand outside code, the content of
//! `{% raw %}…{% endraw %}` is kept as literal text, and kramdown attribute
//! lists (`{: .lead}` alone on a line or at the end of one) are removed.
//! Anywhere else double braces are the author's text (`{{date}}`, Logseq's
//! `{{embed …}}`) and stay, except Anki clozes `{{c1::answer::hint}}`,
//! which show their answer. Line count is preserved so line numbers still
//! point into the file.

use super::code::{span_len, Ahead, Fences};
use crate::scan::Substring;

/// `body` of a note that is not a Jekyll source: Anki clozes
/// (`{{c1::answer}}`, `{{c2::answer::hint}}`) become their answer, outside
/// code; every other brace stays as written.
pub fn show_clozes(body: &str) -> String {
    if !body.has("{{c") {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len());
    let mut fences = Fences::default();
    for line in crate::scan::split_lines_inclusive(body) {
        let content = line.trim_end_matches('\n');
        if fences.is_code(content) || !line.has("{{c") {
            out.push_str(line);
            continue;
        }
        out.push_str(&clozes_in_line(line));
    }
    out
}

/// One line with its clozes shown as their answers, inline code kept.
fn clozes_in_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    // Each `}}` and `{{` of the line is found once, however many clozes
    // start before it.
    let mut closes = Ahead::new(line, |text: &str| text.find("}}"));
    let mut opens = Ahead::new(line, |text: &str| text.find("{{"));
    let mut at = 0;
    while let Some(pos) = crate::scan::find_ascii(&line[at..], b"`{") {
        let start = at + pos;
        out.push_str(&line[at..start]);
        let rest = &line[start..];
        if rest.starts_with('`') {
            let end = span_len(rest);
            out.push_str(&rest[..end]);
            at = start + end;
        } else if let Some((answer, end)) = cloze_at(line, start, &mut closes, &mut opens) {
            out.push_str(answer);
            at = end;
        } else {
            out.push('{');
            at = start + 1;
        }
    }
    out.push_str(&line[at..]);
    out
}

/// An Anki cloze at `start` in `line`: its answer and where it ends.
/// `closes` and `opens` find the `}}` and `{{` of the line.
fn cloze_at<'l>(
    line: &'l str,
    start: usize,
    closes: &mut Ahead<'l, impl Fn(&str) -> Option<usize>>,
    opens: &mut Ahead<'l, impl Fn(&str) -> Option<usize>>,
) -> Option<(&'l str, usize)> {
    let rest = line[start..].strip_prefix("{{c")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !rest[digits..].starts_with("::") {
        return None;
    }
    let close = closes.at_or_after(start)?;
    let body = start + 3 + digits + 2;
    // The cloze holds no `{{` (a `{{` and a `}}` never overlap).
    if opens.at_or_after(body).is_some_and(|open| open < close) {
        return None;
    }
    let body = &line[body..close];
    let answer = body.split("::").next().unwrap_or(body);
    Some((answer, close + 2))
}

/// Strips Liquid tags and outputs and kramdown attribute lists from `body`
/// (a Jekyll source).
pub fn strip(body: &str) -> String {
    if !body.has("{%") && !body.has("{{") && !body.has("{:") {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len());
    let mut fences = Fences::default();
    let mut in_raw = false;
    for line in crate::scan::split_lines_inclusive(body) {
        let (content, newline) = match line.strip_suffix('\n') {
            Some(content) => (content, "\n"),
            None => (line, ""),
        };
        if fences.is_code(content) {
            // Jekyll runs Liquid before Markdown, code included: authors
            // wrap Liquid examples in `{% raw %}`, which Jekyll removes.
            out.push_str(&drop_raw_tags(line));
            continue;
        }
        let stripped = strip_line(content, &mut in_raw);
        out.push_str(strip_ial(&stripped));
        out.push_str(newline);
    }
    out
}

/// Removes Liquid markup from one line, keeping inline code spans intact.
fn strip_line(line: &str, in_raw: &mut bool) -> String {
    let mut out = String::with_capacity(line.len());
    // Each `%}` and `}}` of the line is found once, however many openings
    // come before it.
    let mut tag_closes = Ahead::new(line, |text: &str| text.find("%}"));
    let mut output_closes = Ahead::new(line, |text: &str| text.find("}}"));
    let mut at = 0;
    while at < line.len() {
        let rest = &line[at..];
        if *in_raw {
            match find_tag(rest, "endraw") {
                Some((start, end)) => {
                    out.push_str(&rest[..start]);
                    at += end;
                    *in_raw = false;
                }
                None => {
                    out.push_str(rest);
                    break;
                }
            }
            continue;
        }
        let Some(pos) = crate::scan::find_ascii(rest, b"`{") else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..pos]);
        at += pos;
        let rest = &line[at..];
        if rest.starts_with('`') {
            let end = span_len(rest);
            out.push_str(&drop_raw_tags(&rest[..end]));
            at += end;
        } else if rest.starts_with("{%") {
            // The close is searched after the open: `{%}` is not a tag.
            match tag_closes.at_or_after(at + 2) {
                Some(close) => {
                    let inner = line[at + 2..close].trim().trim_matches('-').trim();
                    if inner == "raw" {
                        *in_raw = true;
                    }
                    // `{% post_url 2024-01-31-name %}`: a link to that post,
                    // shown as the note it is.
                    if let Some(post) = inner.strip_prefix("post_url ") {
                        let post = post.trim();
                        if !post.is_empty() && !post.contains(char::is_whitespace) {
                            out.push_str(post.trim_start_matches('/'));
                            out.push_str(".md");
                        }
                    }
                    at = close + 2;
                }
                None => {
                    out.push_str("{%");
                    at += 2;
                }
            }
        } else if rest.starts_with("{{") {
            match output_closes.at_or_after(at + 2) {
                Some(close) => at = close + 2,
                None => {
                    out.push_str("{{");
                    at += 2;
                }
            }
        } else {
            out.push('{');
            at += 1;
        }
    }
    out
}

/// `text` without `{% raw %}` and `{% endraw %}` tags (what Jekyll leaves
/// of them, in code as anywhere).
fn drop_raw_tags(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.has("raw") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{%") {
        let Some(close) = rest[open + 2..].find("%}").map(|c| open + 2 + c) else {
            break;
        };
        let inner = rest[open + 2..close].trim().trim_matches('-').trim();
        out.push_str(&rest[..open]);
        if inner != "raw" && inner != "endraw" {
            out.push_str(&rest[open..close + 2]);
        }
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Finds `{% name %}` (with optional `-` whitespace control) in `text`.
fn find_tag(text: &str, name: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(open) = text[from..].find("{%") {
        let start = from + open;
        let close = start + 2 + text[start + 2..].find("%}")?;
        let inner = text[start + 2..close].trim().trim_matches('-').trim();
        if inner == name {
            return Some((start, close + 2));
        }
        from = close + 2;
    }
    None
}

/// Removes a kramdown attribute list alone on a line or at its end.
fn strip_ial(line: &str) -> &str {
    let trimmed = line.trim_end();
    if !trimmed.ends_with('}') {
        return line;
    }
    match trimmed.rfind("{:") {
        Some(start) if !trimmed[start + 2..trimmed.len() - 1].contains(['{', '}']) => {
            trimmed[..start].trim_end()
        }
        _ => line,
    }
}

#[cfg(test)]
mod tests {
    use super::{show_clozes, strip};

    #[test]
    fn outside_jekyll_braces_stay_and_clozes_show_their_answer() {
        let text = "The powerhouse is the {{c1::mitochondrion}}.\nOn {{date}}, {{embed [[Page]]}} and {{c2::ATP::energy}}.\n`{{c1::code}}`\n";
        assert_eq!(
            show_clozes(text),
            "The powerhouse is the mitochondrion.\nOn {{date}}, {{embed [[Page]]}} and ATP.\n`{{c1::code}}`\n"
        );
        assert_eq!(
            show_clozes("{{c::x}} {{c1:x}} {{c1::"),
            "{{c::x}} {{c1:x}} {{c1::"
        );
    }

    #[test]
    fn includes_and_outputs_are_removed() {
        let text = "Before\n{% include figure.html path=\"a.png\" caption=\"x\" %}\nSite: {{ site.title }}!\n";
        assert_eq!(strip(text), "Before\n\nSite: !\n");
    }

    #[test]
    fn raw_tags_go_even_in_code() {
        assert_eq!(
            strip("```liquid\n{% raw %}{{ content }}{% endraw %}\n```\nUse `{% raw %}{% include x %}{% endraw %}`.\n"),
            "```liquid\n{{ content }}\n```\nUse `{% include x %}`.\n"
        );
    }

    #[test]
    fn post_url_becomes_a_link_to_the_post() {
        assert_eq!(
            strip("See [the intro]({% post_url 2024-01-31-intro %}).\n"),
            "See [the intro](2024-01-31-intro.md).\n"
        );
    }

    #[test]
    fn overlapping_braces_are_not_tags() {
        // Found by the fuzzer: `{%}` once sliced backwards and panicked.
        assert_eq!(strip("a {%} b %} c\n"), "a  c\n");
        assert_eq!(strip("{% raw %}{{%}endraw %}\n"), "{{%}endraw %}\n");
        assert_eq!(strip("x {{}} y\n"), "x  y\n");
    }

    #[test]
    fn raw_content_is_kept_literally() {
        let text = "{% raw %}\nUse {{ page.title }} here\n{% endraw %}\n";
        assert_eq!(strip(text), "\nUse {{ page.title }} here\n\n");
    }

    #[test]
    fn code_is_left_alone() {
        let text = "```\n{{ x }}\n```\nand `{% tag %}` stays\n";
        assert_eq!(strip(text), text);
    }

    #[test]
    fn kramdown_attribute_lists_are_removed() {
        assert_eq!(
            strip("Lead text\n{: .lead}\nPara {: #id}\n"),
            "Lead text\n\nPara\n"
        );
    }

    #[test]
    fn plain_braces_survive() {
        let text = "a set {1, 2} and {:not an ial\n";
        assert_eq!(strip(text), text);
    }

    #[test]
    fn openings_without_a_close_are_read_once() {
        // Each of these once searched the rest of the line for its close
        // (quadratic: minutes at this size).
        let clozes = "{{c1::".repeat(170_000);
        assert_eq!(show_clozes(&clozes), clozes);
        // One `}}` at the end, and a `{{` before it for all clozes but the
        // last.
        assert_eq!(
            show_clozes(&(clozes.clone() + "}}")),
            "{{c1::".repeat(169_999)
        );
        for open in ["{%", "{{"] {
            let text = open.repeat(500_000);
            assert_eq!(strip(&text), text);
        }
    }

    #[test]
    fn unclosed_and_nested_braces_read_as_before() {
        assert_eq!(
            show_clozes("a {{c1::x::h}} {{c1::{{c2::y}}}} `{{c1::z}}` {{c3::}} {{c1::w\n"),
            "a x {{c1::y}} `{{c1::z}}`  {{c1::w\n"
        );
        assert_eq!(
            strip("a {% x {{ y %} z }} {% raw %}{{ k }}{% endraw %} {{ open\n{% also open\n"),
            "a  z }} {{ k }} {{ open\n{% also open\n"
        );
    }
}
