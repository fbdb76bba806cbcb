//! Where cards sit, as imports decided it here and on other devices, and
//! cards merged into others (aliases): the identity decisions that travel
//! through the sync folder (schema 21).

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};

use super::{Reader, Tx};
use crate::model::CardId;
use crate::Result;

/// How many aliases are followed from one id (a chain longer than this is
/// a loop someone's files made; the id is taken as it is).
const MAX_ALIAS_HOPS: usize = 16;

/// One decision about where a card sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceRow {
    /// The decision's id (a UUIDv7; the sync record's id).
    pub id: String,
    /// The card.
    pub card_id: CardId,
    /// Its note's path within the vault, with `/`.
    pub path: String,
    /// Its matching key in that note (kind and heading path).
    pub match_key: String,
    /// The card was retired (its section left the note).
    pub retired: bool,
    /// When it was decided (RFC 3339, UTC).
    pub at: String,
    /// The device that decided, or none when it was this one.
    pub device: Option<String>,
}

/// A card merged into another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasRow {
    /// The merge's id (the sync record's id).
    pub id: String,
    /// The card merged away.
    pub from_id: CardId,
    /// The card it is now part of.
    pub to_id: CardId,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// The device that merged, or none when it was this one.
    pub device: Option<String>,
}

fn place_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PlaceRow> {
    Ok(PlaceRow {
        id: r.get(0)?,
        card_id: CardId(r.get(1)?),
        path: r.get(2)?,
        match_key: r.get(3)?,
        retired: r.get(4)?,
        at: r.get(5)?,
        device: r.get(6)?,
    })
}

const PLACE_COLUMNS: &str = "id, card_id, path, match_key, retired, at, device";

impl Reader<'_> {
    /// The card whose newest placing (a retirement aside) puts it at
    /// `match_key` in the note at `path`, the newest such claim first.
    /// A retirement is not counted: a device that could not follow a
    /// section's edits retires its card and makes another, and that must
    /// not undo what a device that followed them decided.
    pub fn claimed_card(&self, path: &str, match_key: &str) -> Result<Option<CardId>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT p.card_id FROM card_places p
                 WHERE p.path = ?1 AND p.match_key = ?2 AND p.retired = 0
                   AND NOT EXISTS (SELECT 1 FROM card_places q
                                   WHERE q.card_id = p.card_id AND q.retired = 0
                                     AND (q.at > p.at OR (q.at = p.at AND q.id > p.id)))
                 ORDER BY p.at DESC, p.id DESC LIMIT 1",
            )?
            .query_row(params![path, match_key], |r| Ok(CardId(r.get(0)?)))
            .optional()?)
    }

    /// The newest placing of a card (a retirement aside).
    pub fn newest_place(&self, card_id: &CardId) -> Result<Option<PlaceRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {PLACE_COLUMNS} FROM card_places WHERE card_id = ?1 AND retired = 0
                 ORDER BY at DESC, id DESC LIMIT 1"
            ))?
            .query_row([card_id], place_row)
            .optional()?)
    }

    /// True when `card_id` sits at that place here (live or retired).
    pub fn card_is_at_place(&self, card_id: &CardId, path: &str, match_key: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM cards c JOIN notes n ON n.id = c.note_id
                 WHERE c.id = ?1 AND n.vault_path = ?2 AND c.match_key = ?3",
            )?
            .exists(params![card_id, path, match_key])?)
    }

    /// The note here at `path` within its vault.
    pub fn note_at_vault_path(&self, path: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM notes WHERE vault_path = ?1 LIMIT 1")?
            .query_row([path], |r| r.get(0))
            .optional()?)
    }

    /// True when `card_id` is here and not retired.
    pub fn card_is_live(&self, card_id: &CardId) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM cards WHERE id = ?1 AND retired = 0")?
            .exists([card_id])?)
    }

    /// The live card at `match_key` in the note at `path` here.
    pub fn card_at_place(&self, path: &str, match_key: &str) -> Result<Option<CardId>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT c.id FROM notes n JOIN cards c ON c.note_id = n.id
                 WHERE n.vault_path = ?1 AND c.match_key = ?2 AND c.retired = 0
                 LIMIT 1",
            )?
            .query_row(params![path, match_key], |r| Ok(CardId(r.get(0)?)))
            .optional()?)
    }

    /// True when `card_id` is retired here at exactly that place (so a
    /// decision putting it back there needs no import to bring it back).
    /// A stand-in (a card that never was in this note here, made so its
    /// answers have a card: no text) is not counted: it has nothing to
    /// come back with.
    pub fn retired_at_place(&self, card_id: &CardId, path: &str, match_key: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM cards c JOIN notes n ON n.id = c.note_id
                 WHERE c.id = ?1 AND c.retired = 1 AND n.vault_path = ?2 AND c.match_key = ?3
                   AND c.content_hash != ''",
            )?
            .exists(params![card_id, path, match_key])?)
    }

    /// True when a decision (here or from another device) retired
    /// `card_id` at that place after the decision `(at, id)`: a placing
    /// older than that retirement does not bring the card back.
    pub fn retired_at_place_after(
        &self,
        card_id: &CardId,
        (path, match_key): (&str, &str),
        (at, id): (&str, &str),
    ) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM card_places
                 WHERE card_id = ?1 AND path = ?2 AND match_key = ?3 AND retired = 1
                   AND (at > ?4 OR (at = ?4 AND id > ?5))",
            )?
            .exists(params![card_id, path, match_key, at, id])?)
    }

    /// True when any decision about where cards sit is known here.
    pub fn has_places(&self) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM card_places LIMIT 1")?
            .exists([])?)
    }

    /// True when some decision (here or taken in) names this place.
    pub fn place_has_decisions(&self, path: &str, match_key: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM card_places WHERE path = ?1 AND match_key = ?2")?
            .exists(params![path, match_key])?)
    }

    /// The card (other than `except`) that sits retired at that place here
    /// because another device's decision retired it (no import here did
    /// since it was last placed): the section may still be in this note.
    /// Stand-ins (no text: never in this note here) are not counted.
    pub fn retired_by_merge_at_place(
        &self,
        (path, match_key): (&str, &str),
        except: &CardId,
    ) -> Result<Option<CardId>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT c.id FROM notes n JOIN cards c ON c.note_id = n.id
                 WHERE n.vault_path = ?1 AND c.match_key = ?2 AND c.retired = 1 AND c.id != ?3
                   AND c.content_hash != ''
                   AND EXISTS (SELECT 1 FROM card_places q
                               WHERE q.card_id = c.id AND q.path = ?1 AND q.match_key = ?2
                                 AND q.retired = 1 AND q.device IS NOT NULL)
                   AND NOT EXISTS (SELECT 1 FROM card_places q
                                   WHERE q.card_id = c.id AND q.path = ?1 AND q.match_key = ?2
                                     AND q.retired = 1 AND q.device IS NULL
                                     AND q.at >= COALESCE((SELECT max(r.at) FROM card_places r
                                                           WHERE r.card_id = c.id
                                                             AND r.retired = 0), ''))
                 ORDER BY c.updated_at DESC, c.id LIMIT 1",
            )?
            .query_row(params![path, match_key, except], |r| Ok(CardId(r.get(0)?)))
            .optional()?)
    }

    /// True when some other device's decision about a place was taken in
    /// (an import then checks its cards against them).
    pub fn has_foreign_places(&self) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM card_places WHERE device IS NOT NULL LIMIT 1")?
            .exists([])?)
    }

    /// True when a decision or alias with this id is known here.
    pub fn place_known(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM card_places WHERE id = ?1
                 UNION ALL SELECT 1 FROM card_aliases WHERE id = ?1",
            )?
            .exists([id])?)
    }

    /// The card `id` now is: itself, or the card it was merged into.
    pub fn resolve_alias(&self, id: &CardId) -> Result<CardId> {
        let mut current = id.clone();
        for _ in 0..MAX_ALIAS_HOPS {
            let next: Option<String> = self
                .conn
                .prepare_cached("SELECT to_id FROM card_aliases WHERE from_id = ?1")?
                .query_row([&current], |r| r.get(0))
                .optional()?;
            match next {
                Some(next) if next != current.0 => current = CardId(next),
                _ => return Ok(current),
            }
        }
        Ok(id.clone())
    }

    /// Decisions made here not yet written to the sync folder, oldest
    /// first, at most `limit`.
    pub fn unexported_places(&self, limit: usize) -> Result<Vec<PlaceRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {PLACE_COLUMNS} FROM card_places
             WHERE unwritten = 1 ORDER BY at, id LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit as i64], place_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Merges made here not yet written to the sync folder, at most `limit`.
    pub fn unexported_aliases(&self, limit: usize) -> Result<Vec<AliasRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, from_id, to_id, at, device FROM card_aliases a
             WHERE device IS NULL
               AND NOT EXISTS (SELECT 1 FROM sync_exported e WHERE e.id = a.id AND e.kind = 'alias')
             ORDER BY at, id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(AliasRow {
                id: r.get(0)?,
                from_id: CardId(r.get(1)?),
                to_id: CardId(r.get(2)?),
                at: r.get(3)?,
                device: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// True when the card has answers or actions here.
    pub fn card_has_history(&self, card_id: &CardId) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM review_log WHERE card_id = ?1
                 UNION ALL SELECT 1 FROM card_actions WHERE card_id = ?1 LIMIT 1",
            )?
            .exists([card_id])?)
    }
}

impl Tx<'_> {
    /// Keeps a decision about where a card sits (once per id).
    pub fn record_place(&self, row: &PlaceRow) -> Result<()> {
        self.tx
            .prepare_cached(&format!(
                "INSERT OR IGNORE INTO card_places ({PLACE_COLUMNS}, unwritten)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7 IS NULL)"
            ))?
            .execute(params![
                row.id,
                row.card_id,
                row.path,
                row.match_key,
                row.retired,
                row.at,
                row.device
            ])?;
        Ok(())
    }

    /// Remembers that the decision `id` was written to the sync folder.
    pub fn place_written(&self, id: &str) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE card_places SET unwritten = 0 WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    }

    /// Keeps a merge of one card into another (once per card merged away).
    pub fn record_alias(&self, row: &AliasRow) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO card_aliases (from_id, to_id, id, at, device)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![row.from_id, row.to_id, row.id, row.at, row.device])?;
        Ok(())
    }

    /// Makes a retired card for a section another device had and retired
    /// before this one saw it, so its answers have a card here: its front
    /// is its heading; it has no text.
    pub fn insert_retired_stand_in(
        &self,
        card_id: &CardId,
        note_id: i64,
        match_key: &str,
        now: &str,
    ) -> Result<()> {
        let (kind, path) = match_key.split_once(':').unwrap_or(("section", match_key));
        let headings: Vec<&str> = path.split('\u{1f}').filter(|h| !h.is_empty()).collect();
        let last = headings
            .last()
            .map(|h| h.split('#').next().unwrap_or(h))
            .unwrap_or("");
        let front = format!(
            "<div class=\"front\">{}</div>",
            crate::markdown::render::escape_text(last)
        );
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO cards (id, note_id, kind, match_key, heading_path, ord, line,
                     front_html, back_html, source, content_hash, tags, created_at, updated_at,
                     retired)
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, ?6,
                     '<p>This section was on another computer and left its note before this one saw it.</p>',
                     '', '', '', ?7, ?7, 1)",
            )?
            .execute(params![
                card_id,
                note_id,
                crate::model::CardKind::parse(kind).as_str(),
                match_key,
                headings.join("\u{1f}"),
                front,
                now
            ])?;
        Ok(())
    }

    /// Brings a retired card back as it was.
    pub fn unretire_card(&self, card_id: &CardId, now: &str) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE cards SET retired = 0, updated_at = ?2 WHERE id = ?1")?
            .execute(params![card_id, now])?;
        Ok(())
    }

    /// Remembers a note's path within its vault (set once for notes
    /// imported before it was kept).
    pub fn set_note_vault_path(&self, note_id: i64, path: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE notes SET vault_path = ?2 WHERE id = ?1 AND vault_path IS NOT ?2",
            )?
            .execute(params![note_id, path])?;
        Ok(())
    }

    /// Makes `from` part of `into`: `into` takes `from`'s place and
    /// content unless it is in a note here itself (made as a copy when it
    /// does not exist here), every answer,
    /// action and mark of `from` moves to it, and `from` is gone. The
    /// schedule is left to a replay of the merged history.
    pub fn merge_card_into(&self, from: &CardId, into: &CardId) -> Result<()> {
        if from == into {
            return Ok(());
        }
        let columns: Vec<String> = {
            let mut stmt = self
                .tx
                .prepare_cached("SELECT name FROM pragma_table_info('cards') WHERE name != 'id'")?;
            let names = stmt.query_map([], |r| r.get(0))?;
            names.collect::<rusqlite::Result<_>>()?
        };
        let into_live: Option<bool> = self
            .tx
            .prepare_cached("SELECT retired = 0 FROM cards WHERE id = ?1")?
            .query_row([into], |r| r.get(0))
            .optional()?;
        if !self.card_exists(from)? {
            // A card that never was here (another device made it and
            // merged it away): nothing of its row to keep; only rows that
            // name it move below.
        } else if into_live == Some(true) {
            // It keeps its own place: `from` was retired, or sits elsewhere.
            self.tx
                .prepare_cached(
                    "DELETE FROM card_search WHERE rowid =
                         (SELECT abs(search_id) FROM cards WHERE id = ?1)",
                )?
                .execute([from])?;
        } else if into_live == Some(false) {
            // Its old search entry goes; it is indexed again as it is now.
            self.tx
                .prepare_cached(
                    "DELETE FROM card_search WHERE rowid =
                         (SELECT abs(search_id) FROM cards WHERE id = ?1)",
                )?
                .execute([into])?;
            self.tx.execute(
                "UPDATE cards SET (note_id, kind, match_key, heading_path, ord, line, front_html,
                     back_html, source, content_hash, tags, retired, search_id) =
                     (SELECT note_id, kind, match_key, heading_path, ord, line, front_html,
                         back_html, source, content_hash, tags, retired, search_id
                      FROM cards WHERE id = ?2)
                 WHERE id = ?1",
                params![into, from],
            )?;
        } else {
            let list = columns.join(", ");
            self.tx.execute(
                &format!(
                    "INSERT INTO cards (id, {list}) SELECT ?1, {list} FROM cards WHERE id = ?2"
                ),
                params![into, from],
            )?;
        }
        self.tx
            .prepare_cached("UPDATE cards SET search_id = NULL WHERE id = ?1")?
            .execute([from])?;
        let references: Vec<(String, String)> = {
            let mut stmt = self.tx.prepare_cached(
                "SELECT m.name, f.\"from\" FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
                 WHERE m.type = 'table' AND f.\"table\" = 'cards'",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let unlinked = [("undone_answers", "card_id"), ("undone_actions", "card_id")];
        for (table, column) in references
            .iter()
            .map(|(t, c)| (t.as_str(), c.as_str()))
            .chain(unlinked)
        {
            // A row the card already has (a table keyed by card) stays as
            // it is; `from`'s copy goes.
            self.tx.execute(
                &format!(
                    "UPDATE OR IGNORE \"{table}\" SET \"{column}\" = ?1 WHERE \"{column}\" = ?2"
                ),
                params![into, from],
            )?;
            self.tx.execute(
                &format!("DELETE FROM \"{table}\" WHERE \"{column}\" = ?1"),
                [from],
            )?;
        }
        self.tx
            .prepare_cached("DELETE FROM cards WHERE id = ?1")?
            .execute([from])?;
        Ok(())
    }
}

impl Reader<'_> {
    /// The cards a note (by its path) makes, by the line each starts at,
    /// in note order: id, kind and heading path (retired ones too). One
    /// read of the note's cards, for a caller that looks up many lines.
    pub fn cards_by_line(&self, note_path: &str) -> Result<HashMap<i64, Vec<CardAtLine>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.line, c.id, c.kind, c.heading_path FROM notes n JOIN cards c ON c.note_id = n.id
             WHERE n.path = ?1 ORDER BY c.ord",
        )?;
        let mut rows = stmt.query([note_path])?;
        let mut by_line: HashMap<i64, Vec<CardAtLine>> = HashMap::new();
        while let Some(row) = rows.next()? {
            let kind: String = row.get(2)?;
            let path: String = row.get(3)?;
            by_line.entry(row.get(0)?).or_default().push((
                CardId(row.get(1)?),
                crate::model::CardKind::parse(&kind),
                super::split_path(&path),
            ));
        }
        Ok(by_line)
    }
}

/// A card found at a note's line: id, kind and heading path.
pub type CardAtLine = (CardId, crate::model::CardKind, Vec<String>);

impl Tx<'_> {
    /// Remembers which card an Anki card (its note's guid and its ord)
    /// became.
    pub fn map_anki_card(&self, guid: &str, ord: i64, anki_card: i64, card: &CardId) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO anki_cards (guid, ord, anki_card, card_id) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (guid, ord) DO UPDATE SET anki_card = excluded.anki_card,
                     card_id = excluded.card_id",
            )?
            .execute(params![guid, ord, anki_card, card])?;
        Ok(())
    }
}
