//! The collection's settings: each one's key, default and allowed range,
//! read with their defaults, and a change of several checked first and
//! then written in one transaction (with a switch of scheduler, when the
//! change asks for one).

use std::ops::RangeInclusive;

use crate::actions::LeechRule;
use crate::markdown::junk::{JunkRules, RULE_NAMES};
use crate::queue::Limits;
use crate::scheduler::fsrs::{FsrsConfig, RETENTION_RANGE};
use crate::scheduler::steps::{StepRule, Steps};
use crate::scheduler::Scheduler;
use crate::storage::{Collection, DeckOptions, Tx};
use crate::switch::{self, Switched};
use crate::{day, queue, Error, Result};

/// A whole-number setting: its key, its default and the values allowed.
#[derive(Debug, Clone)]
pub struct Number {
    /// The key in the `settings` table (and the name in messages).
    pub key: &'static str,
    /// The value while unset.
    pub default: i64,
    /// The values a change may set.
    pub range: RangeInclusive<i64>,
}

impl Number {
    /// Refuses `value` (when given) outside the setting's range.
    pub fn check(&self, value: Option<i64>) -> Result<()> {
        match value.filter(|v| !self.range.contains(v)) {
            Some(value) => Err(Error::OutOfRange {
                name: self.key.to_owned(),
                value,
                min: *self.range.start(),
                max: *self.range.end(),
            }),
            None => Ok(()),
        }
    }
}

/// New cards introduced per day.
pub const NEW_PER_DAY: Number = Number {
    key: "new_per_day",
    default: queue::DEFAULT_NEW_PER_DAY,
    range: 0..=100_000,
};
/// First-of-day answers per day.
pub const REVIEWS_PER_DAY: Number = Number {
    key: "reviews_per_day",
    default: queue::DEFAULT_REVIEWS_PER_DAY,
    range: 0..=1_000_000,
};
/// The hour the learner's day starts.
pub const ROLLOVER_HOUR: Number = Number {
    key: "rollover_hour",
    default: day::DEFAULT_ROLLOVER_HOUR as i64,
    range: 0..=23,
};
/// Lapses from which a card is a leech (0: never).
pub const LEECH_THRESHOLD: Number = Number {
    key: "leech_threshold",
    default: 8,
    range: 0..=1000,
};
/// Reading cards per day (0: long sections are flashcards).
pub const READING_PER_DAY: Number = Number {
    key: "reading_per_day",
    default: queue::DEFAULT_READING_PER_DAY,
    range: 0..=1000,
};

const REMOTE_IMAGES: &str = "remote_images";
const IMPLICIT_HEADINGS: &str = "implicit_headings";
const LEECH_ACTION: &str = "leech_action";
const SKIP_RULES_OFF: &str = "skip_rules_off";
const LEARNING_STEPS: &str = "learning_steps";
const RELEARNING_STEPS: &str = "relearning_steps";

/// The settings in force (defaults where unset).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// New cards introduced per day.
    pub new_per_day: i64,
    /// First-of-day answers per day.
    pub reviews_per_day: i64,
    /// Reading cards per day.
    pub reading_per_day: i64,
    /// The hour the day starts.
    pub rollover_hour: i64,
    /// Web images in cards load.
    pub remote_images: bool,
    /// What makes a card a leech and what happens to it.
    pub leech: LeechRule,
    /// Which sections are skipped, and how sections are found.
    pub junk: JunkRules,
    /// The learning and relearning steps.
    pub steps: StepRule,
}

/// One whole-number setting of `collection` (its default while unset).
pub fn number(collection: &Collection, setting: &Number) -> Result<i64> {
    Ok(collection
        .setting(setting.key)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(setting.default))
}

impl Settings {
    /// Reads the settings of `collection` (one query: the queue reads
    /// them on every review).
    pub fn read(collection: &Collection) -> Result<Settings> {
        Settings::read_from(&collection.reader())
    }

    /// [`Settings::read`] through `reader` (inside a transaction, say).
    pub fn read_from(reader: &crate::storage::Reader<'_>) -> Result<Settings> {
        let stored = reader.all_settings()?;
        let get = |key: &str| stored.get(key).map(String::as_str);
        let number = |n: &Number| -> Result<i64> {
            Ok(get(n.key).and_then(|v| v.parse().ok()).unwrap_or(n.default))
        };
        let switch = |key: &str| -> Result<bool> { Ok(get(key).is_none_or(|v| v != "0")) };
        let steps = |key: &str| -> Result<Steps> {
            Ok(get(key)
                .and_then(|text| Steps::parse(text).ok())
                .unwrap_or_default())
        };
        let mut junk = JunkRules::default();
        for name in get(SKIP_RULES_OFF).unwrap_or_default().split(',') {
            if let Some(rule) = junk.rule_mut(name) {
                *rule = false;
            }
        }
        let reading_per_day = number(&READING_PER_DAY)?;
        junk.implicit_headings = switch(IMPLICIT_HEADINGS)?;
        junk.reading_cards = reading_per_day > 0;
        Ok(Settings {
            new_per_day: number(&NEW_PER_DAY)?,
            reviews_per_day: number(&REVIEWS_PER_DAY)?,
            reading_per_day,
            rollover_hour: number(&ROLLOVER_HOUR)?,
            remote_images: switch(REMOTE_IMAGES)?,
            leech: LeechRule {
                threshold: u32::try_from(number(&LEECH_THRESHOLD)?).unwrap_or(0),
                suspend: get(LEECH_ACTION) != Some("tag"),
            },
            junk,
            steps: StepRule {
                learning: steps(LEARNING_STEPS)?,
                relearning: steps(RELEARNING_STEPS)?,
            },
        })
    }

    /// The daily limits these settings give (before any deck's own).
    pub fn limits(&self) -> Limits {
        Limits {
            new_per_day: self.new_per_day,
            reviews_per_day: self.reviews_per_day,
            reading_per_day: self.reading_per_day,
            ..Limits::default()
        }
    }
}

/// A scheduler to put in force, with FSRS's settings, checked.
#[derive(Debug, Clone)]
pub struct SchedulerChange {
    /// The scheduler.
    pub target: Scheduler,
    /// FSRS's settings (kept under SM-2 too).
    pub config: FsrsConfig,
}

impl SchedulerChange {
    /// FSRS when `fsrs` is true, SM-2 when false, the one in force when
    /// `None`; with `desired_retention` (else as it is), checked.
    pub fn new(
        collection: &Collection,
        fsrs: Option<bool>,
        desired_retention: Option<f32>,
    ) -> Result<SchedulerChange> {
        let mut config = collection.fsrs_config()?;
        if let Some(retention) = desired_retention {
            if !RETENTION_RANGE.contains(&retention) {
                return Err(Error::BadSetting(format!(
                    "--desired-retention {retention}: choose a retention from 0.70 to 0.97 (0.90 is the usual choice)"
                )));
            }
            config.desired_retention = retention;
        }
        let (_, current) = collection.reader().current_scheduler()?;
        let target = if fsrs.unwrap_or(current.name() == "fsrs") {
            Scheduler::fsrs(&config).map_err(Error::BadScheduler)?
        } else {
            Scheduler::Sm2
        };
        Ok(SchedulerChange { target, config })
    }
}

/// Applies `change` (checked whole first) and, when given, a change of
/// scheduler, in one transaction: all of it or none. A switch replays the
/// log (`progress` hears answers replayed of all) and then checkpoints.
pub fn apply(
    collection: &mut Collection,
    change: &Change,
    scheduler: Option<SchedulerChange>,
    now: chrono::DateTime<chrono::Utc>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Option<Switched>> {
    change.check()?;
    let tx = collection.transaction()?;
    let switched = match scheduler {
        Some(SchedulerChange { target, config }) => {
            let switched = switch::set_scheduler_in(&tx, target, now, progress)?;
            // Kept with the switch: a failed switch changes no setting.
            tx.set_fsrs_config(&config)?;
            Some(switched)
        }
        None => None,
    };
    change.write(&tx)?;
    // What was changed here travels to the other devices (last writer wins).
    let mut changed = change.keys();
    if switched.is_some() {
        changed.extend([
            crate::sync::shared::SCHEDULER,
            "fsrs_parameters",
            "fsrs_desired_retention",
        ]);
    }
    crate::sync::shared::stamp_settings(&tx, &changed, now)?;
    tx.commit()?;
    if switched.as_ref().is_some_and(|s| s.rebuilt) {
        collection.checkpoint()?;
    }
    Ok(switched)
}

const FSRS_FITTED_AT: &str = "fsrs_fitted_at";

/// When FSRS's parameters were last fitted (`None`: the defaults).
pub fn fsrs_fitted_at(collection: &Collection) -> Result<Option<String>> {
    collection.setting(FSRS_FITTED_AT)
}

/// Keeps FSRS parameters fitted at `now`, in one transaction: in force at
/// once (a new setting from the next answer, not a replay) when FSRS is
/// the scheduler. Returns whether they are in force.
pub fn keep_fitted(
    collection: &mut Collection,
    parameters: Vec<f32>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool> {
    let mut config = collection.fsrs_config()?;
    config.parameters = parameters;
    let fitted = Scheduler::fsrs(&config).map_err(Error::BadScheduler)?;
    let applied = collection.reader().current_scheduler()?.1.name() == "fsrs";
    let tx = collection.transaction()?;
    if applied {
        switch::set_scheduler_in(&tx, fitted, now, &mut |_, _| {})?;
    }
    tx.set_fsrs_config(&config)?;
    tx.set_setting(
        FSRS_FITTED_AT,
        &now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    )?;
    crate::sync::shared::stamp_settings(&tx, &["fsrs_parameters"], now)?;
    tx.commit()?;
    Ok(applied)
}

/// The longest interval a deck may set, in days.
pub const MAX_INTERVAL: Number = Number {
    key: "max_interval",
    default: 36_500,
    range: 1..=36_500,
};

/// The options every deck has unless it (or a parent) sets its own: the
/// collection's settings, note order, no cap, siblings apart.
pub fn collection_deck_options(settings: &Settings) -> DeckOptions {
    DeckOptions {
        new_per_day: Some(settings.new_per_day),
        reviews_per_day: Some(settings.reviews_per_day),
        new_order: Some("note".to_owned()),
        max_interval: None,
        bury_siblings: Some(true),
        learning_steps: Some(settings.steps.learning.text()),
        relearning_steps: Some(settings.steps.relearning.text()),
    }
}

/// A deck's own options and those in force on it (its own, then its
/// parents', then the collection's).
pub fn deck_options(collection: &Collection, deck: &str) -> Result<(DeckOptions, DeckOptions)> {
    let reader = collection.reader();
    let defaults = collection_deck_options(&Settings::read(collection)?);
    Ok((
        reader.deck_options(deck)?,
        reader.inherited_deck_options(deck)?.or(&defaults),
    ))
}

/// Sets a deck's own options (`None` fields inherited), checked: limits
/// within the collection's ranges, a cap within [`MAX_INTERVAL`], steps
/// that parse (stored as they read back).
pub fn set_deck_options(
    collection: &mut Collection,
    deck: &str,
    options: &DeckOptions,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    for (number, value) in [
        (&NEW_PER_DAY, options.new_per_day),
        (&REVIEWS_PER_DAY, options.reviews_per_day),
        (&MAX_INTERVAL, options.max_interval),
    ] {
        number.check(value)?;
    }
    let steps = |flag: &str, text: &Option<String>| -> Result<Option<String>> {
        text.as_deref()
            .map(|t| {
                Steps::parse(t)
                    .map(|s| s.text())
                    .map_err(|e| Error::BadSetting(format!("--{flag}: {e}")))
            })
            .transpose()
    };
    let options = DeckOptions {
        learning_steps: steps("learning-steps", &options.learning_steps)?,
        relearning_steps: steps("relearning-steps", &options.relearning_steps)?,
        ..options.clone()
    };
    let tx = collection.transaction()?;
    let before = tx.reader().deck_options(deck)?;
    tx.set_deck_options(deck, &options)?;
    crate::sync::shared::stamp_deck(&tx, deck, &before, &options, now)?;
    tx.commit()
}

/// A change of some settings: `None` leaves one as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    /// New cards introduced per day.
    pub new_per_day: Option<i64>,
    /// First-of-day answers per day.
    pub reviews_per_day: Option<i64>,
    /// Reading cards per day.
    pub reading_per_day: Option<i64>,
    /// The hour the day starts.
    pub rollover_hour: Option<i64>,
    /// Lapses from which a card is a leech.
    pub leech_threshold: Option<i64>,
    /// Suspend leeches (else only tag them).
    pub leech_suspends: Option<bool>,
    /// Web images in cards load.
    pub remote_images: Option<bool>,
    /// Bold first lines and lone bold paragraphs start sections.
    pub implicit_headings: Option<bool>,
    /// The junk-section rules (their `implicit_headings` and
    /// `reading_cards` are not read: see the fields above).
    pub skip_rules: Option<JunkRules>,
    /// Learning steps of new cards.
    pub learning_steps: Option<Steps>,
    /// Relearning steps of lapsed cards.
    pub relearning_steps: Option<Steps>,
}

impl Change {
    fn numbers(&self) -> [(&'static Number, Option<i64>); 5] {
        [
            (&NEW_PER_DAY, self.new_per_day),
            (&REVIEWS_PER_DAY, self.reviews_per_day),
            (&ROLLOVER_HOUR, self.rollover_hour),
            (&LEECH_THRESHOLD, self.leech_threshold),
            (&READING_PER_DAY, self.reading_per_day),
        ]
    }

    /// The keys of the settings this change sets.
    pub fn keys(&self) -> Vec<&'static str> {
        let mut keys: Vec<&'static str> = self
            .numbers()
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(n, _)| n.key)
            .collect();
        for (key, set) in [
            (SKIP_RULES_OFF, self.skip_rules.is_some()),
            (LEECH_ACTION, self.leech_suspends.is_some()),
            (REMOTE_IMAGES, self.remote_images.is_some()),
            (IMPLICIT_HEADINGS, self.implicit_headings.is_some()),
            (LEARNING_STEPS, self.learning_steps.is_some()),
            (RELEARNING_STEPS, self.relearning_steps.is_some()),
        ] {
            if set {
                keys.push(key);
            }
        }
        keys
    }

    /// Refuses a change with a value out of its range (nothing is
    /// written before every value passed).
    pub fn check(&self) -> Result<()> {
        for (number, value) in self.numbers() {
            number.check(value)?;
        }
        Ok(())
    }

    /// Checks the change and writes it in `tx` (which the caller commits).
    pub fn write(&self, tx: &Tx<'_>) -> Result<()> {
        self.check()?;
        for (number, value) in self.numbers() {
            if let Some(value) = value {
                tx.set_setting(number.key, &value.to_string())?;
            }
        }
        let flag = |on: bool| if on { "1" } else { "0" };
        if let Some(rules) = &self.skip_rules {
            let mut rules = *rules;
            let off: Vec<&str> = RULE_NAMES
                .iter()
                .copied()
                .filter(|name| rules.rule_mut(name).is_some_and(|on| !*on))
                .collect();
            tx.set_setting(SKIP_RULES_OFF, &off.join(","))?;
        }
        if let Some(suspend) = self.leech_suspends {
            tx.set_setting(LEECH_ACTION, if suspend { "suspend" } else { "tag" })?;
        }
        if let Some(on) = self.remote_images {
            tx.set_setting(REMOTE_IMAGES, flag(on))?;
        }
        if let Some(on) = self.implicit_headings {
            tx.set_setting(IMPLICIT_HEADINGS, flag(on))?;
        }
        for (key, steps) in [
            (LEARNING_STEPS, &self.learning_steps),
            (RELEARNING_STEPS, &self.relearning_steps),
        ] {
            if let Some(steps) = steps {
                tx.set_setting(key, &steps.text())?;
            }
        }
        Ok(())
    }
}

/// The learning steps in force on the cards of `deck`: its own (or a
/// parent's) deck options, else `base` (the collection's).
pub fn steps_of_deck(
    reader: &crate::storage::Reader<'_>,
    base: &crate::scheduler::steps::StepRule,
    deck: &str,
) -> Result<crate::scheduler::steps::StepRule> {
    Ok(steps_with_options(
        base,
        &reader.inherited_deck_options(deck)?,
    ))
}

/// [`steps_of_deck`] given the deck's options as it inherits them.
pub fn steps_with_options(
    base: &crate::scheduler::steps::StepRule,
    own: &crate::storage::DeckOptions,
) -> crate::scheduler::steps::StepRule {
    use crate::scheduler::steps::Steps;
    let mut rule = base.clone();
    let parse = |text: &Option<String>| text.as_deref().and_then(|t| Steps::parse(t).ok());
    if let Some(list) = parse(&own.learning_steps) {
        rule.learning = list;
    }
    if let Some(list) = parse(&own.relearning_steps) {
        rule.relearning = list;
    }
    rule
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_checked_whole_before_anything_is_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut collection = Collection::open(&dir.path().join("c.sqlite3")).expect("open");
        let before = Settings::read(&collection).expect("read");
        assert_eq!(before.new_per_day, NEW_PER_DAY.default);
        assert!(before.remote_images && before.leech.suspend);
        let change = Change {
            new_per_day: Some(5),
            rollover_hour: Some(24),
            ..Change::default()
        };
        let tx = collection.transaction().expect("tx");
        let refused = change.write(&tx).expect_err("hour 24");
        drop(tx);
        assert_eq!(
            refused.to_string(),
            "rollover_hour must be between 0 and 23, not 24"
        );
        assert_eq!(Settings::read(&collection).expect("read"), before);
        let tx = collection.transaction().expect("tx");
        Change {
            new_per_day: Some(5),
            leech_suspends: Some(false),
            remote_images: Some(false),
            learning_steps: Some(Steps::parse("1m 10m").expect("steps")),
            ..Change::default()
        }
        .write(&tx)
        .expect("write");
        tx.commit().expect("commit");
        let after = Settings::read(&collection).expect("read");
        assert_eq!(after.new_per_day, 5);
        assert!(!after.leech.suspend && !after.remote_images);
        assert_eq!(after.steps.learning.text(), "1m 10m");
    }
}
