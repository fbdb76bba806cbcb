//! The collection's settings, schedulers and deck options, as the shells ask for them.

use crate::*;

impl Service {
    /// The collection's settings (defaults where unset).
    pub fn settings(&self) -> ApiResult<SettingsDto> {
        let settings = Settings::read(&self.collection)?;
        let fsrs = self.collection.fsrs_config()?;
        Ok(SettingsDto {
            new_per_day: settings.new_per_day,
            reviews_per_day: settings.reviews_per_day,
            rollover_hour: settings.rollover_hour,
            remote_images: settings.remote_images,
            skip_rules: settings.junk.into(),
            implicit_headings: settings.junk.implicit_headings,
            reading_per_day: settings.reading_per_day,
            learning_steps: settings.steps.learning.text(),
            relearning_steps: settings.steps.relearning.text(),
            leech_threshold: i64::from(settings.leech.threshold),
            leech_action: if settings.leech.suspend {
                LeechAction::Suspend
            } else {
                LeechAction::Tag
            },
            scheduler: scheduler_name(self.collection.reader().current_scheduler()?.1.name()),
            desired_retention: decimal(fsrs.desired_retention),
            fsrs_parameters: fsrs.parameters.iter().copied().map(decimal).collect(),
            fsrs_fitted_at: settings::fsrs_fitted_at(&self.collection)?,
        })
    }

    /// Changes the settings given, all at once or (when one is refused)
    /// none; returns all settings. A change of scheduler replays the
    /// review log under the new one, in the same transaction.
    pub fn update_settings(
        &mut self,
        update: &SettingsUpdate,
        now: DateTime<Utc>,
    ) -> ApiResult<SettingsDto> {
        let steps_of = |flag: &str, text: &Option<String>| -> ApiResult<Option<steps::Steps>> {
            text.as_deref()
                .map(|t| {
                    steps::Steps::parse(t).map_err(|e| {
                        ApiError::new(ErrorCode::InvalidInput, format!("--{flag}: {e}"))
                    })
                })
                .transpose()
        };
        let change = settings::Change {
            new_per_day: update.new_per_day,
            reviews_per_day: update.reviews_per_day,
            reading_per_day: update.reading_per_day,
            rollover_hour: update.rollover_hour,
            leech_threshold: update.leech_threshold,
            leech_suspends: update.leech_action.map(|a| a == LeechAction::Suspend),
            remote_images: update.remote_images,
            implicit_headings: update.implicit_headings,
            skip_rules: update.skip_rules.map(Into::into),
            learning_steps: steps_of("learning-steps", &update.learning_steps)?,
            relearning_steps: steps_of("relearning-steps", &update.relearning_steps)?,
        };
        let scheduler = if update.scheduler.is_some() || update.desired_retention.is_some() {
            Some(self.scheduler_change(update.scheduler, update.desired_retention)?)
        } else {
            None
        };
        settings::apply(
            &mut self.collection,
            &change,
            scheduler,
            now,
            &mut |_, _| {},
        )?;
        self.settings()
    }

    /// The scheduler a change asks for (`name`, else the one in force)
    /// with FSRS's settings (`desired_retention`, else as they are),
    /// checked.
    pub(crate) fn scheduler_change(
        &self,
        name: Option<SchedulerName>,
        desired_retention: Option<f32>,
    ) -> ApiResult<settings::SchedulerChange> {
        Ok(settings::SchedulerChange::new(
            &self.collection,
            name.map(|n| n == SchedulerName::Fsrs),
            desired_retention,
        )?)
    }

    /// Puts a scheduler in force (`sm2` or `fsrs`; none: the one in
    /// force) with FSRS's desired retention (none: as it is). A switch of
    /// scheduler replays the log under the new one in one transaction
    /// (`progress` hears answers replayed of all); a new retention under
    /// FSRS applies to the answers after it.
    pub fn set_scheduler(
        &mut self,
        name: Option<SchedulerName>,
        desired_retention: Option<f32>,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> ApiResult<SwitchedDto> {
        let scheduler = self.scheduler_change(name, desired_retention)?;
        let nothing = settings::Change::default();
        let switched = settings::apply(
            &mut self.collection,
            &nothing,
            Some(scheduler),
            now,
            progress,
        )?
        .ok_or_else(ApiError::internal)?;
        Ok(SwitchedDto {
            scheduler: scheduler_name(switched.scheduler),
            rebuilt: switched.rebuilt,
            changed: switched.changed,
            answers_replayed: switched.answers as i64,
            cards_rescheduled: switched.cards_changed as i64,
        })
    }

    /// Fits FSRS's parameters to the review log and keeps them (in force
    /// at once when FSRS is the scheduler); `progress` hears the fit's
    /// (done, total).
    pub fn optimize(
        &mut self,
        now: DateTime<Utc>,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> ApiResult<OptimizedDto> {
        let items = notedeck_core::optimize::training_items(&self.collection)?;
        let parameters = notedeck_core::optimize::fit(&items, progress)?;
        let applied = settings::keep_fitted(&mut self.collection, parameters.clone(), now)?;
        Ok(OptimizedDto {
            parameters: parameters.iter().copied().map(decimal).collect(),
            reviews_used: items.len() as i64,
            applied,
        })
    }

    /// Scores SM-2, FSRS with default parameters and FSRS fitted on the
    /// earlier 80 % of the log, on the later 20 %.
    pub fn evaluate_schedulers(
        &self,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> ApiResult<EvaluationDto> {
        let items = notedeck_core::optimize::training_items(&self.collection)?;
        let evaluation = notedeck_core::optimize::evaluate(&items, progress)?;
        Ok(EvaluationDto {
            sm2: ScoreDto::of(evaluation.sm2, 0),
            fsrs_default: ScoreDto::of(evaluation.fsrs_default, 0),
            fsrs_fitted: ScoreDto::of(evaluation.fsrs_fitted, evaluation.trained),
        })
    }

    /// Simulates `days` days under FSRS for each desired retention, from
    /// the collection's cards, with today's new-card limit.
    pub fn simulate(
        &self,
        retentions: &[f32],
        days: usize,
        now: DateTime<Utc>,
    ) -> ApiResult<Vec<ProjectionDto>> {
        let today = self.today(now)?;
        let new_per_day = usize::try_from(self.limits()?.new_per_day).unwrap_or(0);
        let projections = notedeck_core::simulate::simulate(
            &self.collection,
            retentions,
            days,
            new_per_day,
            today,
        )?;
        Ok(projections
            .into_iter()
            .map(|p| ProjectionDto {
                desired_retention: decimal(p.desired_retention),
                reviews_per_day: p.reviews_per_day,
                total_reviews: p.total_reviews,
                minutes_per_day: p.minutes_per_day,
                remembered_at_end: p.remembered_at_end,
                cards: p.cards as u64,
            })
            .collect())
    }

    /// The collection's learning steps.
    pub(crate) fn step_rule(&self) -> ApiResult<steps::StepRule> {
        Ok(Settings::read(&self.collection)?.steps)
    }

    /// The learning steps in force on the cards of `deck`: its own (or a
    /// parent's), else the collection's.
    pub(crate) fn step_rule_of(&self, deck: &str) -> ApiResult<steps::StepRule> {
        let base = self.step_rule()?;
        Ok(settings::steps_of_deck(
            &self.collection.reader(),
            &base,
            deck,
        )?)
    }

    /// The limits in the settings.
    pub(crate) fn limits(&self) -> ApiResult<Limits> {
        Ok(Limits {
            siblings: queue::SiblingRule {
                set: self
                    .collection
                    .reader()
                    .all_deck_options()?
                    .into_iter()
                    .filter_map(|(deck, o)| o.bury_siblings.map(|on| (deck, on)))
                    .collect(),
            },
            ..Settings::read(&self.collection)?.limits()
        })
    }

    /// The limits of a queue of `deck` (its options, then the
    /// collection's), or the collection's for every deck.
    pub(crate) fn limits_of(&self, deck: Option<&str>) -> ApiResult<Limits> {
        let mut limits = self.limits()?;
        if let Some(deck) = deck {
            let reader = self.collection.reader();
            // The deck and each parent with limits of its own cap the queue.
            let mut name = Some(deck);
            while let Some(current) = name {
                let own = reader.deck_options(current)?;
                if own.new_per_day.is_some() || own.reviews_per_day.is_some() {
                    limits.decks.push((
                        current.to_owned(),
                        queue::DeckLimits {
                            new_per_day: own.new_per_day.unwrap_or(i64::MAX),
                            reviews_per_day: own.reviews_per_day.unwrap_or(i64::MAX),
                        },
                    ));
                }
                name = current.rsplit_once("::").map(|(parent, _)| parent);
            }
            let options = reader.inherited_deck_options(deck)?;
            limits.random_new = options.new_order.as_deref() == Some("random");
        }
        Ok(limits)
    }

    /// The longest interval in force on a card of `deck`, if any.
    pub(crate) fn max_interval_of(&self, deck: &str) -> ApiResult<Option<u32>> {
        Ok(self.collection.reader().max_interval_of(deck)?)
    }

    /// A deck's options: its own and those in force.
    pub fn deck_options(&self, deck: &str) -> ApiResult<DeckOptionsDto> {
        let deck = self.resolve_deck(deck)?;
        let (own, effective) = settings::deck_options(&self.collection, &deck)?;
        Ok(DeckOptionsDto {
            deck,
            own: own.into(),
            effective: effective.into(),
        })
    }

    /// Sets a deck's own options (null fields are inherited).
    pub fn set_deck_options(
        &mut self,
        request: &DeckOptionsRequest,
        now: DateTime<Utc>,
    ) -> ApiResult<DeckOptionsDto> {
        let deck = self.resolve_deck(&request.deck)?;
        let options = notedeck_core::storage::DeckOptions {
            new_per_day: request.new_per_day,
            reviews_per_day: request.reviews_per_day,
            new_order: request.new_order.map(|order| order.as_str().to_owned()),
            max_interval: request.max_interval,
            bury_siblings: request.bury_siblings,
            learning_steps: request.learning_steps.clone(),
            relearning_steps: request.relearning_steps.clone(),
        };
        settings::set_deck_options(&mut self.collection, &deck, &options, now)?;
        self.deck_options(&deck)
    }
}
