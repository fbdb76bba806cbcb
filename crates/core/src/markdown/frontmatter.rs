//! YAML front matter: the `---` block at the top of Obsidian and Jekyll notes.

use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};
use serde_yaml_ng::Value;

/// What notedeck reads from a note's front matter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// `title:`, when present and not empty.
    pub title: Option<String>,
    /// `tags:` (a list, or a string split on commas and spaces), without `#`.
    pub tags: Vec<String>,
    /// Set when the block was there but was not valid YAML.
    pub error: Option<String>,
    /// `layout` or `permalink` is set: a Jekyll page or post.
    pub jekyll: bool,
    /// `notedeck: false`: the author wants no cards from this note.
    pub no_cards: bool,
}

/// Splits `text` into its front matter and the body after it.
///
/// Returns the parsed front matter, the body, and the number of lines the
/// front matter took (so body line numbers can be mapped back to the file).
pub fn split(text: &str) -> (FrontMatter, &str, usize) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return (FrontMatter::default(), text, 0);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let lines = 2 + yaml.lines().count();
            return (parse(yaml), body, lines);
        }
        offset += line.len();
    }
    (FrontMatter::default(), text, 0)
}

/// The keys notedeck reads. Every other key is skipped without being
/// built, so aliases under them are never expanded (a few aliases of a
/// large anchor would otherwise expand quadratically).
#[derive(Deserialize, Default)]
#[serde(default)]
struct Keys {
    title: Option<Value>,
    tags: Option<Value>,
    tag: Option<Value>,
    layout: Present,
    permalink: Present,
    notedeck: Option<Value>,
}

/// Whether a key is there at all (with any value, `null` included).
#[derive(Default)]
struct Present(bool);

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Present, D::Error> {
        IgnoredAny::deserialize(deserializer).map(|_| Present(true))
    }
}

/// Front matter longer than this is not read (real front matter is a few
/// lines; the YAML parser's time grows faster than the text's length).
pub const MAX_FRONT_MATTER_BYTES: usize = 64 << 10;

/// The deepest nesting of `[` and `{` front matter may have.
pub const MAX_FRONT_MATTER_NESTING: usize = 32;

fn parse(yaml: &str) -> FrontMatter {
    if yaml.trim().is_empty() {
        return FrontMatter::default();
    }
    let refused = |why: String| FrontMatter {
        error: Some(format!("front matter not read: {why}")),
        ..FrontMatter::default()
    };
    if yaml.len() > MAX_FRONT_MATTER_BYTES {
        return refused(format!(
            "it is longer than {} KB",
            MAX_FRONT_MATTER_BYTES >> 10
        ));
    }
    if flow_nesting(yaml) > MAX_FRONT_MATTER_NESTING {
        return refused(format!(
            "it nests `[` or `{{` more than {MAX_FRONT_MATTER_NESTING} deep"
        ));
    }
    let keys: Keys = match serde_yaml_ng::from_str(yaml) {
        Ok(keys) => keys,
        // Front matter that is a list or a single value holds none of
        // the keys (as before: nothing read, nothing wrong).
        Err(err) if err.to_string().starts_with("invalid type") => Keys::default(),
        Err(err) => {
            return FrontMatter {
                error: Some(format!("front matter is not valid YAML ({err})")),
                ..FrontMatter::default()
            }
        }
    };
    let title = keys
        .title
        .as_ref()
        .and_then(scalar_text)
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    let mut tags = Vec::new();
    for value in [&keys.tags, &keys.tag] {
        match value {
            Some(Value::Sequence(items)) => {
                tags.extend(items.iter().filter_map(scalar_text));
            }
            Some(other) => {
                if let Some(text) = scalar_text(other) {
                    tags.extend(
                        text.split([',', ' '])
                            .filter(|t| !t.is_empty())
                            .map(str::to_owned),
                    );
                }
            }
            None => {}
        }
    }
    let tags = tags
        .into_iter()
        .map(|t| t.trim().trim_start_matches('#').to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    let jekyll = keys.layout.0 || keys.permalink.0;
    let no_cards = matches!(keys.notedeck, Some(Value::Bool(false)))
        || keys
            .notedeck
            .as_ref()
            .and_then(scalar_text)
            .is_some_and(|t| matches!(t.trim(), "false" | "no" | "off"));
    FrontMatter {
        title,
        tags,
        error: None,
        jekyll,
        no_cards,
    }
}

/// The deepest nesting of `[` and `{` in `yaml`, quotes and comments
/// aside (a bound from above: a bracket inside a plain scalar counts too).
fn flow_nesting(yaml: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for line in yaml.lines() {
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match (quote, c) {
                (Some(q), _) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    deepest
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_tags_and_body() {
        let (fm, body, lines) = split("---\ntitle: My note\ntags:\n  - a\n  - '#b'\n---\nBody\n");
        assert_eq!(fm.title.as_deref(), Some("My note"));
        assert_eq!(fm.tags, ["a", "b"]);
        assert_eq!(body, "Body\n");
        assert_eq!(lines, 6);
    }

    #[test]
    fn string_tags_and_empty_values() {
        let (fm, _, _) = split("---\ntitle:\ntags: ML, notes\nurl:\n---\n");
        assert_eq!(fm.title, None);
        assert_eq!(fm.tags, ["ML", "notes"]);
    }

    #[test]
    fn broken_yaml_is_reported_not_fatal() {
        let (fm, body, _) = split("---\ntitle: [unclosed\n---\ntext");
        assert!(fm.error.is_some());
        assert_eq!(body, "text");
    }

    #[test]
    fn keys_notedeck_ignores_are_not_built() {
        // Aliases of a large anchor under other keys once expanded into
        // millions of values; now they are skipped.
        let anchor = "x,".repeat(20_000);
        let aliases = "*a,".repeat(7_000);
        let text = format!("---\ntitle: T\na: &a [{anchor}]\nb: [{aliases}]\n---\nBody\n");
        let (fm, body, _) = split(&text);
        assert_eq!(fm.title.as_deref(), Some("T"));
        assert_eq!(fm.error, None);
        assert_eq!(body, "Body\n");
        // Empty Jekyll keys still mark a Jekyll page; a list is no error.
        assert!(split("---\nlayout:\n---\n").0.jekyll);
        assert_eq!(split("---\n- a\n- b\n---\n").0, FrontMatter::default());
        // Nesting without end, read or skipped, stops at the parser's depth
        // limit with an error, never at the end of the stack.
        const STACK: usize = 256 << 10;
        for deep in [
            format!("---\n{}\n---\n", "[".repeat(100_000)),
            format!("---\nx: {}y\n---\n", "{a: ".repeat(100_000)),
            format!("---\ntitle: {}y\n---\n", "{a: ".repeat(10_000)),
            format!("---\ntitle: {}y\n---\n", "{a: ".repeat(33)),
        ] {
            let deep = std::thread::Builder::new()
                .stack_size(STACK)
                .spawn(move || split(&deep).0)
                .expect("thread")
                .join()
                .expect("no overflow");
            assert_eq!(deep.title, None);
            assert!(deep
                .error
                .expect("refused")
                .starts_with("front matter not read"));
        }
        let nested = "---\ntitle: T\nx: {a: [1, {b: \"[[[[\"}]} # [[[[\n---\n";
        assert_eq!(split(nested).0.title.as_deref(), Some("T"));
    }

    #[test]
    fn no_front_matter() {
        let (fm, body, lines) = split("# Heading\n---\n");
        assert_eq!(fm, FrontMatter::default());
        assert_eq!(body, "# Heading\n---\n");
        assert_eq!(lines, 0);
    }
}
