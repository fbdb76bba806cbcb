//! YAML front matter: the `---` block at the top of Obsidian and Jekyll notes.

use std::collections::{HashMap, HashSet};

use serde::de::{
    DeserializeSeed, EnumAccess, IgnoredAny, MapAccess, SeqAccess, VariantAccess, Visitor,
};
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
    match block(text) {
        Some((yaml, body, lines)) => (parse(yaml), body, lines),
        None => (FrontMatter::default(), text, 0),
    }
}

/// The YAML of the front matter block at the top of `text`, the body
/// after it and the lines the block takes; `None` when there is none.
fn block(text: &str) -> Option<(&str, &str, usize)> {
    let rest = text.strip_prefix("---\n")?;
    let mut offset = 0;
    for line in crate::scan::split_lines_inclusive(rest) {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Some((yaml, body, 2 + crate::scan::lines(yaml).count()));
        }
        offset += line.len();
    }
    None
}

/// The values of the top-level front matter keys of `text` named in
/// `keys` (Dendron's `{{fm.KEY}}`): a string, number or boolean as text
/// (`null` as the empty text), `None` for a list or a map. A key that is
/// not there is not in the answer. Only these keys are built (every other
/// value is skipped, as in [`split`]); front matter that [`split`] would
/// not read gives nothing.
pub fn scalars(text: &str, keys: &HashSet<String>) -> HashMap<String, Option<String>> {
    let Some((yaml, _, _)) = block(text) else {
        return HashMap::new();
    };
    if keys.is_empty()
        || yaml.len() > MAX_FRONT_MATTER_BYTES
        || flow_nesting(yaml) > MAX_FRONT_MATTER_NESTING
    {
        return HashMap::new();
    }
    Wanted(keys)
        .deserialize(serde_yaml_ng::Deserializer::from_str(yaml))
        .unwrap_or_default()
}

/// Reads the top-level map, keeping the values of the wanted keys.
struct Wanted<'k>(&'k HashSet<String>);

impl<'de> DeserializeSeed<'de> for Wanted<'_> {
    type Value = HashMap<String, Option<String>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Wanted<'_> {
    type Value = HashMap<String, Option<String>>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a map of front matter keys")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut values = HashMap::new();
        // What is kept stays within the front matter's own limit: aliases of
        // one long anchor under many wanted keys would otherwise multiply it.
        let mut kept = 0usize;
        while let Some(Scalar(key)) = map.next_key::<Scalar>()? {
            match key.filter(|k| self.0.contains(k)) {
                Some(key) => {
                    let Scalar(value) = map.next_value()?;
                    let size = value.as_ref().map_or(0, String::len);
                    kept = kept.saturating_add(size);
                    let value = value.filter(|_| kept <= MAX_FRONT_MATTER_BYTES);
                    values.insert(key, value);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(values)
    }
}

/// A YAML value as text when it is a single value (`null`: the empty
/// text); `None`, without building it, for a list or a map.
struct Scalar(Option<String>);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Scalar, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a front matter value")
    }

    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_owned())))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }

    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar(Some(String::new())))
    }

    fn visit_none<E>(self) -> Result<Scalar, E> {
        Ok(Scalar(Some(String::new())))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Scalar, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar(None))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Scalar, A::Error> {
        // A tagged value (`!tag x`): not one plain value.
        let (IgnoredAny, variant) = data.variant::<IgnoredAny>()?;
        variant.newtype_variant::<IgnoredAny>()?;
        Ok(Scalar(None))
    }
}

/// The keys notedeck reads. Every other key is skipped without being
/// built, so aliases under them are never expanded (a few aliases of a
/// large anchor would otherwise expand quadratically).
#[derive(Deserialize, Default, Debug, PartialEq)]
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
#[derive(Default, Debug, PartialEq)]
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
    let keys: Keys = match simple_keys(yaml).map_or_else(|| serde_yaml_ng::from_str(yaml), Ok) {
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

/// The keys of front matter written the simple way most notes write it,
/// read without the YAML parser: one `key: value` a line, each key once,
/// each value plain words, a quoted string without escapes, or a list of
/// plain words in `[…]`. `None` for anything else (the YAML parser reads
/// it), and for any value YAML would read as other than the text written
/// (`true`, `null`, a number) under a key notedeck reads.
fn simple_keys(yaml: &str) -> Option<Keys> {
    let mut keys = Keys::default();
    let mut seen: Vec<&str> = Vec::new();
    for line in crate::scan::lines(yaml) {
        let line = line.trim_end_matches(' ');
        if line.is_empty() {
            continue;
        }
        let (key, value) = line.split_once(':')?;
        let value = value.strip_prefix(' ')?.trim_start_matches(' ');
        if !is_simple_key(key) || seen.contains(&key) || value.is_empty() {
            return None;
        }
        seen.push(key);
        let read = match key {
            "title" => &mut keys.title,
            "tags" => &mut keys.tags,
            "tag" => &mut keys.tag,
            "notedeck" => &mut keys.notedeck,
            _ => {
                simple_value(value, false)?;
                keys.layout.0 |= key == "layout";
                keys.permalink.0 |= key == "permalink";
                continue;
            }
        };
        *read = Some(simple_value(value, true)?);
    }
    Some(keys)
}

/// A key YAML reads as that text: a letter, then letters, digits, `_`
/// and `-`, and not a word YAML reads as something else.
fn is_simple_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && reads_as_text(key)
}

/// The value of a simple line; `exact` asks for a value YAML reads as the
/// text written (else any value it reads without error will do).
fn simple_value(value: &str, exact: bool) -> Option<Value> {
    if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        let plain = !inner.contains(['"', '\\']) && inner.chars().all(plain_in_quotes);
        return plain.then(|| Value::String(inner.to_owned()));
    }
    if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        let plain = !inner.contains('\'') && inner.chars().all(plain_in_quotes);
        return plain.then(|| Value::String(inner.to_owned()));
    }
    if let Some(items) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        if items.trim_matches(' ').is_empty() {
            return Some(Value::Sequence(Vec::new()));
        }
        let items = items
            .split(',')
            .map(|item| simple_words(item.trim_matches(' '), false, exact))
            .collect::<Option<Vec<_>>>()?;
        return Some(Value::Sequence(items));
    }
    simple_words(value, true, exact)
}

/// A character the YAML parser keeps as it is inside quotes: no control
/// character, none of the line and paragraph separators it folds, none
/// it refuses (U+FFFE, U+FFFF) and no byte-order mark.
fn plain_in_quotes(c: char) -> bool {
    !c.is_control()
        && !matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
}

/// Plain words: a letter (or, where the text need not be exact, a digit)
/// first, then letters, digits, spaces and `.`, `-`, `_`, `/`,
/// `(`, `)` (and `,` outside a list).
fn simple_words(words: &str, commas: bool, exact: bool) -> Option<Value> {
    let first = words.chars().next()?;
    let starts_well = first.is_alphabetic() || (!exact && first.is_ascii_digit());
    let plain = words.chars().all(|c| {
        c.is_alphanumeric()
            || matches!(c, ' ' | '.' | '-' | '_' | '/' | '(' | ')')
            || (commas && c == ',')
    });
    (starts_well && plain && !words.ends_with(' ') && (!exact || reads_as_text(words)))
        .then(|| Value::String(words.to_owned()))
}

/// Not a word YAML reads as a boolean, null or number (in any of the
/// YAML versions' spellings).
fn reads_as_text(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) && lower.parse::<f64>().is_err()
}

/// The deepest nesting of `[` and `{` in `yaml`, quotes and comments
/// aside (a bound from above: a bracket inside a plain scalar counts too).
fn flow_nesting(yaml: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for line in crate::scan::lines(yaml) {
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
    fn scalars_of_the_keys_asked_for() {
        let keys: HashSet<String> = ["title", "n", "ok", "none", "list", "map", "gone", "tagged"]
            .iter()
            .map(|k| (*k).to_owned())
            .collect();
        let text = "---\ntitle: Osmosis\nn: 12.5\nok: true\nnone:\nlist: [a]\nmap: {a: 1}\ntagged: !x y\nother: &big [x, y]\nmore: [*big, *big]\n---\nBody\n";
        let values = scalars(text, &keys);
        let value = |k: &str| values.get(k).cloned();
        assert_eq!(value("title"), Some(Some("Osmosis".to_owned())));
        assert_eq!(value("n"), Some(Some("12.5".to_owned())));
        assert_eq!(value("ok"), Some(Some("true".to_owned())));
        assert_eq!(value("none"), Some(Some(String::new())));
        assert_eq!(value("list"), Some(None));
        assert_eq!(value("map"), Some(None));
        assert_eq!(value("tagged"), Some(None));
        assert_eq!(value("gone"), None);
        assert_eq!(value("other"), None);
        // No front matter, or front matter `split` would not read: nothing.
        assert!(scalars("Body\n", &keys).is_empty());
        let deep = format!("---\ntitle: {}\n---\n", "[".repeat(40));
        assert!(scalars(&deep, &keys).is_empty());
        let long = format!(
            "---\ntitle: x\npad: {}\n---\n",
            "y".repeat(MAX_FRONT_MATTER_BYTES)
        );
        assert!(scalars(&long, &keys).is_empty());
        // Aliases of one long anchor under many wanted keys: what is kept
        // stops at the front matter's own limit.
        let anchor = "z".repeat(30_000);
        let many: HashSet<String> = (0..40).map(|i| format!("k{i}")).collect();
        let aliases: String = (0..40).map(|i| format!("k{i}: *a\n")).collect();
        let text = format!("---\na: &a \"{anchor}\"\n{aliases}---\n");
        let values = scalars(&text, &many);
        let kept: usize = values.values().flatten().map(String::len).sum();
        assert!(kept <= MAX_FRONT_MATTER_BYTES, "{kept}");
        assert_eq!(values.values().filter(|v| v.is_some()).count(), 2);
    }

    /// Pieces of front matter lines: keys notedeck reads and others,
    /// words YAML reads as other than text, quotes, lists, comments.
    const KEYS: &[&str] = &[
        "title",
        "tags",
        "tag",
        "layout",
        "permalink",
        "notedeck",
        "date",
        "Title",
        "a-b",
        "true",
        "null",
        "nan",
        "y",
        "1x",
        "k ",
        " k",
        "k:",
    ];
    const VALUES: &[&str] = &[
        "Plain words",
        "Ünïcode (x)/y",
        "a-b_c.d",
        "a, b",
        "x  y",
        "True",
        "yes",
        "NULL",
        "~",
        "nan",
        "Inf",
        "12",
        "1.0",
        "06",
        "2024-03-19",
        "a: b",
        "a #c",
        "#c",
        "\"q\"",
        "\"a # b: c\"",
        "'s'",
        "'it''s'",
        "\"a\\\"b\"",
        "\"\"",
        "[a, b]",
        "[]",
        "[ ]",
        "[a, ]",
        "[1, x]",
        "[a, [b]]",
        "[a b, c-d]",
        "[no, x]",
        "{a: b}",
        "",
        "- x",
        "&a x",
        "*a",
        "!t x",
        "|",
        ">",
        "x ",
        "é",
        "[\"q\"]",
        "false",
        "Off",
        "\"a\u{2028}b\"",
        "'\u{fffe}'",
        "\"\u{85}\"",
        "\"\u{feff}x\"",
        "'\u{a0}'",
        "\"\u{9f}\"",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16_384))]

        /// Front matter read without the YAML parser gives the keys the
        /// parser gives.
        #[test]
        fn simple_front_matter_reads_as_the_yaml_parser_reads_it(
            lines in proptest::collection::vec(
                (0..KEYS.len() * 3, 0..VALUES.len() * 3, 0..16u8), 1..6)
        ) {
            // The first keys and values (most read the simple way) come up
            // more often.
            let pick = |i: usize, all: usize, first: usize| if i < all { i } else { i % first };
            let yaml: String = lines
                .iter()
                .map(|&(k, v, shape)| (pick(k, KEYS.len(), 7), pick(v, VALUES.len(), 30), shape))
                .map(|(k, v, shape)| match shape {
                    0 => format!("{}:{}\n", KEYS[k], VALUES[v]),
                    1 => format!("  {}: {}\n", KEYS[k], VALUES[v]),
                    2 => "\n".to_owned(),
                    3 => format!("# {}\n", VALUES[v]),
                    _ => format!("{}: {}\n", KEYS[k], VALUES[v]),
                })
                .collect();
            if let Some(simple) = simple_keys(&yaml) {
                let parsed: Keys = serde_yaml_ng::from_str(&yaml)
                    .map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
                proptest::prop_assert_eq!(simple, parsed, "{}", yaml);
            }
        }
    }

    #[test]
    fn the_usual_front_matter_is_read_without_the_parser() {
        let yaml = "layout: post\ntitle: \"A note\"\ndate: 2024-03-19\ncategories: [card, x]\ntags: [bench, t6]\n";
        let keys = simple_keys(yaml).expect("simple");
        assert_eq!(keys.title, Some(Value::String("A note".to_owned())));
        assert!(keys.layout.0 && !keys.permalink.0);
        assert_eq!(serde_yaml_ng::from_str::<Keys>(yaml).expect("yaml"), keys);
        assert!(simple_keys("title: true\n").is_none());
        assert!(simple_keys("title: x\ntitle: y\n").is_none());
    }

    #[test]
    fn no_front_matter() {
        let (fm, body, lines) = split("# Heading\n---\n");
        assert_eq!(fm, FrontMatter::default());
        assert_eq!(body, "# Heading\n---\n");
        assert_eq!(lines, 0);
    }
}
