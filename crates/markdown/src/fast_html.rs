//! The sanitiser's output without running the sanitiser, where it has
//! nothing to remove.
//!
//! Card HTML is made safe by ammonia ([`super::render::sanitize`]), which
//! parses the HTML again into a DOM, filters it and serialises it: most of
//! an import's parsing time. A section whose Markdown holds no raw HTML and
//! embeds no other note is made only of pulldown-cmark's events and
//! notedeck's own fixed markup. For such a section, [`prepare`] turns the
//! events into ones whose HTML is, byte for byte, what the sanitiser would
//! have produced: text and attribute values escaped as html5ever
//! serialises them, void elements without a slash, every link given
//! `rel="noopener noreferrer"`, and link or image addresses the sanitiser
//! refuses dropped by the sanitiser's own rule. Anything it is not sure of
//! (an unusual code language, deep nesting) sends the section to the
//! sanitiser instead.
//!
//! The equivalence is checked, not assumed: a test renders every fixture
//! note both ways, a property test does the same for random Markdown, the
//! fuzz target compares both on every input, and [`super::audit`] checks
//! the result independently.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};

use super::render::escape_text;

/// Elements open at once beyond which the sanitiser's own handling (and
/// the nesting cap) decides.
const MAX_DEPTH: usize = 64;

/// The link schemes the sanitiser keeps (ammonia's defaults).
const URL_SCHEMES: &[&str] = &[
    "bitcoin",
    "ftp",
    "ftps",
    "geo",
    "http",
    "https",
    "im",
    "irc",
    "ircs",
    "magnet",
    "mailto",
    "mms",
    "mx",
    "news",
    "nntp",
    "openpgp4fpr",
    "sip",
    "sms",
    "smsto",
    "ssh",
    "tel",
    "url",
    "webcal",
    "wtai",
    "xmpp",
];

/// Rewrites `events` (after notedeck's own rewriting, which holds no raw
/// HTML from the note) so that pulldown-cmark's HTML writer produces the
/// sanitiser's output; `None` when the section needs the sanitiser.
pub fn prepare<'a>(events: &[Event<'a>]) -> Option<Vec<Event<'a>>> {
    let mut out = Vec::with_capacity(events.len());
    // The elements open, innermost last: a stray or crossed end (which
    // HTML's parser would repair) sends the section to the sanitiser.
    let mut open: Vec<TagEnd> = Vec::new();
    let mut iter = events.iter().cloned();
    while let Some(event) = iter.next() {
        match event {
            // pulldown-cmark escapes `&`, `<` and `>` in text as html5ever
            // does; only the no-break space (and characters HTML's parser
            // changes) need this module's escaping.
            Event::Text(ref text) | Event::Code(ref text) if !needs_escaping(text) => {
                out.push(event)
            }
            Event::Text(text) => out.push(Event::InlineHtml(escaped_text(&text)?.into())),
            Event::Code(text) => out.push(Event::InlineHtml(
                format!("<code>{}</code>", escaped_text(&text)?).into(),
            )),
            // Written by pulldown-cmark as `<br />` and `<hr />` (it knows
            // where a newline goes first); [`finish`] drops the slash.
            Event::HardBreak | Event::Rule | Event::SoftBreak => out.push(event),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                // HTML's parser closes a link when another one opens.
                if open.contains(&TagEnd::Link) {
                    return None;
                }
                open.push(TagEnd::Link);
                let href = match link_type {
                    LinkType::Email => format!("mailto:{}", href_text(&dest_url)),
                    _ => href_text(&dest_url),
                };
                let mut tag = String::from("<a");
                if url_allowed(&href) {
                    push_attribute(&mut tag, "href", &href);
                }
                if !title.is_empty() {
                    push_attribute(&mut tag, "title", &title);
                }
                tag.push_str(" rel=\"noopener noreferrer\">");
                out.push(Event::InlineHtml(own_markup(tag)?.into()));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let alt = image_alt(&mut iter)?;
                let src = href_text(&dest_url);
                let mut tag = String::from("<img");
                if url_allowed(&src) {
                    push_attribute(&mut tag, "src", &src);
                }
                push_attribute(&mut tag, "alt", &alt);
                if !title.is_empty() {
                    push_attribute(&mut tag, "title", &title);
                }
                tag.push('>');
                out.push(Event::InlineHtml(own_markup(tag)?.into()));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if !plain_language(&info) => {
                return None;
            }
            Event::Start(Tag::Heading {
                ref id,
                ref classes,
                ref attrs,
                ..
            }) if id.is_some() || !classes.is_empty() || !attrs.is_empty() => {
                return None;
            }
            Event::Start(ref tag) => {
                open.push(tag.to_end());
                if open.len() > MAX_DEPTH {
                    return None;
                }
                out.push(event);
            }
            Event::End(end) => {
                if open.pop() != Some(end) {
                    return None;
                }
                out.push(event);
            }
            // notedeck's own markup, written in the sanitiser's form.
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                if has_void_slash(html) {
                    return None;
                }
                out.push(event);
            }
            // Anything else (math, footnotes, task boxes were rewritten
            // before): let the sanitiser decide.
            _ => return None,
        }
    }
    open.is_empty().then_some(out)
}

/// Appends ` name="value"` to an open tag, the value escaped.
fn push_attribute(tag: &mut String, name: &str, value: &str) {
    tag.push(' ');
    tag.push_str(name);
    tag.push_str("=\"");
    super::render::push_escaped_attr(tag, value);
    tag.push('"');
}

/// The HTML pulldown-cmark wrote for events from [`prepare`], with void
/// elements in the sanitiser's form, table alignment as classes and no
/// empty paragraph (which an embed inside a paragraph leaves), its end
/// trimmed. What is to be rewritten is found in one pass over the tags.
pub fn finish(mut html: String) -> String {
    let found = Rewrites::of(&html);
    if found.void_slash {
        html = html.replace("<br />", "<br>").replace("<hr />", "<hr>");
    }
    if found.alignment {
        super::render::alignment_classes(&mut html);
    }
    html.truncate(html.trim_end().len());
    if found.empty_paragraph {
        html = html.replace("<p></p>", "");
    }
    html
}

/// What [`finish`] rewrites in HTML pulldown-cmark wrote.
#[derive(Debug, Default, PartialEq)]
struct Rewrites {
    /// `<br />` or `<hr />`.
    void_slash: bool,
    /// A table cell aligned by a `style` attribute.
    alignment: bool,
    /// `<p></p>`.
    empty_paragraph: bool,
}

impl Rewrites {
    /// Looks at each `<` once (one search for each rewrite looked at the
    /// text three times over).
    fn of(html: &str) -> Rewrites {
        let mut found = Rewrites::default();
        for at in memchr::memchr_iter(b'<', html.as_bytes()) {
            let tag = &html.as_bytes()[at..];
            match tag.get(1) {
                Some(b'b') => found.void_slash |= tag.starts_with(b"<br />"),
                Some(b'h') => found.void_slash |= tag.starts_with(b"<hr />"),
                Some(b't') => {
                    found.alignment |= tag.starts_with(b"<th style=\"text-align: ")
                        || tag.starts_with(b"<td style=\"text-align: ")
                }
                Some(b'p') => found.empty_paragraph |= tag.starts_with(b"<p></p>"),
                _ => {}
            }
        }
        found
    }
}

/// True when `html` holds pulldown-cmark's form of a void element, which
/// [`finish`] rewrites: markup of notedeck's that holds it (inside an
/// attribute value) sends the section to the sanitiser instead.
fn has_void_slash(html: &str) -> bool {
    Rewrites::of(html).void_slash
}

/// A tag this module wrote, unless it would confuse [`finish`].
fn own_markup(tag: String) -> Option<String> {
    (!has_void_slash(&tag)).then_some(tag)
}

/// The alt text of an image, collected as pulldown-cmark's writer does,
/// up to the image's end.
fn image_alt<'a>(iter: &mut impl Iterator<Item = Event<'a>>) -> Option<String> {
    let mut alt = String::new();
    let mut nested = 0usize;
    for event in iter.by_ref() {
        match event {
            Event::Start(_) => nested += 1,
            Event::End(_) if nested == 0 => return Some(alt),
            Event::End(_) => nested -= 1,
            Event::Html(_) => {}
            Event::InlineHtml(text) | Event::Code(text) | Event::Text(text) => alt.push_str(&text),
            Event::InlineMath(text) => {
                alt.push('$');
                alt.push_str(&text);
                alt.push('$');
            }
            Event::DisplayMath(text) => {
                alt.push_str("$$");
                alt.push_str(&text);
                alt.push_str("$$");
            }
            Event::SoftBreak | Event::HardBreak | Event::Rule => alt.push(' '),
            Event::TaskListMarker(done) => alt.push_str(if done { "[x]" } else { "[ ]" }),
            // Numbered by the writer's own count: the sanitiser decides.
            Event::FootnoteReference(_) => return None,
        }
    }
    None
}

/// A fenced code block's language that every escaping writes the same.
fn plain_language(info: &CowStr<'_>) -> bool {
    info.split(' ')
        .next()
        .unwrap_or("")
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '.' | '#'))
}

/// An address as pulldown-cmark writes it into `href` (before the
/// attribute's own escaping).
fn href_text(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_href(pulldown_cmark_escape::FmtWriter(&mut out), url);
    // Most addresses hold no `&` or `'`: nothing to decode, nothing copied.
    if out.contains('&') {
        decode_entities(&out)
    } else {
        out
    }
}

/// `escape_href` writes `&` as `&amp;` and `'` as `&#x27;`; the sanitiser
/// sees the attribute's decoded value.
fn decode_entities(text: &str) -> String {
    text.replace("&#x27;", "'").replace("&amp;", "&")
}

/// The sanitiser's rule for `href` and `src`: an absolute address with an
/// allowed scheme, or a relative one.
fn url_allowed(value: &str) -> bool {
    // Without a `:` there is no scheme: the URL parser can only answer
    // "relative" (most links in notes are, and parsing is most of this).
    if !value.contains(':') {
        return true;
    }
    if is_plain_web_address(value) {
        return true;
    }
    match url::Url::parse(value) {
        Ok(url) => URL_SCHEMES.contains(&url.scheme()),
        Err(url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}

/// An `http://` or `https://` address whose host is plain DNS labels
/// (lowercase letters, digits and `-`; none `xn--`, which the URL parser
/// decodes, and the last beginning with a letter, so it is no IPv4
/// number) followed by nothing or by a path, query or fragment: the URL
/// parser accepts every such address (it only encodes the rest), so the
/// answer is known without parsing it.
fn is_plain_web_address(value: &str) -> bool {
    let Some(rest) = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
    else {
        return false;
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    let labels_plain = host.split('.').all(|label| {
        !label.is_empty()
            && !label.starts_with("xn--")
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    });
    let last_is_name = host
        .rsplit('.')
        .next()
        .is_some_and(|last| last.starts_with(|c: char| c.is_ascii_lowercase()));
    labels_plain && last_is_name
}

/// True when `text` holds a character pulldown-cmark's text escaping
/// leaves as it is but the sanitiser would not.
fn needs_escaping(text: &str) -> bool {
    // Byte searches (the characters in one pass were decoded one by one).
    crate::scan::find_ascii(text, b"\r\0\x0c").is_some() || text.contains('\u{a0}')
}

/// Text escaped as html5ever serialises it; `None` for characters its
/// parser would change (which the sanitiser path then handles).
fn escaped_text(text: &str) -> Option<String> {
    crate::scan::find_ascii(text, b"\r\0\x0c")
        .is_none()
        .then(|| escape_text(text))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::scan::Substring;

    proptest! {
        /// The one pass over the tags finds what a search for each
        /// rewrite finds.
        #[test]
        fn rewrites_are_found_as_each_search_finds_them(
            pieces in prop::collection::vec(prop_oneof![
                Just("<br />"), Just("<br>"), Just("<hr />"), Just("<p></p>"), Just("<p>"),
                Just("</p>"), Just("<th style=\"text-align: left\">"),
                Just("<td style=\"text-align: right\">"), Just("<td>"), Just("<t"), Just("<"),
                Just("text"), Just(" style=\"text-align: "), Just("\n"),
            ], 0..12)
        ) {
            let html = pieces.concat();
            let found = super::Rewrites::of(&html);
            prop_assert_eq!(found, super::Rewrites {
                void_slash: html.has("<br />") || html.has("<hr />"),
                alignment: html.has("<th style=\"text-align: ")
                    || html.has("<td style=\"text-align: "),
                empty_paragraph: html.has("<p></p>"),
            });
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        /// A plain web address is one the URL parser accepts with its
        /// scheme allowed: hosts of letters, digits, dots, hyphens and
        /// what else a host can hold, then paths, ports and the like.
        #[test]
        fn plain_web_addresses_parse_as_allowed(
            scheme in prop_oneof![
                Just("http://"), Just("https://"), Just("HTTP://"), Just("http:/"),
                Just("http:"), Just("https:///"), Just(" http://"), Just("ftp://"),
            ],
            host in prop::collection::vec(prop_oneof![
                Just("a"), Just("z9"), Just("0"), Just("12"), Just("-"), Just("."), Just("xn--"),
                Just("xn--abc"), Just("0x"), Just("0x1f"), Just("ab"), Just("%41"), Just("@"),
                Just(":"), Just("["), Just("]"), Just("\\"), Just(" "), Just("\t"), Just("é"),
                Just("_"), Just("A"), Just("^"), Just("|"), Just("<"),
            ], 0..6),
            tail in prop_oneof![
                Just(""), Just("/"), Just("/a b"), Just("?q=1&r"), Just("#f"), Just(":80/"),
                Just(":x"), Just("\\x"), Just("/\u{0}"), Just("/é"),
            ],
        ) {
            let value = format!("{scheme}{}{tail}", host.concat());
            if super::is_plain_web_address(&value) {
                let parsed = url::Url::parse(&value);
                prop_assert!(parsed.is_ok(), "{value}: {parsed:?}");
                prop_assert!(super::URL_SCHEMES.contains(&parsed.unwrap().scheme()));
            }
        }
    }

    #[test]
    fn usual_links_are_plain_web_addresses() {
        for plain in [
            "https://example.org/learning/2214",
            "http://a-b.c0.io?x#y",
            "https://x.dev",
        ] {
            assert!(super::is_plain_web_address(plain), "{plain}");
        }
        for other in [
            "https://1.2.3.4/",
            "https://xn--a.org",
            "https://a..b",
            "https://a:80",
            "https://A.org",
        ] {
            assert!(!super::is_plain_web_address(other), "{other}");
        }
    }

    proptest! {
        /// A value without `:` is allowed without parsing it, as parsing
        /// it would say (relative).
        #[test]
        fn values_without_a_colon_parse_as_relative(value in "[ -9;-~\t\n\u{0}\u{1f}é]{0,30}") {
            prop_assert!(!value.contains(':'));
            prop_assert_eq!(
                url::Url::parse(&value).err(),
                Some(url::ParseError::RelativeUrlWithoutBase)
            );
            prop_assert!(super::url_allowed(&value));
        }
    }

    /// Pieces of Markdown, HTML-looking text, links, Obsidian syntax and
    /// characters the two escapings could treat differently.
    const PIECES: &[&str] = &[
        "a",
        "word ",
        " ",
        "\n",
        "\n\n",
        "  \n",
        "*",
        "**",
        "_",
        "`",
        "```rust\n",
        "```\n",
        "~~",
        "==",
        "#",
        "## ",
        "- ",
        "1. ",
        "3) ",
        "> ",
        "> [!note] ",
        "> [!tip]- ",
        "| a | b |\n",
        "|---|:-:|\n",
        "---\n",
        "***",
        "[",
        "]",
        "(",
        ")",
        "[x](http://e.org/a?b=1&c=\"2\")",
        "[y](javascript:alert(1))",
        "[z](<a b>)",
        "<https://e.org>",
        "<me@e.org>",
        "![i](http://e.org/i.png \"t\")",
        "![](data:x)",
        "[[Note]]",
        "[[A|b]]",
        "![[pic.png]]",
        "&",
        "&amp;",
        "&#x27;",
        "<",
        ">",
        "\"",
        "'",
        "\u{a0}",
        "é",
        "→",
        "\\",
        "$x$",
        "$$y$$",
        "[^1]",
        "\n[^1]: foot\n",
        "- [ ] ",
        "- [x] ",
        "\t",
        "title=\"",
        "%20",
        "<br />",
        "<hr />",
        "[r]: http://e.org \"T\"\n",
        "[r]",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Any mix of the pieces: the fast path writes the sanitiser's
        /// HTML (or hands the section to the sanitiser), and the result
        /// passes the audit.
        #[test]
        fn the_fast_path_writes_what_the_sanitiser_would(
            picks in proptest::collection::vec(0..PIECES.len(), 0..60)
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            crate::audit::audit_note(format!("## Heading\n\n{text}").as_bytes());
        }
    }
}
