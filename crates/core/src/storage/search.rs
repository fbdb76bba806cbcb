//! The card search index (FTS5) and the browser's queries over it.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter};

use super::cards::{card_row, CARD_COLUMNS};
use super::{join_path, like_escape, Reader, Tx};
use crate::markdown::plain::{text_of, without_breadcrumb};
use crate::model::CardId;
use crate::search::{Filter, Query, StateFilter};
use crate::Result;

/// Interval (days) from which a reviewed card is mature, as in Anki.
pub const MATURE_DAYS: i64 = 21;

/// How browser results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Deck, then note, then the card's place in its note.
    #[default]
    NoteOrder,
    /// Due day (new cards last).
    Due,
    /// Current interval.
    Interval,
    /// SM-2 E-Factor.
    Ease,
    /// Times forgotten.
    Lapses,
    /// When the card was first imported.
    Created,
    /// FSRS's stability (cards without one last).
    Stability,
    /// FSRS's difficulty (cards without one last).
    Difficulty,
    /// FSRS's chance of recall today, lowest first (cards without a memory
    /// state last).
    Retrievability,
}

impl SortKey {
    /// Every sort key's name.
    pub const NAMES: &'static [&'static str] = &[
        "note",
        "due",
        "interval",
        "ease",
        "lapses",
        "created",
        "stability",
        "difficulty",
        "retrievability",
    ];

    /// Parses a sort key's name.
    pub fn parse(name: &str) -> Option<SortKey> {
        Some(match name {
            "note" => SortKey::NoteOrder,
            "due" => SortKey::Due,
            "interval" => SortKey::Interval,
            "ease" => SortKey::Ease,
            "lapses" => SortKey::Lapses,
            "created" => SortKey::Created,
            "stability" => SortKey::Stability,
            "difficulty" => SortKey::Difficulty,
            "retrievability" => SortKey::Retrievability,
            _ => return None,
        })
    }

    /// The `ORDER BY` clause; `today` is a formatted day (digits and
    /// dashes only, safe to write into SQL).
    fn order_by(self, descending: bool, today: &str) -> String {
        let dir = if descending { "DESC" } else { "ASC" };
        // Recall falls as days since the last answer grow against the
        // stability: lowest recall is the highest ratio.
        let recall_dir = if descending { "ASC" } else { "DESC" };
        let key = match self {
            SortKey::NoteOrder => {
                return format!("ORDER BY d.name {dir}, n.ord {dir}, c.ord {dir}")
            }
            SortKey::Due => format!("c.due_day IS NULL, c.due_day {dir}"),
            SortKey::Interval => format!("c.interval_days {dir}"),
            SortKey::Ease => format!("c.ease_factor {dir}"),
            SortKey::Lapses => format!("c.lapses {dir}"),
            SortKey::Created => format!("c.created_at {dir}"),
            SortKey::Stability => format!("c.stability IS NULL, c.stability {dir}"),
            SortKey::Difficulty => format!("c.difficulty IS NULL, c.difficulty {dir}"),
            SortKey::Retrievability => format!(
                "c.stability IS NULL, (julianday('{today}') - julianday(c.due_day) + c.interval_days)
                     / max(c.stability, 0.001) {recall_dir}"
            ),
        };
        format!("ORDER BY {key}, d.name, n.ord, c.ord")
    }
}

/// What the index holds of one card.
struct SearchText<'a> {
    /// The card's row in the index.
    search_id: i64,
    /// Front HTML (its breadcrumb is left out: headings are indexed apart).
    front_html: &'a str,
    /// Back HTML.
    back_html: &'a str,
    /// Headings from the top of the note down to the card.
    heading_path: &'a [String],
    /// The note's row.
    note_id: i64,
    /// The note's tags.
    tags: &'a [String],
}

impl Tx<'_> {
    /// Writes a card's entry in the search index.
    fn index_card(&self, card: &SearchText<'_>) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO card_search (rowid, front, back, headings, note, tags)
                 VALUES (?1, ?2, ?3, ?4, (SELECT path FROM notes WHERE id = ?5), ?6)",
            )?
            .execute(params![
                card.search_id,
                text_of(without_breadcrumb(card.front_html)),
                text_of(card.back_html),
                join_path(card.heading_path).replace('\u{1f}', " › "),
                card.note_id,
                card.tags.join(" ")
            ])?;
        Ok(())
    }

    /// Indexes up to `limit` cards the importer left unindexed (new, or
    /// changed since they were indexed); returns how many it indexed.
    ///
    /// Each gets the next row number of the index: FTS5 writes a
    /// transaction's rows in one run only while their numbers rise.
    pub fn index_pending(&self, limit: i64) -> Result<usize> {
        let mut next: i64 = self
            .tx
            .prepare_cached("SELECT coalesce(max(search_id), 0) + 1 FROM cards")?
            .query_row([], |r| r.get(0))?;
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT rowid, search_id, front_html, back_html, heading_path, note_id, tags
             FROM cards c WHERE {UNINDEXED} ORDER BY rowid LIMIT ?1"
        ))?;
        let mut rows = stmt.query([limit])?;
        let mut count = 0;
        while let Some(row) = rows.next()? {
            let rowid: i64 = row.get(0)?;
            let stale: Option<i64> = row.get(1)?;
            if let Some(old) = stale {
                // Changed since indexed: its old entry goes.
                self.tx
                    .prepare_cached("DELETE FROM card_search WHERE rowid = ?1")?
                    .execute([-old])?;
            }
            let front: String = row.get(2)?;
            let back: String = row.get(3)?;
            let headings: String = row.get(4)?;
            let tags: String = row.get(6)?;
            let tags: Vec<String> = tags.split_whitespace().map(str::to_owned).collect();
            self.index_card(&SearchText {
                search_id: next,
                front_html: &front,
                back_html: &back,
                heading_path: &super::split_path(&headings),
                note_id: row.get(5)?,
                tags: &tags,
            })?;
            self.tx
                .prepare_cached("UPDATE cards SET search_id = ?2 WHERE rowid = ?1")?
                .execute([rowid, next])?;
            next += 1;
            count += 1;
        }
        Ok(count)
    }
}

impl Reader<'_> {
    /// Cards not yet in the search index (searched the slow way until then).
    pub fn unindexed_cards(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM cards c WHERE {UNINDEXED}"))?
            .query_row([], |r| r.get(0))?)
    }
}

/// A query as SQL: conditions (after `WHERE …`) and their values.
struct Sql {
    conditions: String,
    values: Vec<Value>,
}

impl Sql {
    fn push(&mut self, negated: bool, condition: &str, values: impl IntoIterator<Item = Value>) {
        // A NULL (a new card's due day, say) counts as not matching, so
        // that its negation matches.
        if negated {
            self.conditions
                .push_str(&format!(" AND NOT coalesce(({condition}), 0)"));
        } else {
            self.conditions.push_str(&format!(" AND ({condition})"));
        }
        // Placeholders are plain `?`: values follow in the order written.
        self.values.extend(values);
    }
}

/// Cards not (or no longer) in the index: never indexed (`search_id` is
/// null) or changed since (its negated old row number).
const UNINDEXED: &str = "(c.search_id IS NULL OR c.search_id < 0)";

/// A card's text, the slow way (for cards not in the index yet): its HTML,
/// headings, note path and tags, matched with `LIKE`.
const UNINDEXED_TEXT: &str = "(c.front_html || ' ' || c.back_html || ' ' || c.heading_path || ' ' || n.path || ' ' || c.tags) LIKE ? ESCAPE '\\'";

/// `%text%` for `LIKE`.
fn contains_pattern(text: &str) -> String {
    format!("%{}%", like_escape(text))
}

/// An FTS5 match expression for words (each a prefix) or a phrase.
fn match_expression(words: &[String], phrase: bool) -> String {
    // Words hold only letters and digits: quoting them is safe.
    if phrase {
        format!("\"{}\"", words.join(" "))
    } else {
        words
            .iter()
            .map(|w| format!("\"{w}\"*"))
            .collect::<Vec<_>>()
            .join(" AND ")
    }
}

/// A word or phrase matching more cards than this is checked card by card
/// as the cards are walked in order (one probe of the matches each), not
/// by looking up each match (which costs more when most cards match).
const BROAD_TEXT_MATCHES: i64 = 5_000;

/// How the text terms of a query are matched.
#[derive(Debug, Clone, Copy, Default)]
struct TextPlan {
    /// Cards not in the index yet: text is also matched the slow way.
    slow_text: bool,
    /// The words and phrases a card must hold match so many cards that
    /// looking their matches up one by one would cost more than a walk.
    broad: bool,
}

/// Text a card must hold or must not: one FTS5 match expression and, for
/// cards not indexed yet, the `LIKE` patterns that stand for it.
struct TextMatch {
    expression: String,
    patterns: Vec<String>,
}

impl TextMatch {
    /// A word (prefixes) or phrase term's match; a word written twice is
    /// looked up once.
    fn of(words: &[String], phrase: bool) -> TextMatch {
        let mut distinct: Vec<String> = Vec::with_capacity(words.len());
        for word in words {
            if phrase || !distinct.contains(word) {
                distinct.push(word.clone());
            }
        }
        TextMatch {
            expression: match_expression(&distinct, phrase),
            patterns: if phrase {
                vec![contains_pattern(&distinct.join(" "))]
            } else {
                distinct.iter().map(|w| contains_pattern(w)).collect()
            },
        }
    }

    /// Every word and phrase of `query` not negated, as one match (the
    /// index intersects them at once, each term written twice once);
    /// `None` if there is none.
    fn required(query: &Query) -> Option<TextMatch> {
        let mut parts: Vec<TextMatch> = Vec::new();
        for term in query.terms.iter().filter(|term| !term.negated) {
            if let Filter::Text { words, phrase } = &term.filter {
                let part = TextMatch::of(words, *phrase);
                if !parts.iter().any(|p| p.expression == part.expression) {
                    parts.push(part);
                }
            }
        }
        (!parts.is_empty()).then(|| TextMatch {
            expression: parts
                .iter()
                .map(|p| p.expression.as_str())
                .collect::<Vec<_>>()
                .join(" AND "),
            patterns: parts.into_iter().flat_map(|p| p.patterns).collect(),
        })
    }
}

/// `query` as SQL; `plan` says how its text terms are matched.
fn to_sql(query: &Query, deck: Option<&str>, today: NaiveDate, plan: TextPlan) -> Sql {
    let mut sql = Sql {
        conditions: String::new(),
        values: Vec::new(),
    };
    if let Some(deck) = deck {
        push_deck_like(&mut sql, false, deck, false);
    }
    if let Some(required) = TextMatch::required(query) {
        push_text(&mut sql, false, &required, plan);
    }
    let day = |d: NaiveDate| Value::Text(crate::day::format_day(d));
    for term in &query.terms {
        let negated = term.negated;
        match &term.filter {
            // The words and phrases a card must hold are matched at once.
            Filter::Text { .. } if !negated => {}
            Filter::Text { words, phrase } => {
                push_text(&mut sql, true, &TextMatch::of(words, *phrase), plan)
            }
            Filter::Deck(name) => push_deck(&mut sql, negated, name),
            Filter::Tag(tag) => {
                let exact = format!("% {} %", like_escape(tag));
                let parent = format!("% {}/%", like_escape(tag));
                sql.push(
                    negated,
                    "(' ' || c.tags || ' ' || c.user_tags || ' ') LIKE ? ESCAPE '\\'
                     OR (' ' || c.tags || ' ' || c.user_tags || ' ') LIKE ? ESCAPE '\\'",
                    [Value::Text(exact), Value::Text(parent)],
                )
            }
            Filter::Note(text) => sql.push(
                negated,
                "n.path LIKE ? ESCAPE '\\'",
                [Value::Text(contains_pattern(text))],
            ),
            Filter::State(state) => {
                let (condition, values): (String, Vec<Value>) = match state {
                    StateFilter::New => ("c.retired = 0 AND c.due_day IS NULL".into(), vec![]),
                    StateFilter::Learning => (
                        "c.retired = 0 AND c.due_day IS NOT NULL AND c.repetitions < 2".into(),
                        vec![],
                    ),
                    StateFilter::Young => (
                        format!("c.retired = 0 AND c.due_day IS NOT NULL AND c.repetitions >= 2 AND c.interval_days < {MATURE_DAYS}"),
                        vec![],
                    ),
                    StateFilter::Mature => (
                        format!("c.retired = 0 AND c.due_day IS NOT NULL AND c.repetitions >= 2 AND c.interval_days >= {MATURE_DAYS}"),
                        vec![],
                    ),
                    StateFilter::Suspended => ("c.suspended = 1".into(), vec![]),
                    StateFilter::Buried => ("c.buried_until > ?".into(), vec![day(today)]),
                    StateFilter::Leech => (
                        format!("(' ' || c.user_tags || ' ') LIKE '% {} %'", crate::actions::LEECH_TAG),
                        vec![],
                    ),
                    StateFilter::Retired => ("c.retired = 1".into(), vec![]),
                };
                sql.push(negated, &condition, values);
            }
            Filter::DueWithin(days) => {
                let until = today + chrono::Duration::days((*days).clamp(-100_000, 100_000));
                sql.push(negated, "c.retired = 0 AND c.due_day <= ?", [day(until)])
            }
            Filter::LapsesAtLeast(n) => sql.push(negated, "c.lapses >= ?", [Value::Integer(*n)]),
            Filter::LapsesExactly(n) => sql.push(negated, "c.lapses = ?", [Value::Integer(*n)]),
            Filter::FailedOn(when) => sql.push(
                negated,
                "c.id IN (SELECT card_id FROM review_log WHERE day = ? AND grade < 3 AND kind != 'cram')",
                [day(*when)],
            ),
        }
    }
    sql
}

/// Text a card must hold (or, `negated`, must not).
fn push_text(sql: &mut Sql, negated: bool, text: &TextMatch, plan: TextPlan) {
    // `+` keeps the planner from looking each match up by its row number
    // when most cards match.
    let indexed = if plan.broad && !negated {
        "+c.search_id IN (SELECT rowid FROM card_search WHERE card_search MATCH ?)"
    } else {
        "c.search_id IN (SELECT rowid FROM card_search WHERE card_search MATCH ?)"
    };
    let mut values = vec![Value::Text(text.expression.clone())];
    if plan.slow_text {
        // Cards not indexed yet (just imported) are read the slow way:
        // their text holds the words, in any case.
        let unindexed = vec![UNINDEXED_TEXT; text.patterns.len()].join(" AND ");
        values.extend(text.patterns.iter().cloned().map(Value::Text));
        sql.push(
            negated,
            &format!("{indexed} OR ({UNINDEXED} AND {unindexed})"),
            values,
        )
    } else {
        sql.push(negated, indexed, values)
    }
}

/// The deck `deck` (full name, or its last parts: `deck:Week 1` finds
/// `Exam::Week 1`) and its sub-decks.
fn push_deck(sql: &mut Sql, negated: bool, deck: &str) {
    push_deck_like(sql, negated, deck, true);
}

/// `deck` and its sub-decks; with `by_last_parts`, also any deck whose name
/// ends with `::deck`, and their sub-decks.
fn push_deck_like(sql: &mut Sql, negated: bool, deck: &str, by_last_parts: bool) {
    if !by_last_parts {
        let pattern = super::subdeck_pattern(Some(deck)).unwrap_or_default();
        sql.push(
            negated,
            "d.name = ? OR d.name LIKE ? ESCAPE '\\'",
            [Value::Text(deck.to_owned()), Value::Text(pattern)],
        );
        return;
    }
    let escaped = like_escape(deck);
    sql.push(
        negated,
        "d.name = ? OR d.name LIKE ? ESCAPE '\\' OR d.name LIKE ? ESCAPE '\\' OR d.name LIKE ? ESCAPE '\\'",
        [
            Value::Text(deck.to_owned()),
            Value::Text(format!("{escaped}::%")),
            Value::Text(format!("%::{escaped}")),
            Value::Text(format!("%::{escaped}::%")),
        ],
    );
}

const SEARCH_FROM: &str = "FROM cards c
 JOIN notes n ON n.id = c.note_id
 JOIN decks d ON d.id = n.deck_id
 WHERE 1";

impl Reader<'_> {
    /// How to match `query`'s text, and how many cards it matches when
    /// that follows from the index alone (only words and phrases, over
    /// every deck, with every card indexed: each card has one row there).
    fn text_plan(&self, query: &Query, deck: Option<&str>) -> Result<(TextPlan, Option<i64>)> {
        let slow_text = self.unindexed_cards()? > 0;
        let Some(required) = TextMatch::required(query) else {
            return Ok((
                TextPlan {
                    slow_text,
                    broad: false,
                },
                None,
            ));
        };
        let matches: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM card_search WHERE card_search MATCH ?1")?
            .query_row([&required.expression], |r| r.get(0))?;
        let plan = TextPlan {
            slow_text,
            broad: matches > BROAD_TEXT_MATCHES,
        };
        let only_text = query
            .terms
            .iter()
            .all(|t| !t.negated && matches!(t.filter, Filter::Text { .. }));
        let total = (only_text && deck.is_none() && !slow_text).then_some(matches);
        Ok((plan, total))
    }

    /// The cards matching `query` (within `deck`, if given), in `sort`
    /// order: how many there are, and `limit` of them from `offset`.
    pub fn search_cards(
        &self,
        query: &Query,
        deck: Option<&str>,
        today: NaiveDate,
        sort: (SortKey, bool),
        limit: i64,
        offset: i64,
    ) -> Result<(i64, Vec<super::CardRow>)> {
        let (plan, known_total) = self.text_plan(query, deck)?;
        let sql = to_sql(query, deck, today, plan);
        // A broad word's matches are counted apart: in note order the walk
        // stops at the page, and in another order a count in the same pass
        // (a window over every match) costs more than counting again.
        let count_apart = known_total.is_some() || plan.broad;
        let known_total = match known_total {
            Some(total) => Some(total),
            None if count_apart => Some(self.count_found(&sql)?),
            None => None,
        };
        self.search_page(&sql, sort, (limit, offset), known_total, today)
    }

    /// How many cards `sql` finds.
    fn count_found(&self, sql: &Sql) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT count(*) {SEARCH_FROM}{}", sql.conditions))?
            .query_row(params_from_iter(sql.values.iter()), |r| r.get(0))?)
    }

    /// One page (`limit` from `offset`) of the cards `sql` finds, in
    /// `sort` order, and how many it finds (`known_total` when known).
    fn search_page(
        &self,
        sql: &Sql,
        sort: (SortKey, bool),
        (limit, offset): (i64, i64),
        known_total: Option<i64>,
        today: NaiveDate,
    ) -> Result<(i64, Vec<super::CardRow>)> {
        let mut values = sql.values.clone();
        values.push(Value::Integer(limit));
        values.push(Value::Integer(offset));
        // The page's row numbers first, counted in the same pass unless
        // the count is known or there is nothing to filter by; the cards'
        // text is read for the page alone.
        let order = sort.0.order_by(sort.1, &crate::day::format_day(today));
        let counted = if known_total.is_some() || sql.conditions.is_empty() {
            "-1"
        } else {
            "count(*) OVER ()"
        };
        let picked: Vec<(i64, i64)> = {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT c.rowid, {counted} {SEARCH_FROM}{} {order} LIMIT ? OFFSET ?",
                sql.conditions
            ))?;
            let rows = stmt.query_map(params_from_iter(values.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let total = match (known_total, picked.first()) {
            (Some(total), _) => total,
            (None, Some(&(_, total))) if total >= 0 => total,
            // Past the end, nothing found, or no conditions: count alone.
            _ => self.count_found(sql)?,
        };
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{CARD_COLUMNS} {SEARCH_FROM} AND c.rowid = ?"))?;
        let mut cards = Vec::with_capacity(picked.len());
        for (rowid, _) in picked {
            if let Some(card) = stmt.query_map([rowid], card_row)?.next() {
                cards.push(card?);
            }
        }
        Ok((total, cards))
    }

    /// The ids of every card matching `query` (for acting on a whole
    /// search), in note order.
    pub fn search_card_ids(
        &self,
        query: &Query,
        deck: Option<&str>,
        today: NaiveDate,
    ) -> Result<Vec<CardId>> {
        let (plan, _) = self.text_plan(query, deck)?;
        let sql = to_sql(query, deck, today, plan);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT c.id {SEARCH_FROM}{} ORDER BY d.name, n.ord, c.ord",
            sql.conditions
        ))?;
        let rows = stmt.query_map(params_from_iter(sql.values.iter()), |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{import, ImportOptions};
    use crate::storage::Collection;
    use chrono::{TimeZone, Utc};

    /// Two notes in two decks, most sections holding "energy".
    fn collection(dir: &std::path::Path) -> Collection {
        for (folder, topic) in [("bio", "cells"), ("chem", "water")] {
            std::fs::create_dir_all(dir.join(folder)).expect("folder");
            let sections: String = (0..12)
                .map(|i| {
                    let word = if i % 4 == 3 { "rest" } else { "energy" };
                    format!("## {topic} {i}\nAbout {word} and {topic}, part {i}.\n\n")
                })
                .collect();
            std::fs::write(dir.join(folder).join(format!("{topic}.md")), sections).expect("note");
        }
        let mut collection = Collection::open(&dir.join("c.sqlite3")).expect("open");
        let now = Utc
            .with_ymd_and_hms(2026, 1, 1, 9, 0, 0)
            .single()
            .expect("time");
        for folder in ["bio", "chem"] {
            import(
                &mut collection,
                &[dir.join(folder)],
                &ImportOptions::default(),
                now,
                &mut |_| {},
            )
            .expect("import");
        }
        let tx = collection.transaction().expect("tx");
        tx.index_pending(1_000).expect("index");
        tx.commit().expect("commit");
        collection
    }

    fn ids(found: &(i64, Vec<crate::storage::CardRow>)) -> (i64, Vec<String>) {
        (found.0, found.1.iter().map(|c| c.id.to_string()).collect())
    }

    /// A broad word walks the cards instead of looking its matches up,
    /// and a lone word is counted from the index: both find what the
    /// other way finds, in the same order, on every sort.
    #[test]
    fn every_plan_finds_the_same_cards_in_the_same_order() {
        let dir = tempfile::tempdir().expect("temp");
        let collection = collection(dir.path());
        let reader = collection.reader();
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).expect("day");
        for text in [
            "energy",
            "energy -deck:chem",
            "energy water",
            "-energy",
            "\"about energy\"",
        ] {
            let query = crate::search::parse(text).expect("query");
            let (plan, known) = reader.text_plan(&query, None).expect("plan");
            assert!(!plan.slow_text, "every card is indexed");
            let only_text = ["energy", "energy water", "\"about energy\""].contains(&text);
            assert_eq!(known.is_some(), only_text, "{text}");
            for sort in [
                SortKey::NoteOrder,
                SortKey::Due,
                SortKey::Created,
                SortKey::Retrievability,
            ] {
                for page in [(5, 0), (5, 10), (100, 0)] {
                    let run = |broad: bool, known: Option<i64>| {
                        let plan = TextPlan { broad, ..plan };
                        let sql = to_sql(&query, None, today, plan);
                        ids(&reader
                            .search_page(&sql, (sort, false), page, known, today)
                            .expect("page"))
                    };
                    let looked_up = run(false, None);
                    assert_eq!(run(true, None), looked_up, "{text} {sort:?} {page:?}");
                    assert_eq!(
                        run(false, known),
                        looked_up,
                        "{text}: counted from the index"
                    );
                }
            }
        }
        let all = crate::search::parse("energy").expect("query");
        let (total, _) = reader
            .search_cards(&all, None, today, (SortKey::NoteOrder, false), 100, 0)
            .expect("search");
        assert_eq!(total, 18, "three of every four sections, in two notes");
    }
}
