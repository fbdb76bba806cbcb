//! Notes: importing them, opening them, cards written into them, and the card doctor's findings.

use crate::*;

impl Service {
    /// Writes a card made from text selected on `card_id` into its note (a
    /// cloze of the text, or a question answered by it), imports the note
    /// again at once and returns the new card. Refused, with the note left
    /// as it is, when the note changed on disk since its import or lives
    /// outside the imported folders. Undo takes it out again.
    pub fn extract(
        &mut self,
        request: &ExtractRequest,
        now: DateTime<Utc>,
    ) -> ApiResult<ExtractedDto> {
        use notedeck_core::extract::{self, Making};
        let making = match (&request.cloze, &request.question, &request.answer) {
            (Some(text), None, None) => Making::Cloze { text: text.clone() },
            (None, Some(question), Some(answer)) => Making::Question {
                question: question.clone(),
                answer: answer.clone(),
            },
            _ => {
                return Err(ApiError::new(
                    ErrorCode::InvalidInput,
                    "give either --cloze TEXT, or --question Q with --answer TEXT",
                ))
            }
        };
        let from = notedeck_core::model::CardId::from(request.card_id.as_str());
        let written = extract::write(&self.collection, &from, &making)?;
        let report = self.import_note_again(&written.note, now)?;
        // The card the import added at the written line (a cloze's section
        // newly tagged may add others: the one at the line is this one).
        let added: Vec<String> = report
            .notes
            .iter()
            .filter(|n| n.path == written.note)
            .flat_map(|n| n.changes.iter())
            .filter(|c| c.kind == "added" || c.kind == "restored")
            .map(|c| c.card_id.clone())
            .collect();
        let reader = self.collection.reader();
        let mut card_id = None;
        for id in &added {
            let card = reader.card(&notedeck_core::model::CardId::from(id.as_str()))?;
            if card.is_some_and(|c| c.line as usize == written.line) {
                card_id = Some(id.clone());
                break;
            }
        }
        let card_id = card_id.or_else(|| added.first().cloned());
        let new_id = card_id.as_deref().map(notedeck_core::model::CardId::from);
        let undo_id = extract::record(&mut self.collection, &written, &from, new_id.as_ref(), now)?;
        let card_id = card_id.ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "the card was written into {} at line {}, but the import made no new card of it (see `notedeck import`); `notedeck undo` takes it out",
                    written.note, written.line
                ),
            )
        })?;
        Ok(ExtractedDto {
            card_id,
            note: written.note,
            line: written.line as i64,
            undo_id,
        })
    }

    /// Imports again the source that holds `note` (as `notedeck import`
    /// with no path does for every source).
    pub(crate) fn import_note_again(
        &mut self,
        note: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<ImportReportDto> {
        let source = self
            .collection
            .reader()
            .sources()?
            .into_iter()
            .filter(|s| Path::new(note).starts_with(&s.path))
            .max_by_key(|s| s.path.len())
            .ok_or_else(|| notedeck_core::Error::NoSources)?;
        let request = ImportRequest {
            deck: source.deck.clone(),
            dry_run: false,
        };
        self.import(&[PathBuf::from(source.path)], &request, now, &mut |_| {})
    }

    /// Every path imported before, oldest first.
    pub fn sources(&self) -> ApiResult<Vec<String>> {
        Ok(self
            .collection
            .reader()
            .sources()?
            .into_iter()
            .map(|s| s.path)
            .collect())
    }

    /// Imports notes (every known source when `paths` is empty).
    pub fn import(
        &mut self,
        paths: &[PathBuf],
        request: &ImportRequest,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(ImportProgressDto),
    ) -> ApiResult<ImportReportDto> {
        let options = ImportOptions {
            deck: request.deck.clone(),
            dry_run: request.dry_run,
            junk: Settings::read(&self.collection)?.junk,
            ..ImportOptions::default()
        };
        let paths: Vec<PathBuf> = paths.iter().map(|p| shell::expand_home(p)).collect();
        let decks_before = self.collection.reader().note_decks()?;
        let report = import::import(&mut self.collection, &paths, &options, now, &mut |p| {
            progress(p.into());
        })?;
        let mut dto = ImportReportDto::from(report);
        deck_moves(&mut dto, &decks_before);
        let t = &dto.totals;
        let written = t.added + t.updated + t.moved + t.restored;
        if !dto.dry_run && written <= DOCTOR_COUNT_CARDS {
            dto.doctor_findings = Some(self.doctor_count(&dto)?);
        }
        Ok(dto)
    }

    /// Opens a note of the collection the way the system opens it: with
    /// Obsidian (at `heading`) when the note is inside an Obsidian vault,
    /// with the default program for its file otherwise. Only notes the
    /// collection holds are opened.
    pub fn open_note(&self, path: &str, heading: Option<&str>) -> ApiResult<OpenedDto> {
        if self.collection.reader().note_by_path(path)?.is_none() {
            return Err(ApiError::new(
                ErrorCode::PathNotFound,
                format!("{path} is not a note of this collection; `notedeck import` it first"),
            ));
        }
        let note = Path::new(path);
        let (how, target) = match shell::obsidian_vault(note) {
            Some(_) => ("obsidian", shell::obsidian_link(note, heading)),
            None => ("default", path.to_owned()),
        };
        shell::open_with_system(&target)?;
        Ok(OpenedDto {
            how: how.to_owned(),
            target,
        })
    }

    /// The note at `path` read-only: its whole text rendered from the file
    /// as it is now, and its active cards in note order, within
    /// [`NOTE_VIEW_MAX_CARDS`] and [`NOTE_VIEW_MAX_BYTES`].
    pub fn note_view(&self, path: &str) -> ApiResult<NoteViewDto> {
        if self.collection.reader().note_by_path(path)?.is_none() {
            return Err(ApiError::new(
                ErrorCode::PathNotFound,
                format!("{path} is not a note of this collection; `notedeck import` it first"),
            ));
        }
        let rows = self.collection.reader().cards_of_note_path(path)?;
        let total = rows.len();
        let mut bytes = 0;
        let mut cards = Vec::new();
        for row in rows.into_iter().take(NOTE_VIEW_MAX_CARDS) {
            bytes += row.front_html.len() + row.back_html.len();
            if bytes > NOTE_VIEW_MAX_BYTES && !cards.is_empty() {
                break;
            }
            cards.push(NoteCardDto {
                id: row.id.to_string(),
                kind: row.kind.as_str().to_owned(),
                line: row.line,
                heading_path: row.heading_path,
                front_html: row.front_html,
                back_html: row.back_html,
            });
        }
        let (html, no_html) = match notedeck_core::note_page::note_page(&self.collection, path)? {
            Ok(html) => (Some(html), None),
            Err(why) => {
                use notedeck_core::note_page::NoPage;
                let why = match why {
                    NoPage::Unreadable(reason) => format!(
                        "The note cannot be read now ({reason}): its cards as last imported."
                    ),
                    NoPage::TooLarge => format!(
                        "The note is over {} MB: its cards as last imported.",
                        notedeck_core::note_page::MAX_PAGE_BYTES >> 20
                    ),
                    NoPage::NotText => {
                        "The note is no longer text: its cards as last imported.".to_owned()
                    }
                };
                (None, Some(why))
            }
        };
        Ok(NoteViewDto {
            html,
            no_html,
            path: path.to_owned(),
            file_name: Path::new(path)
                .file_name()
                .map_or_else(|| path.to_owned(), |n| n.to_string_lossy().into_owned()),
            left_out: total - cards.len(),
            cards,
        })
    }

    /// Puts every card the importer added or changed into the search index
    /// now, in batches of [`SEARCH_INDEX_BATCH`] (one short transaction
    /// each, so answers are not held up); returns how many.
    pub fn index_search(&mut self) -> ApiResult<usize> {
        Ok(notedeck_core::search::index_pending(&mut self.collection)?)
    }

    /// Indexes new and changed cards for search on a connection of its
    /// own, in the background (the desktop app and `serve`, after an
    /// import); until it is done, such cards are searched the slow way.
    pub fn index_search_in_background(&self) -> ApiResult<()> {
        static RUNNING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        use std::sync::atomic::Ordering;
        if self.collection.reader().unindexed_cards()? == 0 || RUNNING.swap(true, Ordering::AcqRel)
        {
            return Ok(());
        }
        let path = self.collection.path().to_owned();
        std::thread::spawn(move || {
            let indexed = Collection::open(&path)
                .and_then(|mut c| notedeck_core::search::index_pending(&mut c));
            if let Err(err) = indexed {
                eprintln!("notedeck: the search index could not be brought up to date: {err}");
            }
            RUNNING.store(false, Ordering::Release);
        });
        Ok(())
    }

    /// Makes section cards reading cards (`reading`) or flashcards again
    /// (the doctor's "Review as reading"); the choice is kept across
    /// imports. Cards of other kinds are left as they are. Returns the
    /// cards whose kind changed.
    pub fn review_as_reading(
        &mut self,
        request: &ReadingRequest,
        now: DateTime<Utc>,
    ) -> ApiResult<ReadingDto> {
        if request.card_ids.len() > MAX_ACTION_CARDS {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("at most {MAX_ACTION_CARDS} cards at once: choose fewer"),
            ));
        }
        let rules = Settings::read(&self.collection)?.junk;
        let ids: Vec<CardId> = request
            .card_ids
            .iter()
            .map(|id| CardId::from(id.as_str()))
            .collect();
        let changed = notedeck_core::doctor::review_as_reading(
            &mut self.collection,
            &ids,
            request.reading,
            &rules,
            now,
        )?
        .into_iter()
        .map(|id| id.0)
        .collect();
        Ok(ReadingDto { changed })
    }
}
