//! Card rows: content from the importer, schedule from reviews.

use rusqlite::{params, OptionalExtension, Row};

use super::{join_path, split_path, Reader, Tx};
use crate::model::{CardId, CardKind, CardState};
use crate::Result;

/// Which cards a query is about: a deck (with its sub-decks) and/or the
/// cards with a tag (note tag or notedeck tag); neither means all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope<'a> {
    /// The deck, with its sub-decks.
    pub deck: Option<&'a str>,
    /// The tag.
    pub tag: Option<&'a str>,
}

impl<'a> From<Option<&'a str>> for Scope<'a> {
    fn from(deck: Option<&'a str>) -> Scope<'a> {
        Scope { deck, tag: None }
    }
}

impl Scope<'_> {
    /// The `LIKE` pattern of the tag among space-separated tags.
    pub(super) fn tag_pattern(&self) -> Option<String> {
        self.tag.map(|t| format!("% {} %", super::like_escape(t)))
    }
}

/// What matching needs to know about a stored card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCard {
    /// Stable id.
    pub id: CardId,
    /// Section or definition.
    pub kind: CardKind,
    /// The key the card was matched by last time.
    pub match_key: String,
    /// Folded Markdown source.
    pub source: String,
    /// Hash of `source`.
    pub content_hash: String,
    /// True when retired.
    pub retired: bool,
}

/// The content fields written for a card by an import.
#[derive(Debug, Clone)]
pub struct CardWrite<'a> {
    /// Stable id.
    pub id: &'a CardId,
    /// The note it belongs to.
    pub note_id: i64,
    /// Section or definition.
    pub kind: CardKind,
    /// Matching key.
    pub match_key: &'a str,
    /// Headings from the top of the note down to the card.
    pub heading_path: &'a [String],
    /// Position in the note.
    pub ord: i64,
    /// One-based line in the file.
    pub line: i64,
    /// Front, sanitised HTML.
    pub front_html: &'a str,
    /// Back, sanitised HTML.
    pub back_html: &'a str,
    /// Folded Markdown source.
    pub source: &'a str,
    /// Hash of `source`.
    pub content_hash: &'a str,
    /// Tags.
    pub tags: &'a [String],
    /// RFC 3339 time of this import.
    pub now: &'a str,
}

/// The insert of a card, prepared once for a run of inserts
/// ([`Tx::card_inserts`]).
pub struct CardInserts<'t> {
    statement: rusqlite::Statement<'t>,
}

impl CardInserts<'_> {
    /// [`Tx::insert_card`] through the statement prepared once.
    pub fn insert(&mut self, card: &CardWrite<'_>) -> Result<bool> {
        insert_card_with(&mut self.statement, card)
    }
}

/// A card's insert; a card whose id is taken is left alone.
const INSERT_CARD: &str =
    "INSERT INTO cards (id, note_id, kind, match_key, heading_path, ord, line,
         front_html, back_html, source, content_hash, tags, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)
     ON CONFLICT (id) DO NOTHING";

/// Runs [`INSERT_CARD`] for `card`; true when it went in.
fn insert_card_with(statement: &mut rusqlite::Statement<'_>, card: &CardWrite<'_>) -> Result<bool> {
    bind_card_content(statement, card)?;
    // Indexed for search later (`index_pending`), off the import's path.
    Ok(statement.raw_execute()? == 1)
}

/// Binds `card`'s id and content as `?1`…`?13`, in [`INSERT_CARD`]'s order
/// (its update's too): id, note, kind, match key, headings, place, line,
/// front, back, source, content hash, tags, this import's time.
fn bind_card_content(statement: &mut rusqlite::Statement<'_>, card: &CardWrite<'_>) -> Result<()> {
    statement.raw_bind_parameter(1, card.id)?;
    statement.raw_bind_parameter(2, card.note_id)?;
    statement.raw_bind_parameter(3, card.kind.as_str())?;
    statement.raw_bind_parameter(4, card.match_key)?;
    statement.raw_bind_parameter(5, join_path(card.heading_path))?;
    statement.raw_bind_parameter(6, card.ord)?;
    statement.raw_bind_parameter(7, card.line)?;
    statement.raw_bind_parameter(8, card.front_html)?;
    statement.raw_bind_parameter(9, card.back_html)?;
    statement.raw_bind_parameter(10, card.source)?;
    statement.raw_bind_parameter(11, card.content_hash)?;
    statement.raw_bind_parameter(12, card.tags.join(" "))?;
    statement.raw_bind_parameter(13, card.now)?;
    Ok(())
}

/// A card with everything shown to the user.
#[derive(Debug, Clone, PartialEq)]
pub struct CardRow {
    /// Stable id.
    pub id: CardId,
    /// Full deck name.
    pub deck: String,
    /// Absolute path of the note file.
    pub note: String,
    /// Headings from the top of the note down to the card.
    pub heading_path: Vec<String>,
    /// Section or definition.
    pub kind: CardKind,
    /// One-based line in the note file.
    pub line: i64,
    /// Front, sanitised HTML.
    pub front_html: String,
    /// Back, sanitised HTML.
    pub back_html: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Learning state.
    pub state: CardState,
    /// SM-2 E-Factor.
    pub ease_factor: f64,
    /// Current interval in days.
    pub interval_days: i64,
    /// SM-2 repetition count.
    pub repetitions: i64,
    /// Times a learned card was forgotten.
    pub lapses: i64,
    /// Due day, for answered cards.
    pub due: Option<chrono::NaiveDate>,
    /// Put aside by the learner: out of every queue until unsuspended.
    pub suspended: bool,
    /// Out of the queue until this day (buried), if it is still to come.
    pub buried_until: Option<chrono::NaiveDate>,
    /// notedeck's own tags (`leech` among them), kept in the collection.
    pub user_tags: Vec<String>,
    /// FSRS's memory state (none under SM-2 and for new cards).
    pub memory: Option<crate::scheduler::Memory>,
    /// Its place in the learning steps, if it is in them.
    pub learning: Option<crate::scheduler::Learning>,
}

impl CardRow {
    /// True when the card is tagged `leech` (failed too often).
    pub fn is_leech(&self) -> bool {
        self.user_tags
            .iter()
            .any(|t| t == crate::actions::LEECH_TAG)
    }
}

impl Tx<'_> {
    /// Dismisses (or, with `dismissed` false, brings back) the card
    /// doctor's finding `rule` on a card; false when there is no such card.
    pub fn set_finding_dismissed(
        &self,
        card: &CardId,
        rule: &str,
        dismissed: bool,
        now: &str,
    ) -> Result<bool> {
        if !self.card_exists(card)? {
            return Ok(false);
        }
        if dismissed {
            self.tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO dismissed_findings (card_id, rule, dismissed_at)
                     VALUES (?1, ?2, ?3)",
                )?
                .execute(params![card, rule, now])?;
        } else {
            self.tx
                .prepare_cached("DELETE FROM dismissed_findings WHERE card_id = ?1 AND rule = ?2")?
                .execute(params![card, rule])?;
        }
        Ok(true)
    }

    /// True when a card with this id exists.
    pub fn card_exists(&self, id: &CardId) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached("SELECT 1 FROM cards WHERE id = ?1")?
            .exists([id])?)
    }

    /// Inserts a new card unless a card already has its id; returns
    /// whether it did (one look at the id's index, not a look and then an
    /// insert).
    pub fn insert_card(&self, card: &CardWrite<'_>) -> Result<bool> {
        let mut statement = self.tx.prepare_cached(INSERT_CARD)?;
        insert_card_with(&mut statement, card)
    }

    /// [`Tx::insert_card`] prepared once for many inserts (an import's):
    /// no look-up in the connection's statement cache for each card.
    pub fn card_inserts(&self) -> Result<CardInserts<'_>> {
        Ok(CardInserts {
            statement: self.tx.prepare(INSERT_CARD)?,
        })
    }

    /// Rewrites a card's content (keeping its schedule) and un-retires it.
    pub fn update_card_content(&self, card: &CardWrite<'_>, content_changed: bool) -> Result<()> {
        let mut statement = self.tx.prepare_cached(
            "UPDATE cards SET note_id = ?2, kind = ?3, match_key = ?4, heading_path = ?5,
                     ord = ?6, line = ?7, front_html = ?8, back_html = ?9, source = ?10,
                     content_hash = ?11, tags = ?12, retired = 0,
                     search_id = -abs(search_id),
                     updated_at = CASE WHEN ?14 THEN ?13 ELSE updated_at END
                 WHERE id = ?1",
        )?;
        bind_card_content(&mut statement, card)?;
        statement.raw_bind_parameter(14, content_changed)?;
        statement.raw_execute()?;
        Ok(())
    }

    /// Makes a section card a reading card (`on`) or a flashcard again,
    /// and keeps the choice across imports (a reading card chosen so stays
    /// one). Only sections and reading cards change kind; returns whether
    /// the card did.
    pub fn choose_reading(
        &self,
        id: &CardId,
        on: bool,
        kind_off: CardKind,
        now: &str,
    ) -> Result<bool> {
        if on {
            self.tx
                .prepare_cached(
                    "INSERT INTO reading_choices (card_id, chosen_at) VALUES (?1, ?2)
                     ON CONFLICT (card_id) DO NOTHING",
                )?
                .execute(params![id, now])?;
        } else {
            self.tx
                .prepare_cached("DELETE FROM reading_choices WHERE card_id = ?1")?
                .execute(params![id])?;
        }
        let kind = if on { CardKind::Reading } else { kind_off };
        let changed = self
            .tx
            .prepare_cached(
                "UPDATE cards SET kind = ?2, updated_at = ?3
                 WHERE id = ?1 AND kind IN ('section', 'reading') AND kind != ?2",
            )?
            .execute(params![id, kind.as_str(), now])?;
        Ok(changed > 0)
    }

    /// Takes a card out of the queue, keeping its schedule and history.
    pub fn retire_card(&self, id: &CardId, now: &str) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE cards SET retired = 1, updated_at = ?2 WHERE id = ?1")?
            .execute(params![id, now])?;
        Ok(())
    }
}

impl Reader<'_> {
    /// The lines (1-based, ascending) where a note's section and reading
    /// cards start.
    pub fn section_lines(&self, note_id: i64) -> Result<Vec<usize>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT line FROM cards
             WHERE note_id = ?1 AND retired = 0 AND kind IN ('section', 'reading')
             ORDER BY line",
        )?;
        let lines = stmt.query_map([note_id], |r| r.get::<_, i64>(0))?;
        Ok(lines
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(|l| l.max(1) as usize)
            .collect())
    }

    /// The sections the learner chose to review as reading cards.
    pub fn reading_choices(&self) -> Result<std::collections::HashSet<CardId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT card_id FROM reading_choices")?;
        let ids = stmt.query_map([], |r| Ok(CardId(r.get(0)?)))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }

    /// The cards of one note, retired ones included, in note order.
    pub fn cards_of_note(&self, note_id: i64) -> Result<Vec<StoredCard>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, match_key, source, content_hash, retired
             FROM cards WHERE note_id = ?1 ORDER BY ord",
        )?;
        let rows = stmt.query_map([note_id], |r| {
            Ok(StoredCard {
                id: r.get(0)?,
                kind: CardKind::parse(&r.get::<_, String>(1)?),
                match_key: r.get(2)?,
                source: r.get(3)?,
                content_hash: r.get(4)?,
                retired: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The active cards of the note at `path`, in note order.
    pub fn cards_of_note_path(&self, path: &str) -> Result<Vec<CardRow>> {
        self.cards_where(
            None,
            Walk::Cards,
            "AND n.path = ?4 AND c.retired = 0",
            "ORDER BY c.ord",
            &[&path],
        )
    }

    /// The card doctor's dismissed findings: (card id, rule).
    pub fn dismissed_findings(&self) -> Result<std::collections::HashSet<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT card_id, rule FROM dismissed_findings")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every card, optionally only those of deck `deck` and its sub-decks,
    /// in deck, note and section order.
    pub fn cards(&self, deck: Option<&str>) -> Result<Vec<CardRow>> {
        self.cards_where(deck, Walk::Cards, "", "ORDER BY d.name, n.ord, c.ord", &[])
    }

    /// How many notes are in `deck` (with its sub-decks), and in all.
    pub fn deck_note_share(&self, deck: &str) -> Result<(i64, i64)> {
        let prefix = super::subdeck_pattern(Some(deck));
        let in_deck: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM decks d JOIN notes n ON n.deck_id = d.id
                 WHERE d.name = ?1 OR d.name LIKE ?2 ESCAPE '\\'",
            )?
            .query_row(params![deck, prefix], |r| r.get(0))?;
        let all: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM notes")?
            .query_row([], |r| r.get(0))?;
        Ok((in_deck, all))
    }

    /// The ids of every card that is not retired, in no particular order.
    pub fn active_card_ids(&self) -> Result<Vec<CardId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM cards WHERE retired = 0")?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }

    /// Streams every card (optionally of one deck) without loading them
    /// all, in deck, note and section order.
    pub fn for_each_card(
        &self,
        deck: Option<&str>,
        visit: &mut dyn FnMut(CardRow) -> Result<()>,
    ) -> Result<()> {
        self.walk_cards(CARD_COLUMNS, deck, visit)
    }

    /// [`Reader::for_each_card`] without the cards' HTML (left empty):
    /// what an export of schedules needs, read without the rows' bulk.
    pub fn for_each_card_without_html(
        &self,
        deck: Option<&str>,
        visit: &mut dyn FnMut(CardRow) -> Result<()>,
    ) -> Result<()> {
        self.walk_cards(CARD_COLUMNS_WITHOUT_HTML, deck, visit)
    }

    /// Every card with `columns` (laid out as [`CARD_COLUMNS`]), walked
    /// from the decks by name through their notes and cards in order, so
    /// nothing is sorted but each note's cards.
    fn walk_cards(
        &self,
        columns: &str,
        deck: Option<&str>,
        visit: &mut dyn FnMut(CardRow) -> Result<()>,
    ) -> Result<()> {
        let sql = format!("{columns} {CARD_FROM_DECKS} ORDER BY d.name, n.ord, c.ord");
        let prefix = super::subdeck_pattern(deck);
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(params![deck, prefix, None::<String>])?;
        while let Some(row) = rows.next()? {
            visit(card_row(row)?)?;
        }
        Ok(())
    }

    /// One card by id, retired or not.
    pub fn card(&self, id: &CardId) -> Result<Option<CardRow>> {
        // Not through `cards_where`: its scope's LIKE parameters make SQLite
        // prepare the statement again at every binding, and one card by id
        // is looked up for every answer.
        Ok(self
            .conn
            .prepare_cached(&card_by_id_sql())?
            .query_row([id], card_row)
            .optional()?)
    }

    /// Learned cards due on `day` or earlier, most overdue first, then in
    /// the order they were made; at most `limit`. With `deck_first`,
    /// SQLite walks the deck's notes and their cards instead of the due
    /// index: faster when the deck is a small part of the collection.
    pub fn due_cards(
        &self,
        deck: Scope<'_>,
        day: &str,
        limit: i64,
        (deck_first, lowest_recall_first): (bool, bool),
        pick: Pick,
    ) -> Result<Vec<CardRow>> {
        let kind = pick.condition();
        let conditions = format!("AND {IN_QUEUE} AND {kind} AND c.due_day <= ?4");
        // Reading cards are not recalled: they come by due day, from the
        // index of reading cards alone.
        if pick == Pick::Reading {
            return self.cards_where(
                deck,
                Walk::Index("cards_reading"),
                &conditions,
                "ORDER BY c.due_day, c.rowid LIMIT ?5",
                &[&day, &limit],
            );
        }
        if lowest_recall_first {
            // FSRS: the card least likely to be recalled first. Recall falls
            // as the days since the last answer (due less interval) grow
            // against the stability, whatever the decay. The `limit` cards
            // are picked from an index of what that needs, then read.
            let key = "(julianday(?4) - julianday(c.due_day) + c.interval_days)
                 / max(coalesce(c.stability, c.interval_days), 0.001) DESC, c.due_day, c.rowid";
            let order = format!("ORDER BY {key}");
            let picked = picked_from("cards_due", deck, &conditions, &order);
            let walk = if deck_first { Walk::Decks } else { Walk::Cards };
            return self.cards_where(deck, walk, &picked, &order, &[&day, &limit]);
        }
        let order = "ORDER BY c.due_day, c.rowid";
        if deck_first {
            return self.cards_where(
                deck,
                Walk::Decks,
                &conditions,
                &format!("{order} LIMIT ?5"),
                &[&day, &limit],
            );
        }
        // The due index gives the days in order, but a day's cards are
        // sorted: picked from the index, so that only the rows given are
        // read (a vault imported at once has thousands due on one day).
        self.cards_where(
            deck,
            Walk::Cards,
            &picked_from("cards_due", deck, &conditions, order),
            order,
            &[&day, &limit],
        )
    }

    /// The `ord` of the note `n` places from the first in note order
    /// (`None`: there are not that many notes).
    fn nth_note_ord(&self, n: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT ord FROM notes INDEXED BY notes_ord ORDER BY ord LIMIT 1 OFFSET ?1",
            )?
            .query_row([n - 1], |r| r.get(0))
            .optional()?)
    }

    /// Cards never answered, in note order; at most `limit`.
    /// With a `shuffle` seed, in an order drawn from it instead (the same
    /// all day).
    pub fn new_cards(
        &self,
        deck: Scope<'_>,
        day: &str,
        limit: i64,
        shuffle: Option<i64>,
        pick: Pick,
    ) -> Result<Vec<CardRow>> {
        self.new_cards_after_walking(deck, day, limit, shuffle, pick, FIRST_NOTES)
    }

    /// [`Reader::new_cards`], walking the first `first_notes` notes in order
    /// before sorting every new card.
    pub(super) fn new_cards_after_walking(
        &self,
        deck: Scope<'_>,
        day: &str,
        limit: i64,
        shuffle: Option<i64>,
        pick: Pick,
        first_notes: i64,
    ) -> Result<Vec<CardRow>> {
        let kind = pick.condition();
        let conditions = format!("AND {IN_QUEUE} AND {kind} AND c.due_day IS NULL");
        match shuffle {
            // Reading cards have an index of their own, new ones first in
            // it: only those are sorted (walking notes for them would find
            // none in most vaults and fall back to sorting every new card).
            None if pick == Pick::Reading => self.cards_where(
                deck,
                Walk::Index("cards_reading"),
                &conditions,
                "ORDER BY n.ord, c.ord LIMIT ?5",
                &[&day, &limit],
            ),
            None => {
                // In note order. The first notes are walked in order alone
                // first, each asked for its new cards (no sort, and a fresh
                // vault's first notes are all new); all new cards are sorted
                // only when those hold fewer than `limit`.
                let bound = self.nth_note_ord(first_notes)?;
                let first = self.cards_where(
                    deck,
                    Walk::NotesInOrder,
                    &format!("{conditions} AND (?6 IS NULL OR n.ord <= ?6)"),
                    "ORDER BY n.ord, c.ord LIMIT ?5",
                    &[&day, &limit, &bound],
                )?;
                if bound.is_none() || first.len() as i64 >= limit {
                    return Ok(first);
                }
                self.cards_where(
                    deck,
                    Walk::Index("cards_new"),
                    &conditions,
                    "ORDER BY n.ord, c.ord LIMIT ?5",
                    &[&day, &limit],
                )
            }
            Some(seed) => self.cards_where(
                deck,
                Walk::Cards,
                &conditions,
                "ORDER BY (c.rowid * 2654435761 + ?6) % 4294967311, c.rowid LIMIT ?5",
                &[&day, &limit, &seed],
            ),
        }
    }

    /// Cards in their learning steps (an option), in `scope`, that may be
    /// in the queue on `day`.
    pub fn learning_cards(&self, deck: Scope<'_>, day: &str) -> Result<Vec<CardRow>> {
        self.cards_where(
            deck,
            Walk::Cards,
            &format!("AND {IN_QUEUE} AND c.kind != 'reading' AND c.learning IS NOT NULL"),
            "",
            &[&day],
        )
    }

    /// Cards whose last answer on `day` was below 4 (they come back the
    /// same day), oldest answer first.
    pub fn repeat_cards(&self, deck: Scope<'_>, day: &str) -> Result<Vec<CardRow>> {
        let flashcards = Pick::Flashcards.condition();
        self.cards_where(
            deck,
            Walk::Cards,
            &format!(
                "AND {IN_QUEUE} AND {flashcards} AND c.id IN (
                 SELECT r.card_id FROM review_log r
                 WHERE r.day = ?4 AND r.kind != 'cram'
                   AND r.seq = (SELECT max(seq) FROM review_log
                                WHERE card_id = r.card_id AND kind != 'cram')
                   AND r.grade < 4)"
            ),
            "ORDER BY (SELECT max(seq) FROM review_log WHERE card_id = c.id AND kind != 'cram')",
            &[&day],
        )
    }

    /// Cards in `scope` (a deck and its sub-decks, cards with a tag)
    /// meeting `conditions`, in `order`; their parameters start at `?4`.
    pub(super) fn cards_where<'a>(
        &self,
        scope: impl Into<Scope<'a>>,
        walk: Walk,
        conditions: &str,
        order: &str,
        extra: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<CardRow>> {
        let scope = scope.into();
        let sql = match walk {
            Walk::Cards => format!("{CARD_COLUMNS} FROM cards c {CARD_JOINS} {conditions} {order}"),
            Walk::Decks => format!("{CARD_COLUMNS} {CARD_FROM_DECKS} {conditions} {order}"),
            Walk::NotesInOrder => {
                format!("{CARD_COLUMNS} {NEW_CARDS_IN_NOTE_ORDER} {conditions} {order}")
            }
            Walk::Index(index) => format!(
                "{CARD_COLUMNS} FROM cards c INDEXED BY {index} {CARD_JOINS} {conditions} {order}"
            ),
        };
        let deck = scope.deck;
        let prefix = super::subdeck_pattern(deck);
        let tag = scope.tag_pattern();
        let mut params: Vec<&dyn rusqlite::ToSql> = vec![&deck, &prefix, &tag];
        params.extend_from_slice(extra);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params.as_slice(), card_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Where a card query starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Walk {
    /// From the cards, through whichever index the planner picks.
    Cards,
    /// From the matching decks through their notes: faster when the deck
    /// is a small part of the collection.
    Decks,
    /// From the notes in their order, each note's new cards from their
    /// index (new cards only).
    NotesInOrder,
    /// From the cards, through this index: its order and filter are what
    /// the query relies on (the planner, told the index is small or
    /// unknown, may otherwise sort every match).
    Index(&'static str),
}

/// Which cards a queue query picks: flashcards or reading cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// Cards answered from memory (every kind but reading).
    Flashcards,
    /// Reading cards.
    Reading,
}

impl Pick {
    fn condition(self) -> &'static str {
        match self {
            // A card in its learning steps is shown at its time instead.
            Pick::Flashcards => "c.kind != 'reading' AND c.learning IS NULL",
            Pick::Reading => "c.kind = 'reading'",
        }
    }
}

/// `AND c.rowid IN (…)`: the first `?5` cards meeting `conditions` in
/// `order`, picked from `index`. With nothing scoping the queue the pick
/// reads that index alone (no note or deck is looked up for each card it
/// passes); the cards' rows are read only for the cards picked.
fn picked_from(index: &str, scope: Scope<'_>, conditions: &str, order: &str) -> String {
    let joins = if scope.deck.is_none() && scope.tag.is_none() {
        "WHERE 1"
    } else {
        CARD_JOINS
    };
    format!(
        "AND c.rowid IN (SELECT c.rowid FROM cards c INDEXED BY {index} {joins}
             {conditions} {order} LIMIT ?5)"
    )
}

/// A card that may be in today's queue (`?4` is today): not retired,
/// suspended or buried.
const IN_QUEUE: &str =
    "c.retired = 0 AND c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= ?4)";

/// The card columns `card_row` reads.
/// One card by id (`?1`), with its note and deck.
pub(super) fn card_by_id_sql() -> String {
    format!(
        "{CARD_COLUMNS} FROM cards c
         JOIN notes n ON n.id = c.note_id
         JOIN decks d ON d.id = n.deck_id
         WHERE c.id = ?1"
    )
}

pub(super) const CARD_COLUMNS: &str =
    "SELECT c.id, d.name, n.path, c.heading_path, c.kind, c.line, c.front_html,
        c.back_html, c.tags, c.retired, c.ease_factor, c.interval_days,
        c.repetitions, c.lapses, c.due_day, c.suspended, c.buried_until, c.user_tags,
        c.stability, c.difficulty, c.learning";

/// [`CARD_COLUMNS`] with empty text for the front and back HTML.
const CARD_COLUMNS_WITHOUT_HTML: &str =
    "SELECT c.id, d.name, n.path, c.heading_path, c.kind, c.line, '',
        '', c.tags, c.retired, c.ease_factor, c.interval_days,
        c.repetitions, c.lapses, c.due_day, c.suspended, c.buried_until, c.user_tags,
        c.stability, c.difficulty, c.learning";

/// Joins the cards `c` to their notes and decks, the scope (deck filter `?1`/`?2`,
/// tag pattern `?3`) applied; the planner starts from the cards (and their
/// indexes).
const CARD_JOINS: &str = "JOIN notes n ON n.id = c.note_id
 JOIN decks d ON d.id = n.deck_id
 WHERE (?1 IS NULL OR d.name = ?1 OR d.name LIKE ?2 ESCAPE '\\')
   AND (?3 IS NULL OR (' ' || c.tags || ' ' || c.user_tags || ' ') LIKE ?3 ESCAPE '\\')";

/// New cards walked from the notes in order (`notes_ord`), each note's new
/// cards from `cards_new`: rows come in note order, so a `LIMIT` stops the
/// walk without sorting every new card.
const NEW_CARDS_IN_NOTE_ORDER: &str = "FROM notes n INDEXED BY notes_ord
 CROSS JOIN cards c INDEXED BY cards_new ON c.note_id = n.id
 JOIN decks d ON d.id = n.deck_id
 WHERE (?1 IS NULL OR d.name = ?1 OR d.name LIKE ?2 ESCAPE '\\')
   AND (?3 IS NULL OR (' ' || c.tags || ' ' || c.user_tags || ' ') LIKE ?3 ESCAPE '\\')";

/// Notes walked in order for new cards before every new card is sorted
/// instead (see `Reader::new_cards`): a few tenths of a millisecond.
const FIRST_NOTES: i64 = 2_000;

/// The same rows, walked from the matching decks through their notes.
const CARD_FROM_DECKS: &str = "FROM decks d
 CROSS JOIN notes n ON n.deck_id = d.id
 CROSS JOIN cards c INDEXED BY cards_browse ON c.note_id = n.id
 WHERE (?1 IS NULL OR d.name = ?1 OR d.name LIKE ?2 ESCAPE '\\')
   AND (?3 IS NULL OR (' ' || c.tags || ' ' || c.user_tags || ' ') LIKE ?3 ESCAPE '\\')";

pub(super) fn card_row(r: &Row<'_>) -> rusqlite::Result<CardRow> {
    let retired: bool = r.get(9)?;
    let repetitions: i64 = r.get(12)?;
    let due_text: Option<String> = r.get(14)?;
    let due = due_text
        .as_deref()
        .and_then(|text| crate::day::parse_day(text.as_bytes()));
    let state = if retired {
        CardState::Retired
    } else if due_text.is_none() {
        CardState::New
    } else if repetitions >= 2 {
        CardState::Review
    } else {
        CardState::Learning
    };
    let tags: String = r.get(8)?;
    let buried: Option<String> = r.get(16)?;
    let user_tags: String = r.get(17)?;
    Ok(CardRow {
        id: r.get(0)?,
        deck: r.get(1)?,
        note: r.get(2)?,
        heading_path: split_path(&r.get::<_, String>(3)?),
        kind: CardKind::parse(&r.get::<_, String>(4)?),
        line: r.get(5)?,
        front_html: r.get(6)?,
        back_html: r.get(7)?,
        tags: tags.split_whitespace().map(str::to_owned).collect(),
        state,
        ease_factor: r.get(10)?,
        interval_days: r.get(11)?,
        repetitions,
        lapses: r.get(13)?,
        due,
        suspended: r.get(15)?,
        buried_until: buried.and_then(|t| crate::day::parse_day(t.as_bytes())),
        user_tags: user_tags.split_whitespace().map(str::to_owned).collect(),
        memory: crate::scheduler::Memory::from_columns(r.get(18)?, r.get(19)?),
        learning: super::reviews::learning_of(r.get(20)?),
    })
}
