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

use super::code::{span_len, Fences};

/// `body` of a note that is not a Jekyll source: Anki clozes
/// (`{{c1::answer}}`, `{{c2::answer::hint}}`) become their answer, outside
/// code; every other brace stays as written.
pub fn show_clozes(body: &str) -> String {
    if !body.contains("{{c") {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len());
    let mut fences = Fences::default();
    for line in body.split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        if fences.is_code(content) || !line.contains("{{c") {
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
    let mut rest = line;
    while let Some(pos) = rest.find(['`', '{']) {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        if rest.starts_with('`') {
            let end = span_len(rest);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if let Some((answer, len)) = cloze_at(rest) {
            out.push_str(answer);
            rest = &rest[len..];
        } else {
            out.push('{');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// An Anki cloze at the start of `text`: its answer and its length.
fn cloze_at(text: &str) -> Option<(&str, usize)> {
    let inner_start = 2;
    let rest = text.strip_prefix("{{c")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !rest[digits..].starts_with("::") {
        return None;
    }
    let close = text.find("}}")?;
    let body = &text[inner_start + 1 + digits + 2..close];
    if body.contains("{{") {
        return None;
    }
    let answer = body.split("::").next().unwrap_or(body);
    Some((answer, close + 2))
}

/// Strips Liquid tags and outputs and kramdown attribute lists from `body`
/// (a Jekyll source).
pub fn strip(body: &str) -> String {
    if !body.contains("{%") && !body.contains("{{") && !body.contains("{:") {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len());
    let mut fences = Fences::default();
    let mut in_raw = false;
    for line in body.split_inclusive('\n') {
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
    let mut rest = line;
    while !rest.is_empty() {
        if *in_raw {
            match find_tag(rest, "endraw") {
                Some((start, end)) => {
                    out.push_str(&rest[..start]);
                    rest = &rest[end..];
                    *in_raw = false;
                }
                None => {
                    out.push_str(rest);
                    break;
                }
            }
            continue;
        }
        let Some(pos) = rest.find(['`', '{']) else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        if rest.starts_with('`') {
            let end = span_len(rest);
            out.push_str(&drop_raw_tags(&rest[..end]));
            rest = &rest[end..];
        } else if rest.starts_with("{%") {
            // The close is searched after the open: `{%}` is not a tag.
            match rest[2..].find("%}").map(|i| i + 2) {
                Some(close) => {
                    let inner = rest[2..close].trim().trim_matches('-').trim();
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
                    rest = &rest[close + 2..];
                }
                None => {
                    out.push_str("{%");
                    rest = &rest[2..];
                }
            }
        } else if rest.starts_with("{{") {
            match rest[2..].find("}}").map(|i| i + 2) {
                Some(close) => rest = &rest[close + 2..],
                None => {
                    out.push_str("{{");
                    rest = &rest[2..];
                }
            }
        } else {
            out.push('{');
            rest = &rest[1..];
        }
    }
    out
}

/// `text` without `{% raw %}` and `{% endraw %}` tags (what Jekyll leaves
/// of them, in code as anywhere).
fn drop_raw_tags(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("raw") {
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
}
