//! The card browser's search language, parsed into a typed query (storage
//! turns it into SQL and an FTS5 match).
//!
//! A query is terms separated by spaces; a card must match every term. A
//! term is a word (matched as a word prefix, case and accents aside, in the
//! front, back, headings, note path and note tags), a `"quoted phrase"`,
//! or a field: `deck:NAME` (with its sub-decks), `tag:TAG` (note tags and
//! notedeck tags), `note:TEXT` (in the note's path),
//! `state:new|learning|young|mature|suspended|buried|leech|retired`,
//! `due:<N` / `due:<=N` / `due:N` (due within N days from today; `due:<0`
//! is overdue), `lapses:>N` / `lapses:>=N` / `lapses:N`. A `-` before a
//! term negates it. Field values may be quoted (`deck:"Biology 101"`).
//!
//! What one query may ask is bounded, so that its work is too: at most
//! [`MAX_QUERY_CHARS`] characters and [`MAX_TERMS`] terms, at most
//! [`MAX_WORDS`] words of text in all (a word ends at any character that is
//! not a letter or digit, so `w.w.w` is three), of which at most
//! [`MAX_SHORT_PREFIXES`] of one or two characters outside quotes (each
//! matches every indexed word it begins), and numbers within each field's
//! range ([`MAX_DUE_DAYS`], [`MAX_LAPSES`]). A search the collection's
//! contents make slow all the same can be stopped from outside
//! (`Collection::stoppable`; the API gives every search a time budget).

/// Where and why a query could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// The character position (1-based) the problem starts at.
    pub position: usize,
    /// What is wrong and what to write instead.
    pub message: String,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "search, at character {}: {}",
            self.position, self.message
        )
    }
}

/// A parsed query: every term must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// The terms, in the order written.
    pub terms: Vec<Term>,
}

/// One term, perhaps negated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// True for `-term`.
    pub negated: bool,
    /// What the term asks for.
    pub filter: Filter,
}

/// What one term asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// A word (prefix) or phrase in the card's text.
    Text {
        /// The words, lower-cased as typed.
        words: Vec<String>,
        /// True for a quoted phrase (the words in order, each whole).
        phrase: bool,
    },
    /// In this deck or one of its sub-decks.
    Deck(String),
    /// Carrying this note tag or notedeck tag.
    Tag(String),
    /// The note's path contains this text.
    Note(String),
    /// In this state.
    State(StateFilter),
    /// Due within this many days from today (inclusive bound).
    DueWithin(i64),
    /// Forgotten at least this many times.
    LapsesAtLeast(i64),
    /// Forgotten exactly this many times.
    LapsesExactly(i64),
    /// Answered below 3 on this day (custom study; not in the language).
    FailedOn(chrono::NaiveDate),
}

/// The states `state:` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFilter {
    /// Never answered.
    New,
    /// Answered, not yet passed twice.
    Learning,
    /// On long intervals, under 21 days.
    Young,
    /// On intervals of 21 days or more.
    Mature,
    /// Suspended.
    Suspended,
    /// Buried (until a day still to come).
    Buried,
    /// Tagged `leech`.
    Leech,
    /// Its section left the note.
    Retired,
}

impl StateFilter {
    /// Every state name, as written in queries.
    pub const NAMES: &'static [&'static str] = &[
        "new",
        "learning",
        "young",
        "mature",
        "suspended",
        "buried",
        "leech",
        "retired",
    ];

    fn parse(name: &str) -> Option<StateFilter> {
        Some(match name {
            "new" => StateFilter::New,
            "learning" => StateFilter::Learning,
            "young" => StateFilter::Young,
            "mature" => StateFilter::Mature,
            "suspended" => StateFilter::Suspended,
            "buried" => StateFilter::Buried,
            "leech" => StateFilter::Leech,
            "retired" => StateFilter::Retired,
            _ => return None,
        })
    }
}

/// The longest query read, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// The most terms in one query.
pub const MAX_TERMS: usize = 32;
/// The most words of text in one query, phrases' words included: each is
/// a lookup in the search index.
pub const MAX_WORDS: usize = 32;
/// The most words of one or two characters matched as prefixes (outside
/// quotes) in one query: each reads every indexed word it begins.
pub const MAX_SHORT_PREFIXES: usize = 8;
/// Words of fewer characters than this, outside quotes, count against
/// [`MAX_SHORT_PREFIXES`].
const SHORT_PREFIX_CHARS: usize = 3;
/// `due:` reaches at most this many days before or after today (a hundred
/// years).
pub const MAX_DUE_DAYS: i64 = 36_500;
/// The largest number `lapses:` takes.
pub const MAX_LAPSES: i64 = 100_000;

/// Parses `text`; an empty query matches every card.
pub fn parse(text: &str) -> Result<Query, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() > MAX_QUERY_CHARS {
        return Err(QueryError {
            position: MAX_QUERY_CHARS + 1,
            message: format!("the query is longer than {MAX_QUERY_CHARS} characters"),
        });
    }
    let mut query = Query::default();
    let mut words = WordCount::default();
    let mut at = 0;
    while at < chars.len() {
        if chars[at].is_whitespace() {
            at += 1;
            continue;
        }
        let start = at;
        let negated = chars[at] == '-' && chars.get(at + 1).is_some_and(|c| !c.is_whitespace());
        if negated {
            at += 1;
        }
        let (term, end) = read_term(&chars, at)?;
        at = end;
        let Some(filter) = term else { continue };
        if query.terms.len() == MAX_TERMS {
            return Err(QueryError {
                position: start + 1,
                message: format!("a query holds at most {MAX_TERMS} terms"),
            });
        }
        words.add(&filter).map_err(|message| QueryError {
            position: start + 1,
            message,
        })?;
        query.terms.push(Term { negated, filter });
    }
    Ok(query)
}

/// The words of text a query holds so far, against [`MAX_WORDS`] and
/// [`MAX_SHORT_PREFIXES`].
#[derive(Default)]
struct WordCount {
    words: usize,
    short_prefixes: usize,
}

impl WordCount {
    /// Counts a term's words; the message says which limit it passes.
    fn add(&mut self, filter: &Filter) -> Result<(), String> {
        let Filter::Text { words, phrase } = filter else {
            return Ok(());
        };
        self.words += words.len();
        if self.words > MAX_WORDS {
            return Err(format!(
                "a query holds at most {MAX_WORDS} words of text (a word ends at any character that is not a letter or digit: `w.w` is two words): search for fewer words, or narrow the search with deck:, tag: or note:"
            ));
        }
        if !phrase {
            self.short_prefixes += words
                .iter()
                .filter(|w| w.chars().count() < SHORT_PREFIX_CHARS)
                .count();
            if self.short_prefixes > MAX_SHORT_PREFIXES {
                return Err(format!(
                    "a query holds at most {MAX_SHORT_PREFIXES} words of one or two characters outside quotes (each matches every word it begins): leave some out, or quote them to match whole words"
                ));
            }
        }
        Ok(())
    }
}

/// Reads one term starting at `at`; returns it (or `None` for a term
/// without words, like `"…"` of punctuation) and where it ends.
fn read_term(chars: &[char], at: usize) -> Result<(Option<Filter>, usize), QueryError> {
    if chars[at] == '"' {
        let (text, end) = quoted(chars, at)?;
        return Ok((text_filter(&text, true), end));
    }
    let mut end = at;
    while end < chars.len() && !chars[end].is_whitespace() && chars[end] != ':' && chars[end] != '"'
    {
        end += 1;
    }
    if chars.get(end) != Some(&':') {
        let word: String = chars[at..end].iter().collect();
        if chars.get(end) == Some(&'"') {
            return Err(QueryError {
                position: end + 1,
                message: "a quote inside a word: put a space before the opening quote".into(),
            });
        }
        return Ok((text_filter(&word, false), end));
    }
    let field: String = chars[at..end].iter().collect::<String>().to_lowercase();
    let value_at = end + 1;
    let (value, value_end) = if chars.get(value_at) == Some(&'"') {
        quoted(chars, value_at)?
    } else {
        let mut e = value_at;
        while e < chars.len() && !chars[e].is_whitespace() {
            e += 1;
        }
        (chars[value_at..e].iter().collect(), e)
    };
    let error = |message: String| QueryError {
        position: value_at + 1,
        message,
    };
    if value.trim().is_empty() {
        return Err(error(format!("`{field}:` needs a value after the colon")));
    }
    let filter = match field.as_str() {
        "deck" => Filter::Deck(value),
        "tag" => {
            let tag = value.trim_start_matches('#');
            if tag.trim().is_empty() {
                return Err(error(format!(
                    "`tag:{value}` needs a tag name after the #, as in tag:exam"
                )));
            }
            Filter::Tag(tag.to_owned())
        }
        "note" => Filter::Note(value),
        "state" | "is" => Filter::State(StateFilter::parse(&value.to_lowercase()).ok_or_else(|| {
            error(format!(
                "`{value}` is not a state: use {}",
                StateFilter::NAMES.join(", ")
            ))
        })?),
        "due" => {
            let (op, number) = comparison(&value);
            let days = field_number(number, -MAX_DUE_DAYS..=MAX_DUE_DAYS).map_err(|range| {
                error(match range {
                    None => format!("`due:{value}` needs a number of days, as in due:<7"),
                    Some(range) => format!("`due:{value}`: {range} days (a hundred years either way), as in due:<7"),
                })
            })?;
            match op {
                "<" => Filter::DueWithin(days - 1),
                "<=" | "" | "=" => Filter::DueWithin(days),
                _ => return Err(error(format!("`due:` takes < or <=, as in due:<7, not `{op}`"))),
            }
        }
        "lapses" => {
            let (op, number) = comparison(&value);
            let count = field_number(number, 0..=MAX_LAPSES).map_err(|range| {
                error(match range {
                    None => format!("`lapses:{value}` needs a number, as in lapses:>3"),
                    Some(range) => format!("`lapses:{value}`: {range}, as in lapses:>3"),
                })
            })?;
            match op {
                ">" => Filter::LapsesAtLeast(count + 1),
                ">=" => Filter::LapsesAtLeast(count),
                "" | "=" => Filter::LapsesExactly(count),
                _ => return Err(error(format!("`lapses:` takes > or >=, as in lapses:>3, not `{op}`"))),
            }
        }
        _ => {
            return Err(QueryError {
                position: at + 1,
                message: format!(
                    "`{field}:` is not a field: use deck:, tag:, note:, state:, due: or lapses: (or quote the text)"
                ),
            })
        }
    };
    Ok((Some(filter), value_end))
}

/// The text of a quoted string starting at `at` (a `"`), and the position
/// after its closing quote.
fn quoted(chars: &[char], at: usize) -> Result<(String, usize), QueryError> {
    match chars[at + 1..].iter().position(|&c| c == '"') {
        Some(len) => Ok((chars[at + 1..at + 1 + len].iter().collect(), at + len + 2)),
        None => Err(QueryError {
            position: at + 1,
            message: "this quote is never closed: add a closing \"".into(),
        }),
    }
}

/// `number` as a whole number within `range`. Fails with `None` when it is
/// not a whole number, and with the range in words when it lies outside
/// (never wrapping).
fn field_number(number: &str, range: std::ops::RangeInclusive<i64>) -> Result<i64, Option<String>> {
    let digits = number.strip_prefix(['-', '+']).unwrap_or(number);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(None);
    }
    match number.parse::<i64>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(Some(format!(
            "the number must lie from {} to {}",
            range.start(),
            range.end()
        ))),
    }
}

/// `<=7` → (`<=`, `7`).
fn comparison(value: &str) -> (&str, &str) {
    let op_len = value
        .find(|c: char| !matches!(c, '<' | '>' | '='))
        .unwrap_or(value.len());
    (&value[..op_len], &value[op_len..])
}

/// A text term from its words (none when it has no letter or digit).
fn text_filter(text: &str, phrase: bool) -> Option<Filter> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    (!words.is_empty()).then_some(Filter::Text { words, phrase })
}

/// Cards indexed for search per transaction.
pub const INDEX_BATCH: i64 = 10_000;

/// Indexes every card not yet in the search index, a batch per
/// transaction (readers see each batch as it commits), then refreshes
/// the planner's statistics. Returns the cards indexed.
pub fn index_pending(collection: &mut crate::storage::Collection) -> crate::Result<usize> {
    let mut total = 0;
    loop {
        let tx = collection.transaction()?;
        let indexed = tx.index_pending(INDEX_BATCH)?;
        tx.commit()?;
        total += indexed;
        if indexed == 0 {
            if total > 0 {
                collection.refresh_planner_statistics()?;
            }
            return Ok(total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<Term> {
        parse(text).expect("parses").terms
    }

    fn error_at(text: &str) -> (usize, String) {
        let e = parse(text).expect_err("fails");
        (e.position, e.message)
    }

    #[test]
    fn words_phrases_and_fields() {
        let found = terms(
            r#"Mito "energy currency" deck:"Bio 101" -tag:#exam state:mature due:<7 lapses:>2 note:cells"#,
        );
        let filters: Vec<(bool, Filter)> =
            found.into_iter().map(|t| (t.negated, t.filter)).collect();
        assert_eq!(
            filters,
            vec![
                (
                    false,
                    Filter::Text {
                        words: vec!["mito".into()],
                        phrase: false
                    }
                ),
                (
                    false,
                    Filter::Text {
                        words: vec!["energy".into(), "currency".into()],
                        phrase: true
                    }
                ),
                (false, Filter::Deck("Bio 101".into())),
                (true, Filter::Tag("exam".into())),
                (false, Filter::State(StateFilter::Mature)),
                (false, Filter::DueWithin(6)),
                (false, Filter::LapsesAtLeast(3)),
                (false, Filter::Note("cells".into())),
            ]
        );
        assert_eq!(terms("  "), vec![]);
        assert_eq!(
            terms("- alone"),
            vec![Term {
                negated: false,
                filter: Filter::Text {
                    words: vec!["alone".into()],
                    phrase: false
                }
            }]
        );
        assert_eq!(
            terms("C++ \"!!\""),
            vec![Term {
                negated: false,
                filter: Filter::Text {
                    words: vec!["c".into()],
                    phrase: false
                }
            }]
        );
    }

    #[test]
    fn errors_name_the_position() {
        assert_eq!(error_at(r#"cells "energy"#).0, 7);
        assert!(error_at(r#"cells "energy"#).1.contains("never closed"));
        let (at, message) = error_at("cells state:ripe");
        assert_eq!(at, 13);
        assert!(message.contains("not a state"), "{message}");
        assert_eq!(error_at("colour:red").0, 1);
        assert_eq!(error_at("due:<soon").0, 5);
        assert_eq!(error_at("lapses:<3").0, 8);
        assert_eq!(error_at("deck:").0, 6);
        assert!(parse(&"a ".repeat(40)).is_err(), "too many terms");
        assert!(parse(&"a".repeat(2000)).is_err(), "too long");
    }

    /// `w.w.w…` is one term but as many words: it is refused (it once
    /// became 500 prefix lookups in the index), naming the limit.
    #[test]
    fn words_past_the_limits_are_refused() {
        let dotted = vec!["w"; 500].join(".");
        assert_eq!(dotted.len(), 999);
        let (at, message) = error_at(&dotted);
        assert_eq!(at, 1);
        assert!(message.contains("at most 32 words"), "{message}");
        let (at, _) = error_at(&format!("cells {}", vec!["w"; 40].join(".")));
        assert_eq!(at, 7, "the term that passes the limit");
        let words: Vec<String> = (0..MAX_WORDS).map(|i| format!("word{i}")).collect();
        assert!(
            parse(&words.join(" ")).is_ok(),
            "{MAX_WORDS} words are fine"
        );
        let (_, message) = error_at(&format!("{} \"one more\"", words.join(".")));
        assert!(
            message.contains("at most 32 words"),
            "phrases count: {message}"
        );

        let short = "a b c d e f g h";
        assert!(parse(short).is_ok(), "{MAX_SHORT_PREFIXES} short words");
        let (at, message) = error_at(&format!("{short} mitochondria xy"));
        assert_eq!(at, 30);
        assert!(
            message.contains("at most 8 words of one or two"),
            "{message}"
        );
        assert!(
            parse(&format!("{short} \"x y z\"")).is_ok(),
            "quoted words are whole words, not prefixes"
        );
    }

    /// A number out of its field's range is refused where it is written;
    /// `lapses:>9223372036854775807` once wrapped round and matched every
    /// card.
    #[test]
    fn numbers_out_of_range_are_refused() {
        for (text, words) in [
            ("lapses:>9223372036854775807", "from 0 to 100000"),
            ("lapses:99999999999999999999999", "from 0 to 100000"),
            ("lapses:-1", "from 0 to 100000"),
            ("due:<-9223372036854775808", "from -36500 to 36500"),
            ("due:36501", "from -36500 to 36500"),
        ] {
            let (at, message) = error_at(&format!("cells {text}"));
            assert_eq!(at, 7 + text.find(':').expect("colon") + 1, "{text}");
            assert!(message.contains(words), "{text}: {message}");
        }
        assert_eq!(
            terms("lapses:>100000 due:<-36500")
                .into_iter()
                .map(|t| t.filter)
                .collect::<Vec<_>>(),
            vec![Filter::LapsesAtLeast(100_001), Filter::DueWithin(-36_501)]
        );
        assert!(error_at("lapses:>three").1.contains("needs a number"));
    }

    /// `tag:#` once matched every card (an empty tag): it is refused.
    #[test]
    fn a_tag_needs_a_name() {
        for text in ["tag:#", "tag:###", "-tag:\"#\""] {
            let (at, message) = error_at(text);
            assert_eq!(at, text.find(':').expect("colon") + 2, "{text}");
            assert!(message.contains("needs a tag name"), "{text}: {message}");
        }
        assert_eq!(terms("tag:#exam")[0].filter, Filter::Tag("exam".into()));
    }
}
