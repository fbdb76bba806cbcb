//! The collection's settings: each one's key, default and allowed range,
//! read with their defaults, and a change of several checked first and
//! then written in one transaction (with a switch of scheduler, when the
//! change asks for one).

use std::ops::RangeInclusive;

use crate::actions::LeechRule;
use crate::markdown::junk::{JunkRules, RULE_NAMES};
use crate::queue::Limits;
use crate::scheduler::steps::{StepRule, Steps};
use crate::storage::{Collection, Tx};
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
    /// Reads the settings of `collection`.
    pub fn read(collection: &Collection) -> Result<Settings> {
        let number = |n: &Number| number(collection, n);
        let switch =
            |key: &str| -> Result<bool> { Ok(collection.setting(key)?.is_none_or(|v| v != "0")) };
        let steps = |key: &str| -> Result<Steps> {
            Ok(collection
                .setting(key)?
                .and_then(|text| Steps::parse(&text).ok())
                .unwrap_or_default())
        };
        let mut junk = JunkRules::default();
        for name in collection
            .setting(SKIP_RULES_OFF)?
            .unwrap_or_default()
            .split(',')
        {
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
                suspend: collection.setting(LEECH_ACTION)?.as_deref() != Some("tag"),
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

    /// Refuses a change with a value out of its range (nothing is
    /// written before every value passed).
    pub fn check(&self) -> Result<()> {
        for (number, value) in self.numbers() {
            if let Some(value) = value.filter(|v| !number.range.contains(v)) {
                return Err(Error::OutOfRange {
                    name: number.key.to_owned(),
                    value,
                    min: *number.range.start(),
                    max: *number.range.end(),
                });
            }
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
