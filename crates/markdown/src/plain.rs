//! Card HTML as plain text: for the card doctor's measures and the search
//! index.

/// Card HTML as plain text: tags out, entities decoded, whitespace folded.
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = crate::scan::find_ascii(rest, b"<") {
        out.push_str(&rest[..at]);
        let end = crate::scan::find_ascii(&rest[at..], b">").map_or(rest.len(), |e| at + e + 1);
        // Block ends separate words and sentences.
        let tag = &rest[at..end];
        if tag.starts_with("</p")
            || tag.starts_with("<br")
            || tag.starts_with("</li")
            || tag.starts_with("</h")
        {
            out.push('\n');
        } else {
            out.push(' ');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    // Each line's white space folded to single spaces, lines with no word
    // left out, written into one string.
    let decoded = decode(&out);
    let mut folded = String::with_capacity(decoded.len());
    for line in decoded.lines() {
        let mut words = line.split_whitespace();
        if let Some(first) = words.next() {
            if !folded.is_empty() {
                folded.push('\n');
            }
            folded.push_str(first);
            for word in words {
                folded.push(' ');
                folded.push_str(word);
            }
        }
    }
    folded
}

/// `text` with the entities card HTML uses decoded.
pub fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Card HTML without its leading breadcrumb (the note and headings above).
pub fn without_breadcrumb(html: &str) -> &str {
    const OPEN: &str = "<div class=\"breadcrumb\">";
    match html
        .strip_prefix(OPEN)
        .and_then(|rest| rest.split_once("</div>"))
    {
        Some((_, after)) => after,
        None => html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_card_html() {
        assert_eq!(
            text_of("<p>A &amp; B</p><ul><li>one</li><li>two</li></ul>"),
            "A & B\none\ntwo"
        );
    }

    /// The folding of [`text_of`] as it was written first.
    fn fold_lines_by_collecting(text: &str) -> String {
        text.lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }

    proptest::proptest! {
        #[test]
        fn lines_fold_as_they_did(text in "[ a-z\t\n\r\x0b\u{a0}\u{3000}]{0,60}") {
            // No tags and no entities: `text_of` only folds.
            proptest::prop_assert_eq!(text_of(&text), fold_lines_by_collecting(&text));
        }
    }

    #[test]
    fn the_breadcrumb_comes_off() {
        assert_eq!(
            without_breadcrumb("<div class=\"breadcrumb\">a › b</div><div class=\"front\">Q</div>"),
            "<div class=\"front\">Q</div>"
        );
        assert_eq!(without_breadcrumb("<p>x</p>"), "<p>x</p>");
    }
}
