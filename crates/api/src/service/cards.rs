//! The deck tree, card lists, the card browser and one card's detail.

use crate::*;

impl Service {
    /// The deck tree with counts that include sub-decks.
    pub fn decks(&self, now: DateTime<Utc>) -> ApiResult<Vec<DeckNode>> {
        self.decks_tagged(None, now)
    }

    /// The deck tree counting only the cards with `tag` (decks without
    /// such cards show zeros).
    pub fn decks_tagged(&self, tag: Option<&str>, now: DateTime<Utc>) -> ApiResult<Vec<DeckNode>> {
        let tag = tag.map(actions::parse_tag).transpose()?;
        let day = self.today(now)?;
        let today = day::format_day(day);
        // Tomorrow's due count of each deck, as the deck list counts, from
        // the same pass.
        let tomorrow = day::format_day(day.succ_opt().unwrap_or(day));
        let reader = self.collection.reader();
        let rows = reader.deck_counts_tagged(&today, &tomorrow, tag.as_deref())?;
        let mut tree = dto::deck_tree(&rows);
        // What today's limits still allow, as the queue will give it.
        let limits = self.limits()?;
        let (new_done, answers_done) = reader.answered_today(day)?;
        let room = (limits.reviews_per_day - answers_done).max(0);
        let new_room = (limits.new_per_day - new_done).max(0);
        let by_deck = reader.answered_today_by_deck(&today)?;
        let options = reader.all_deck_options()?;
        allow(&mut tree, room, new_room, &by_deck, &options);
        let reading_room = (limits.reading_per_day - reader.read_today(day)?).max(0);
        allow_reading(&mut tree, reading_room);
        Ok(tree)
    }

    /// Every card, or those of `deck` and its sub-decks.
    pub fn cards(&self, deck: Option<&str>, now: DateTime<Utc>) -> ApiResult<Vec<CardDto>> {
        let deck = self.resolve_deck_opt(deck)?;
        let deck = deck.as_deref();
        let rows = self.collection.reader().cards(deck)?;
        self.card_dtos(rows, now)
    }

    /// Cards as DTOs, with their retrievability today under FSRS.
    pub(crate) fn card_dtos(
        &self,
        rows: Vec<notedeck_core::storage::CardRow>,
        now: DateTime<Utc>,
    ) -> ApiResult<Vec<CardDto>> {
        let today = self.today(now)?;
        let (_, scheduler) = self.collection.reader().current_scheduler()?;
        Ok(rows
            .into_iter()
            .map(|row| CardDto::under(row, &scheduler, today))
            .collect())
    }

    /// Cards matching `search` (the card browser's query language), in
    /// note order, optionally within `deck`; found under [`SEARCH_BUDGET`].
    pub fn cards_matching(
        &mut self,
        deck: Option<&str>,
        search: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<Vec<CardDto>> {
        let deck = self.resolve_deck_opt(deck)?;
        let deck = deck.as_deref();
        let query = parse_query(search)?;
        let today = self.today(now)?;
        let (_, rows) = self.bounded(|collection| {
            collection.reader().search_cards(
                &query,
                deck,
                today,
                (SortKey::NoteOrder, false),
                i64::MAX,
                0,
            )
        })?;
        self.card_dtos(rows, now)
    }

    /// The ids of every card `search` finds (to act on a whole search):
    /// found under the search budget, before anything is written.
    pub fn search_ids(&mut self, search: &str, now: DateTime<Utc>) -> ApiResult<Vec<String>> {
        let query = parse_query(search)?;
        let today = self.today(now)?;
        let ids =
            self.bounded(|collection| collection.reader().search_card_ids(&query, None, today))?;
        Ok(ids.into_iter().map(|id| id.0).collect())
    }

    /// One page of the card browser, found (and counted) under
    /// [`SEARCH_BUDGET`].
    pub fn browse(
        &mut self,
        request: &BrowseRequest,
        now: DateTime<Utc>,
    ) -> ApiResult<BrowsePageDto> {
        let query = parse_query(request.search.as_deref().unwrap_or_default())?;
        let sort = request.sort.map_or(SortKey::NoteOrder, SortKey::from);
        let limit = request.limit.map_or(200, |c| c.0).clamp(1, MAX_PAGE_CARDS);
        let offset = request.offset.map_or(0, |c| c.0).min(i64::MAX as u64);
        let today = self.today(now)?;
        let descending = request.descending.is_some_and(|d| d.0);
        let (total, rows) = self.bounded(|collection| {
            collection.reader().search_cards(
                &query,
                None,
                today,
                (sort, descending),
                limit as i64,
                offset as i64,
            )
        })?;
        Ok(BrowsePageDto {
            total: total.max(0) as u64,
            offset,
            cards: rows.iter().map(CardSummaryDto::from).collect(),
        })
    }

    /// One card with its whole history from the log.
    pub fn card_detail(&self, card_id: &str, now: DateTime<Utc>) -> ApiResult<CardDetailDto> {
        let id = CardId::from(card_id);
        let today = self.today(now)?;
        let reader = self.collection.reader();
        let card = reader
            .card(&id)?
            .ok_or_else(|| notedeck_core::Error::CardNotFound(card_id.to_owned()))?;
        let (_, scheduler) = reader.current_scheduler()?;
        Ok(CardDetailDto {
            card: CardDto::under(card, &scheduler, today),
            reviews: reader
                .reviews_of_card(&id)?
                .into_iter()
                .map(ReviewDto::from)
                .collect(),
            actions: reader
                .actions_of_card(&id)?
                .into_iter()
                .map(ActionDto::from)
                .collect(),
        })
    }
}
