//! Today's queue, custom study, answers, undo and actions on cards.

use crate::*;

impl Service {
    /// Queue entries as every shell shows them, with the interval each
    /// button would give (under the card's deck's maximum interval, if
    /// any).
    pub(crate) fn queue_dtos(
        &self,
        queue: Vec<(notedeck_core::storage::CardRow, queue::QueueReason)>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> ApiResult<Vec<QueueCardDto>> {
        let mut caps: std::collections::HashMap<String, Option<u32>> = Default::default();
        let (_, scheduler) = self.collection.reader().current_scheduler()?;
        let mut rules: std::collections::HashMap<String, steps::StepRule> = Default::default();
        let mut out = Vec::with_capacity(queue.len());
        for (row, reason) in queue {
            // An answer moves a card's due day past today, so only the
            // same-day repeats (and cards failed today) were answered today;
            // a card in its learning steps may have been, or not.
            let first_of_day = match reason {
                queue::QueueReason::Repeat | queue::QueueReason::Failed => false,
                queue::QueueReason::Learning => {
                    !self.collection.reader().answered_on(&row.id, today)?
                }
                _ => true,
            };
            let cap = match caps.get(&row.deck) {
                Some(cap) => *cap,
                None => {
                    let cap = self.max_interval_of(&row.deck)?;
                    caps.insert(row.deck.clone(), cap);
                    cap
                }
            };
            let intervals = if reason == queue::QueueReason::Cram {
                // A cram answer changes nothing.
                [0; 4]
            } else if row.kind.is_reading() {
                notedeck_core::scheduler::reading::preview(schedule_of_row(&row), today, cap)
            } else {
                scheduler.preview(
                    schedule_of_row(&row),
                    today,
                    first_of_day,
                    row.id.as_str(),
                    cap,
                )
            };
            // Within the learning steps, what each button does is minutes.
            let before = schedule_of_row(&row);
            if !rules.contains_key(&row.deck) {
                rules.insert(row.deck.clone(), self.step_rule_of(&row.deck)?);
            }
            let rule = &rules[&row.deck];
            let in_steps = reason != queue::QueueReason::Cram
                && !row.kind.is_reading()
                && (!rule.learning.is_empty() || !rule.relearning.is_empty());
            let step_seconds = if in_steps {
                let afters = [
                    core_scheduler::Grade::AGAIN,
                    core_scheduler::Grade::HARD,
                    core_scheduler::Grade::GOOD,
                    core_scheduler::Grade::EASY,
                ]
                .map(|g| {
                    scheduler
                        .answer(before, g, today, first_of_day, row.id.as_str(), cap)
                        .0
                });
                steps::preview(
                    &before,
                    afters,
                    now.timestamp(),
                    &rule.learning,
                    &rule.relearning,
                )
            } else {
                [None; 4]
            };
            out.push(QueueCardDto {
                card: CardDto::under(row, &scheduler, today),
                queue: reason.as_str().to_owned(),
                intervals,
                step_seconds,
            });
        }
        Ok(out)
    }

    /// Today's queue, in order, with the interval each button would give.
    pub fn due(&self, deck: Option<&str>, now: DateTime<Utc>) -> ApiResult<Vec<QueueCardDto>> {
        self.due_tagged(deck, None, now)
    }

    /// Today's queue of the cards with `tag` (in `deck`, if given), under
    /// the same daily limits.
    pub fn due_tagged(
        &self,
        deck: Option<&str>,
        tag: Option<&str>,
        now: DateTime<Utc>,
    ) -> ApiResult<Vec<QueueCardDto>> {
        // One read transaction for the queue's many reads (per deck and per
        // card): it is read on every refresh of the review screen.
        self.collection.in_one_read(|| {
            let deck = self.resolve_deck_opt(deck)?;
            let deck = deck.as_deref();
            let tag = tag.map(actions::parse_tag).transpose()?;
            let today = self.today(now)?;
            let limits = self.limits_of(deck)?;
            let scope = notedeck_core::storage::Scope {
                deck,
                tag: tag.as_deref(),
            };
            let queue = queue::today_at(&self.collection, now.timestamp(), today, scope, limits)?;
            self.queue_dtos(queue, today, now)
        })
    }

    /// A custom study session's queue (see [`StudyRequest`]); the daily
    /// queue and its limits stay as they are. Its search runs under
    /// [`SEARCH_BUDGET`].
    pub fn study(
        &mut self,
        request: &StudyRequest,
        now: DateTime<Utc>,
    ) -> ApiResult<Vec<QueueCardDto>> {
        let deck = requests::non_empty(request.deck.as_deref());
        let deck = self.resolve_deck_opt(deck)?;
        let deck = deck.as_deref();
        let study = request.study()?;
        let mut selection = parse_query(request.search.as_deref().unwrap_or_default())?;
        if let Some(tag) = requests::non_empty(request.tag.as_deref()) {
            selection.terms.push(notedeck_core::search::Term {
                negated: false,
                filter: notedeck_core::search::Filter::Tag(actions::parse_tag(tag)?),
            });
        }
        let today = self.today(now)?;
        let limits = self.limits_of(deck)?;
        let queue = self.bounded(|collection| {
            queue::study(collection, today, deck, &selection, study, limits)
        })?;
        self.queue_dtos(queue, today, now)
    }

    /// Records an answer.
    pub fn answer(
        &mut self,
        card_id: &str,
        grade: Grade,
        now: DateTime<Utc>,
        duration_ms: Option<i64>,
    ) -> ApiResult<AnswerDto> {
        self.answer_in(card_id, grade, now, duration_ms, None)
    }

    /// Records an answer given in a custom study session (`ahead`,
    /// `extra_new`, `failed_today` or `cram`; none: the daily queue). A cram
    /// answer changes no schedule.
    pub fn answer_in(
        &mut self,
        card_id: &str,
        grade: Grade,
        now: DateTime<Utc>,
        duration_ms: Option<i64>,
        session: Option<SessionKind>,
    ) -> ApiResult<AnswerDto> {
        self.answer_request(
            &AnswerRequest {
                card_id: card_id.to_owned(),
                grade,
                duration_ms,
                session,
                answer_key: None,
                waited_ms: None,
            },
            now,
        )
    }

    /// Records the answer a request carries: with an `answer_key`, once
    /// however often it is sent (see [`notedeck_core::resend`]), at the time
    /// it was given (`waited_ms` before `now`).
    pub fn answer_request(
        &mut self,
        request: &AnswerRequest,
        now: DateTime<Utc>,
    ) -> ApiResult<AnswerDto> {
        let session = request.session.map(queue::Session::from);
        let grade = core_scheduler::Grade::from(request.grade);
        if let Some(ms) = request.duration_ms {
            check_range("duration_ms", ms, 0..=MAX_DURATION_MS)?;
        }
        let key = request
            .answer_key
            .as_deref()
            .map(resend::AnswerKey::parse)
            .transpose()?;
        let card_id = notedeck_core::model::CardId::from(request.card_id.as_str());
        // Everything the answer reads, in its own transaction (see
        // `resend::answer_locked`): the settings once, for the day, the
        // leech rule and the learning steps, and the deck's own steps.
        let mut rollover = None;
        let locked = resend::answer_locked(
            &mut self.collection,
            key.as_ref(),
            &card_id,
            grade,
            (now, request.waited_ms),
            &mut |reader, deck, at| {
                let settings = Settings::read_from(reader)?;
                let hour = settings.rollover_hour.clamp(0, 23) as u32;
                rollover = Some(hour);
                let deck_options = reader.inherited_deck_options(deck)?;
                let options = review::AnswerOptions {
                    duration_ms: request.duration_ms,
                    leech: settings.leech,
                    session,
                    steps: settings::steps_with_options(&settings.steps, &deck_options),
                    key: None,
                    id: None,
                    into_retired: false,
                    deck_options: Some(deck_options),
                };
                Ok((day::learning_day(&at.with_timezone(&Local), hour), options))
            },
        )?;
        let (answered, again) = match locked.sent {
            resend::Sent::Recorded(answered) => (answered, false),
            resend::Sent::Again(Some(review)) => (review::Answered { review, actions: Vec::new() }, true),
            resend::Sent::Again(None) => {
                return Err(ApiError::new(
                    ErrorCode::InvalidInput,
                    "this answer was recorded and has since been taken back by an undo, so it is not recorded again: answer the card anew",
                ))
            }
        };
        let today = match rollover {
            Some(hour) => day::learning_day(&now.with_timezone(&Local), hour),
            None => self.today(now)?,
        };
        Ok(AnswerDto {
            became_leech: answered.made_leech(),
            review: ReviewDto::from(answered.review),
            card: CardDto::under(locked.card, &locked.scheduler, today),
            again,
        })
    }

    /// What the next undo would take back, described for asking first
    /// (null: nothing). `today` is false for a step of an earlier day.
    pub fn undo_preview(&self, now: DateTime<Utc>) -> ApiResult<Option<UndoStepDto>> {
        let Some(step) = review::next_undo(&self.collection)? else {
            return Ok(None);
        };
        let today = self.today(now)?;
        let card = self.collection.reader().card(&step.card_id)?;
        let heading = card.as_ref().map_or_else(String::new, |c| {
            c.heading_path
                .last()
                .cloned()
                .unwrap_or_else(|| c.deck.rsplit("::").next().unwrap_or(&c.deck).to_owned())
        });
        let when = match (today - step.day).num_days() {
            0 => "today".to_owned(),
            1 => "yesterday".to_owned(),
            n => format!("{n} days ago"),
        };
        let time = step.at.get(11..16).unwrap_or("");
        let description = match step.what {
            "answer" => format!(
                "{} on “{heading}”, answered {when} ({} {time} UTC){}",
                grade_name(step.grade.unwrap_or(0)),
                day::format_day(step.day),
                step.session
                    .map_or(String::new(), |s| format!(" in a {} session", s.as_str()))
            ),
            "actions" => {
                let target = if step.cards == 1 {
                    format!("“{heading}”")
                } else {
                    format!("{} cards", step.cards)
                };
                format!(
                    "{} of {target}, {when} ({} {time} UTC)",
                    step.action.as_deref().unwrap_or("action"),
                    day::format_day(step.day)
                )
            }
            _ => {
                format!("the card made from “{heading}”, written into its note {when} ({time} UTC)")
            }
        };
        Ok(Some(UndoStepDto {
            id: step.id,
            what: step.what.to_owned(),
            card_id: step.card_id.to_string(),
            heading,
            cards: step.cards as i64,
            day: day::format_day(step.day),
            at: step.at,
            today: step.day == today,
            description,
        }))
    }

    /// Takes back the newest answer or action (a whole selection at once),
    /// or the newest card written into a note (the note is imported again).
    pub fn undo(&mut self, now: DateTime<Utc>) -> ApiResult<UndoDto> {
        self.undo_expected(None, now)
    }

    /// [`Service::undo`]; with `expected`, only if that step (an
    /// [`UndoStepDto::id`]) is still the newest, else nothing changes
    /// (`undo_moved`).
    pub fn undo_expected(
        &mut self,
        expected: Option<&str>,
        now: DateTime<Utc>,
    ) -> ApiResult<UndoDto> {
        let undone = match expected {
            Some(id) => review::undo_expected(&mut self.collection, now, id)?,
            None => review::undo(&mut self.collection, now)?,
        };
        let mut unwritten = None;
        if let review::Undone::Extraction(made, _) = &undone {
            self.import_note_again(&made.note_path, now)?;
            unwritten = Some(ExtractedDto {
                card_id: made.card_id.clone().unwrap_or_default(),
                note: made.note_path.clone(),
                line: 0,
                undo_id: made.id.clone(),
            });
        }
        let card = review::card_now(&self.collection, undone.card_id())?;
        let (review, actions) = match undone {
            review::Undone::Answer(answered) => (Some(answered.review), answered.actions),
            review::Undone::Actions(rows) => (None, rows),
            review::Undone::Extraction(..) => (None, Vec::new()),
        };
        Ok(UndoDto {
            review: review.map(ReviewDto::from),
            card: CardDto::from(card),
            actions: actions.into_iter().map(ActionDto::from).collect(),
            unwritten,
        })
    }

    /// Does `action` (`suspend`, `unsuspend`, `bury`, `unbury`, `forget`,
    /// `tag`, `untag`; the last two with `tag`) to every card of `ids`, as
    /// one undoable step. An unknown or retired card fails the whole
    /// call and changes nothing. Burying lasts until tomorrow.
    pub fn act(
        &mut self,
        ids: &[String],
        action: CardAction,
        tag: Option<&str>,
        now: DateTime<Utc>,
    ) -> ApiResult<ActDto> {
        if ids.is_empty() {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "no cards given: name at least one card id",
            ));
        }
        if ids.len() > MAX_ACTION_CARDS {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "{} cards given; at most {MAX_ACTION_CARDS} at once",
                    ids.len()
                ),
            ));
        }
        let today = self.today(now)?;
        let needs_tag = || -> ApiResult<String> {
            let text = tag.ok_or_else(|| {
                ApiError::new(ErrorCode::InvalidInput, format!("`{action}` needs a tag"))
            })?;
            Ok(actions::parse_tag(text)?)
        };
        let action = match action {
            CardAction::Suspend => Action::Suspend,
            CardAction::Unsuspend => Action::Unsuspend,
            CardAction::Bury => Action::Bury {
                until: today.succ_opt().unwrap_or(today),
            },
            CardAction::Unbury => Action::Unbury,
            CardAction::Forget => Action::Forget,
            CardAction::Tag => Action::Tag(needs_tag()?),
            CardAction::Untag => Action::Untag(needs_tag()?),
        };
        let ids: Vec<CardId> = ids.iter().map(|id| CardId::from(id.as_str())).collect();
        let rows = actions::act(&mut self.collection, &ids, &action, now, today)?;
        let mut distinct: Vec<&CardId> = ids.iter().collect();
        distinct.sort();
        distinct.dedup();
        Ok(ActDto {
            action: action.as_str().to_owned(),
            changed: rows.len() as u64,
            unchanged: (distinct.len() - rows.len().min(distinct.len())) as u64,
            undo_id: rows.first().map(|r| r.batch.clone()),
        })
    }

    /// Today's summary: answers given, and cards due tomorrow.
    pub fn day_summary(&self, deck: Option<&str>, now: DateTime<Utc>) -> ApiResult<DaySummaryDto> {
        let deck = self.resolve_deck_opt(deck)?;
        let deck = deck.as_deref();
        let today = self.today(now)?;
        let reader = self.collection.reader();
        let reviews = reader.reviews_on(today, deck)?;
        // Counted as the deck list counts (the deck with its sub-decks),
        // from the same tree, tomorrow's count included.
        let tree = self.decks(now)?;
        let nodes: Vec<&DeckNode> = match deck {
            Some(name) => find_deck(&tree, name).into_iter().collect(),
            None => tree.iter().collect(),
        };
        let (due_tomorrow, new_waiting, due_waiting, reading_waiting) =
            nodes.iter().fold((0, 0, 0, 0), |t, n| {
                (
                    t.0 + n.due_tomorrow,
                    t.1 + n.new - n.new_today,
                    t.2 + n.due - n.due_today,
                    t.3 + n.reading - n.reading_today,
                )
            });
        let held_back = self.held_back(deck, today, (new_waiting, due_waiting, reading_waiting))?;
        Ok(DaySummaryDto {
            day: day::format_day(today),
            answers: reviews.len() as i64,
            cards: reviews
                .iter()
                .map(|r| r.card_id.as_str())
                .collect::<std::collections::HashSet<_>>()
                .len() as i64,
            again: reviews.iter().filter(|r| r.grade < 3).count() as i64,
            time_ms: reviews.iter().filter_map(|r| r.duration_ms).sum(),
            due_tomorrow,
            new_waiting,
            due_waiting,
            reading_waiting,
            held_back,
        })
    }

    /// What today's limits hold back in `deck` (or everywhere), and by
    /// which limit, in one sentence; `None` when nothing is.
    pub(crate) fn held_back(
        &self,
        deck: Option<&str>,
        today: NaiveDate,
        (new, due, reading): (i64, i64, i64),
    ) -> ApiResult<Option<String>> {
        if new + due + reading == 0 {
            return Ok(None);
        }
        let limits = self.limits_of(deck)?;
        let reader = self.collection.reader();
        let (new_done, answers_done) = reader.answered_today(today)?;
        let by_deck = reader.answered_today_by_deck(&day::format_day(today))?;
        let plural = |n: i64, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        let mut waiting = Vec::new();
        if new > 0 {
            waiting.push(plural(new, "new card", "new cards"));
        }
        if due > 0 {
            waiting.push(plural(due, "due card", "due cards"));
        }
        if reading > 0 {
            waiting.push(plural(reading, "reading card", "reading cards"));
        }
        let mut reasons = Vec::new();
        if answers_done >= limits.reviews_per_day && due + new > 0 {
            reasons.push(format!(
                "the daily limit of {} reached",
                plural(limits.reviews_per_day, "answer is", "answers is")
            ));
        } else if new > 0 && new_done >= limits.new_per_day {
            reasons.push(format!(
                "the daily limit of {} reached",
                plural(limits.new_per_day, "new card is", "new cards is")
            ));
        }
        for (name, own) in &limits.decks {
            let (deck_new, deck_answers) = queue::answered_in_subtree(&by_deck, name);
            if new > 0 && deck_new >= own.new_per_day {
                reasons.push(format!(
                    "{name}'s own limit of {} a day is reached",
                    plural(own.new_per_day, "new card", "new cards")
                ));
            } else if deck_answers >= own.reviews_per_day {
                reasons.push(format!(
                    "{name}'s own limit of {} a day is reached",
                    plural(own.reviews_per_day, "answer", "answers")
                ));
            }
        }
        if reading > 0 {
            reasons.push(format!(
                "the reading limit of {} a day",
                plural(limits.reading_per_day, "card", "cards")
            ));
        }
        if reasons.is_empty() {
            reasons.push("today's limits".to_owned());
        }
        Ok(Some(format!(
            "{} wait for later days: {}. Study more shows them now without changing the limits.",
            waiting.join(", "),
            reasons.join("; ")
        )))
    }
}
