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
        query.terms.push(Term { negated, filter });
    }
    Ok(query)
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
        "tag" => Filter::Tag(value.trim_start_matches('#').to_owned()),
        "note" => Filter::Note(value),
        "state" | "is" => Filter::State(StateFilter::parse(&value.to_lowercase()).ok_or_else(|| {
            error(format!(
                "`{value}` is not a state: use {}",
                StateFilter::NAMES.join(", ")
            ))
        })?),
        "due" => {
            let (op, number) = comparison(&value);
            let days = number.parse::<i64>().map_err(|_| {
                error(format!("`due:{value}` needs a number of days, as in due:<7"))
            })?;
            match op {
                "<" => Filter::DueWithin(days - 1),
                "<=" | "" | "=" => Filter::DueWithin(days),
                _ => return Err(error(format!("`due:` takes < or <=, as in due:<7, not `{op}`"))),
            }
        }
        "lapses" => {
            let (op, number) = comparison(&value);
            let count = number.parse::<i64>().map_err(|_| {
                error(format!("`lapses:{value}` needs a number, as in lapses:>3"))
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
}
