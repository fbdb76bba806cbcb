//! An Anki field's HTML as one line of Markdown: bold and italics become
//! `**`/`*`, images Markdown images (their names rewritten to where the
//! media were copied), `[sound:…]` an image link to the file (an audio
//! player), MathJax `\(…\)` and
//! `\[…\]` notedeck's `$…$` and `$$…$$`, line and block breaks `<br>`; what
//! has no lossless Markdown form on one line (lists, tables, underline,
//! sub- and superscript) stays as inline HTML, which the importer
//! sanitises as it does any note's. Everything else (spans, fonts, styles,
//! scripts) is dropped, its text kept. Characters Markdown would read as
//! markup are escaped, so the text shows as Anki showed it.

/// Tags kept as they are (without attributes): their meaning has no
/// one-line Markdown form.
const KEPT: &[&str] = &[
    "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th", "u", "sub", "sup", "code", "pre",
];

/// Tags whose content is dropped with them.
const DROPPED_WITH_CONTENT: &[&str] = &["script", "style", "head", "title", "iframe", "object"];

/// Converts one field; `media` maps a media name to its path as written
/// into the note (`None`: not in the package, kept as named).
pub fn to_markdown(html: &str, media: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut skipping: Option<String> = None;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let end = after.find('>').map_or(after.len(), |e| e + 1);
            let tag = &after[..end.saturating_sub(1).min(after.len())];
            rest = &after[end.min(after.len())..];
            let (closing, name, attributes) = parse_tag(tag);
            if let Some(until) = &skipping {
                if closing && name == *until {
                    skipping = None;
                }
                continue;
            }
            if tag.starts_with("!--") {
                continue;
            }
            if DROPPED_WITH_CONTENT.contains(&name.as_str()) && !closing {
                skipping = Some(name);
                continue;
            }
            match name.as_str() {
                "b" | "strong" => out.push_str("**"),
                "i" | "em" => out.push('*'),
                "br" => out.push_str("<br>"),
                // A block starts and ends a line of its own.
                "div" | "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote"
                    if !out.trim().is_empty() && !out.ends_with("<br>") =>
                {
                    out.push_str("<br>");
                }
                "div" | "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" => {}
                "img" if !closing => {
                    if let Some(src) = attribute(attributes, "src") {
                        let src = decode_entities(&src);
                        let path = media(&src).unwrap_or(src);
                        out.push_str(&format!("![]({})", link_target(&path)));
                    }
                }
                "a" => {}
                kept if KEPT.contains(&kept) => {
                    out.push('<');
                    if closing {
                        out.push('/');
                    }
                    out.push_str(kept);
                    out.push('>');
                }
                _ => {}
            }
            continue;
        }
        if skipping.is_some() {
            let next = rest.find('<').unwrap_or(rest.len());
            rest = &rest[next..];
            continue;
        }
        let next = rest.find('<').unwrap_or(rest.len());
        out.push_str(&text(&rest[..next], media));
        rest = &rest[next..];
    }
    let trimmed = out.trim();
    let trimmed = trimmed.trim_end_matches("<br>").trim_start_matches("<br>");
    trimmed.trim().to_owned()
}

/// A tag's name (lower case), whether it closes, and its attributes.
fn parse_tag(tag: &str) -> (bool, String, &str) {
    let tag = tag.trim_end_matches('/').trim();
    let (closing, tag) = match tag.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, tag),
    };
    let name_end = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
    (
        closing,
        tag[..name_end].to_ascii_lowercase(),
        &tag[name_end..],
    )
}

/// An attribute's value (quoted or not).
fn attribute(attributes: &str, name: &str) -> Option<String> {
    let lower = attributes.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let after = attributes[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value = after[1..].trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or("").to_owned(),
            _ => value
                .split(|c: char| c.is_whitespace())
                .next()
                .unwrap_or("")
                .to_owned(),
        });
    }
    None
}

/// A link target Markdown reads whole (spaces and parentheses in a name).
fn link_target(path: &str) -> String {
    if path.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", path.replace(['<', '>'], ""))
    } else {
        path.to_owned()
    }
}

/// Text between tags: entities kept (Markdown renders them), sounds as
/// links, MathJax as notedeck's math, markup characters escaped.
fn text(raw: &str, media: &dyn Fn(&str) -> Option<String>) -> String {
    let raw = raw.replace("&nbsp;", " ").replace(['\n', '\r'], " ");
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw.as_str();
    'text: while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("[sound:") {
            if let Some(end) = after.find(']') {
                let name = decode_entities(&after[..end]);
                let path = media(&name).unwrap_or_else(|| name.clone());
                // An image link to a sound is notedeck's audio player.
                out.push_str(&format!("![{}]({})", escape(&name), link_target(&path)));
                rest = &after[end + 1..];
                continue;
            }
        }
        for (open, close, fence) in [("\\(", "\\)", "$"), ("\\[", "\\]", "$$")] {
            if let Some(after) = rest.strip_prefix(open) {
                if let Some(end) = after.find(close) {
                    out.push_str(fence);
                    out.push_str(after[..end].trim());
                    out.push_str(fence);
                    rest = &after[end + close.len()..];
                    continue 'text;
                }
            }
        }
        let Some(c) = rest.chars().next() else {
            break;
        };
        rest = &rest[c.len_utf8()..];
        let doubled = matches!(c, '=' | '~') && rest.starts_with(c);
        if matches!(c, '*' | '_' | '`' | '[' | ']' | '#' | '$' | '\\') || doubled {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `&amp;`-style entities a media name may hold, decoded.
fn decode_entities(text: &str) -> String {
    text.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Markup characters escaped (for a name shown as link text).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '_' | '`' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        to_markdown(html, &|name| Some(format!("media/{name}")))
    }

    #[test]
    fn formatting_breaks_and_media_become_one_line_of_markdown() {
        assert_eq!(md("<b>Bold</b> and <i>it</i>"), "**Bold** and *it*");
        assert_eq!(md("one<br>two<div>three</div>"), "one<br>two<br>three");
        assert_eq!(md("<div>a</div><div>b</div>"), "a<br>b");
        assert_eq!(md(r#"<img src="cell.png">"#), "![](media/cell.png)");
        assert_eq!(md(r#"<img src="my cell.png">"#), "![](<media/my cell.png>)");
        assert_eq!(md("[sound:hola.mp3]"), "![hola.mp3](media/hola.mp3)");
        assert_eq!(md("<ul><li>x</li></ul>"), "<ul><li>x</li></ul>");
        assert_eq!(
            md(r#"<span style="color:red">red</span> &amp; 2*3"#),
            r"red &amp; 2\*3"
        );
        assert_eq!(md("<script>alert(1)</script>safe"), "safe");
        assert_eq!(md(r"\(x^2\) and \[y\]"), "$x^2$ and $$y$$");
        assert_eq!(md("a_b [c]"), r"a\_b \[c\]");
    }
}
