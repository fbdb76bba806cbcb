//! Settings, deck options and the scheduler in step across devices: the
//! last writer wins, by a hybrid logical clock.
//!
//! Each change made here is stamped `<ms>.<counter>.<device>`: the wall
//! clock in milliseconds, raised to any stamp seen from another device
//! (so a device whose clock runs behind still stamps after what it has
//! seen), a counter for changes within one millisecond, and the device id
//! to break ties. Stamps order as text. A value from another device is
//! taken when its stamp is newer than the one kept for that setting, per
//! setting (two devices changing different settings both keep theirs).
//! The scheduler and FSRS's settings travel as settings; taking a switch
//! in switches here (replaying the log, as a switch made here does). So do
//! the card doctor's choices about one card (a finding dismissed, a
//! section reviewed as reading), under the scope `card:<id>`.

use chrono::{DateTime, Utc};

use super::merge::Applied;
use super::{Incoming, DEVICE_SETTING};
use crate::model::CardId;
use crate::scheduler::steps::Steps;
use crate::scheduler::Scheduler;
use crate::settings as s;
use crate::storage::{DeckOptions, SharedRow, Tx};
use crate::Result;

/// The scope of the collection's own settings.
pub const COLLECTION: &str = "collection";
/// The key under which the scheduler in force travels (`sm2`, `fsrs`).
pub const SCHEDULER: &str = "scheduler";
/// The setting holding the clock: the newest stamp made or seen here.
const CLOCK_SETTING: &str = "sync_clock";
/// FSRS's settings, as `storage::schedulers` keeps them.
const FSRS_PARAMETERS: &str = "fsrs_parameters";
const FSRS_RETENTION: &str = "fsrs_desired_retention";

/// The settings whose change taken in puts a new scheduler setting in
/// force.
pub const SCHEDULER_KEYS: &[&str] = &[SCHEDULER, FSRS_PARAMETERS, FSRS_RETENTION];

/// The collection's settings that travel (a device's own, such as its
/// sync folder, do not).
pub const TRAVELLING: &[&str] = &[
    s::NEW_PER_DAY.key,
    s::REVIEWS_PER_DAY.key,
    s::ROLLOVER_HOUR.key,
    s::LEECH_THRESHOLD.key,
    s::READING_PER_DAY.key,
    "skip_rules_off",
    "leech_action",
    "remote_images",
    "implicit_headings",
    "learning_steps",
    "relearning_steps",
    FSRS_PARAMETERS,
    FSRS_RETENTION,
    SCHEDULER,
];

/// A deck option's fields, by name.
const DECK_FIELDS: [&str; 7] = [
    "new_per_day",
    "reviews_per_day",
    "new_order",
    "max_interval",
    "bury_siblings",
    "learning_steps",
    "relearning_steps",
];

/// The scope of a deck's options.
pub fn deck_scope(deck: &str) -> String {
    format!("deck:{deck}")
}

/// Stamps the collection settings `keys` with their values as stored now
/// (a change made here), so they travel.
pub fn stamp_settings(tx: &Tx<'_>, keys: &[&str], now: DateTime<Utc>) -> Result<()> {
    for key in keys {
        let value = match *key {
            SCHEDULER => tx.reader().current_scheduler()?.1.name().to_owned(),
            _ => tx.reader().setting(key)?.unwrap_or_default(),
        };
        stamp(tx, COLLECTION, key, &value, now)?;
    }
    Ok(())
}

/// Stamps the options of `deck` that differ from `before` (a change made
/// here), so they travel.
pub fn stamp_deck(
    tx: &Tx<'_>,
    deck: &str,
    before: &DeckOptions,
    after: &DeckOptions,
    now: DateTime<Utc>,
) -> Result<()> {
    let (old, new) = (deck_fields(before), deck_fields(after));
    for ((name, was), (_, is)) in old.iter().zip(&new) {
        if was != is {
            stamp(tx, &deck_scope(deck), name, is, now)?;
        }
    }
    Ok(())
}

/// The scope of one card's own choices (a dismissed doctor finding, the
/// choice to review a section as reading).
pub fn card_scope(card: &CardId) -> String {
    format!("card:{card}")
}

/// Stamps a choice made here about one card (`dismissed:<rule>`, or
/// `reading`), so it travels.
pub fn stamp_card(
    tx: &Tx<'_>,
    card: &CardId,
    key: &str,
    on: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    stamp(tx, &card_scope(card), key, if on { "1" } else { "0" }, now)
}

/// Takes in a setting from another device when it is newer than the one
/// kept here.
pub fn apply(
    tx: &Tx<'_>,
    record: &Incoming,
    (scope, key, value, stamp): (&str, &str, &str, &str),
) -> Result<Applied> {
    let reader = tx.reader();
    if reader.setting_record_known(&record.id)? {
        return Ok(Applied::Merged);
    }
    let Some(seen) = parse_stamp(stamp) else {
        return Ok(Applied::Unusable(format!(
            "a setting stamped `{stamp}`, not a clock"
        )));
    };
    observe(tx, seen)?;
    let newer = reader
        .shared_setting(scope, key)?
        .is_none_or(|kept| kept.stamp.as_str() < stamp);
    if !newer {
        return Ok(Applied::Merged);
    }
    let at = DateTime::parse_from_rfc3339(&record.at)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let written = if scope == COLLECTION {
        write_collection_setting(tx, key, value, at)?
    } else if let Some(deck) = scope.strip_prefix("deck:") {
        write_deck_option(tx, deck, key, value)?
    } else if let Some(card) = scope.strip_prefix("card:") {
        let card = reader.resolve_alias(&CardId::from(card))?;
        if !tx.card_exists(&card)? {
            return Ok(Applied::Waiting(
                "its card is not in this collection yet: import the same notes here".into(),
            ));
        }
        write_card_choice(tx, &card, key, value, &record.at)?
    } else {
        Err(format!(
            "a setting of scope `{scope}`, unknown to this notedeck"
        ))
    };
    if let Err(why) = written {
        return Ok(Applied::Unusable(why));
    }
    tx.put_shared_setting(&SharedRow {
        scope: scope.to_owned(),
        key: key.to_owned(),
        value: value.to_owned(),
        stamp: stamp.to_owned(),
        id: record.id.clone(),
        at: record.at.clone(),
        device: Some(record.device.clone()),
    })?;
    Ok(Applied::Merged)
}

/// Writes one collection setting from another device, checked as a change
/// made here is (`Err`: why it cannot be used).
fn write_collection_setting(
    tx: &Tx<'_>,
    key: &str,
    value: &str,
    at: DateTime<Utc>,
) -> Result<std::result::Result<(), String>> {
    let number = [
        &s::NEW_PER_DAY,
        &s::REVIEWS_PER_DAY,
        &s::ROLLOVER_HOUR,
        &s::LEECH_THRESHOLD,
        &s::READING_PER_DAY,
    ]
    .into_iter()
    .find(|n| n.key == key);
    let refused = |what: &str| Ok(Err(format!("{key} = `{value}`: {what}")));
    if let Some(number) = number {
        match value
            .parse::<i64>()
            .ok()
            .filter(|v| number.range.contains(v))
        {
            Some(_) => tx.set_setting(key, value)?,
            None => return refused("not a number in its range"),
        }
        return Ok(Ok(()));
    }
    match key {
        "skip_rules_off" => tx.set_setting(key, value)?,
        "leech_action" if matches!(value, "suspend" | "tag") => tx.set_setting(key, value)?,
        "remote_images" | "implicit_headings" if matches!(value, "0" | "1") => {
            tx.set_setting(key, value)?
        }
        "learning_steps" | "relearning_steps" => match Steps::parse(value) {
            Ok(steps) => tx.set_setting(key, &steps.text())?,
            Err(_) => return refused("not learning steps"),
        },
        FSRS_PARAMETERS | FSRS_RETENTION => {
            tx.set_setting(key, value)?;
            // FSRS in force: its new settings are (as when fitted here).
            if tx.reader().current_scheduler()?.1.name() == "fsrs" {
                switch_to(tx, "fsrs", at)?;
            }
        }
        SCHEDULER if matches!(value, "sm2" | "fsrs") => switch_to(tx, value, at)?,
        _ => return refused("unknown to this notedeck, or not one of its values"),
    }
    Ok(Ok(()))
}

/// Writes one choice about a card from another device.
fn write_card_choice(
    tx: &Tx<'_>,
    card: &CardId,
    key: &str,
    value: &str,
    at: &str,
) -> Result<std::result::Result<(), String>> {
    let on = match value {
        "1" => true,
        "0" => false,
        other => return Ok(Err(format!("{key} = `{other}`: not 0 or 1"))),
    };
    if let Some(rule) = key.strip_prefix("dismissed:") {
        tx.set_finding_dismissed(card, rule, on, at)?;
    } else if key == "reading" {
        // Back to a flashcard is a section, unless long enough to be read
        // anyway (reading cards on): as the doctor's own choice is.
        let reading_cards = tx
            .reader()
            .setting(s::READING_PER_DAY.key)?
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(s::READING_PER_DAY.default)
            > 0;
        let long = tx
            .reader()
            .card(card)?
            .is_some_and(|c| crate::markdown::is_reading_length(&c.back_html));
        let kind_off = if reading_cards && long {
            crate::model::CardKind::Reading
        } else {
            crate::model::CardKind::Section
        };
        tx.choose_reading(card, on, kind_off, at)?;
    } else {
        return Ok(Err(format!(
            "a card choice `{key}`, unknown to this notedeck"
        )));
    }
    Ok(Ok(()))
}

/// Puts `name`'s scheduler in force with FSRS's settings as kept here.
fn switch_to(tx: &Tx<'_>, name: &str, at: DateTime<Utc>) -> Result<()> {
    let target = if name == "fsrs" {
        Scheduler::fsrs(&tx.reader().fsrs_config()?).map_err(crate::Error::BadScheduler)?
    } else {
        Scheduler::Sm2
    };
    crate::switch::set_scheduler_in(tx, target, at, &mut |_, _| {})?;
    Ok(())
}

/// Writes one deck option from another device (empty: unset).
fn write_deck_option(
    tx: &Tx<'_>,
    deck: &str,
    key: &str,
    value: &str,
) -> Result<std::result::Result<(), String>> {
    let mut options = tx.reader().deck_options(deck)?;
    let text = (!value.is_empty()).then(|| value.to_owned());
    let number = |n: &s::Number| -> std::result::Result<Option<i64>, String> {
        match &text {
            None => Ok(None),
            Some(t) => t
                .parse::<i64>()
                .ok()
                .filter(|v| n.range.contains(v))
                .map(Some)
                .ok_or_else(|| format!("deck option {key} = `{t}`: not a number in its range")),
        }
    };
    let steps = |t: &Option<String>| -> std::result::Result<Option<String>, String> {
        t.as_deref()
            .map(|t| {
                Steps::parse(t)
                    .map(|s| s.text())
                    .map_err(|_| format!("deck option {key} = `{t}`: not learning steps"))
            })
            .transpose()
    };
    let set = match key {
        "new_per_day" => number(&s::NEW_PER_DAY).map(|v| options.new_per_day = v),
        "reviews_per_day" => number(&s::REVIEWS_PER_DAY).map(|v| options.reviews_per_day = v),
        "max_interval" => number(&s::MAX_INTERVAL).map(|v| options.max_interval = v),
        "new_order" => match text.as_deref() {
            None | Some("note" | "random") => {
                options.new_order = text.clone();
                Ok(())
            }
            Some(other) => Err(format!(
                "deck option new_order = `{other}`: not note or random"
            )),
        },
        "bury_siblings" => match text.as_deref() {
            None => Ok(None),
            Some("1") => Ok(Some(true)),
            Some("0") => Ok(Some(false)),
            Some(other) => Err(format!("deck option bury_siblings = `{other}`: not 0 or 1")),
        }
        .map(|v| options.bury_siblings = v),
        "learning_steps" => steps(&text).map(|v| options.learning_steps = v),
        "relearning_steps" => steps(&text).map(|v| options.relearning_steps = v),
        other => Err(format!("a deck option `{other}`, unknown to this notedeck")),
    };
    if let Err(why) = set {
        return Ok(Err(why));
    }
    tx.ensure_deck(deck)?;
    tx.set_deck_options(deck, &options)?;
    Ok(Ok(()))
}

/// A deck's options as (field, text) pairs, empty when unset.
fn deck_fields(options: &DeckOptions) -> [(&'static str, String); 7] {
    let number = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let flag = |v: Option<bool>| v.map(|on| if on { "1" } else { "0" }.to_owned());
    let values = [
        number(options.new_per_day),
        number(options.reviews_per_day),
        options.new_order.clone().unwrap_or_default(),
        number(options.max_interval),
        flag(options.bury_siblings).unwrap_or_default(),
        options.learning_steps.clone().unwrap_or_default(),
        options.relearning_steps.clone().unwrap_or_default(),
    ];
    let mut fields: [(&'static str, String); 7] = Default::default();
    for (slot, (name, value)) in fields.iter_mut().zip(DECK_FIELDS.iter().zip(values)) {
        *slot = (name, value);
    }
    fields
}

/// Stamps one value set here.
fn stamp(tx: &Tx<'_>, scope: &str, key: &str, value: &str, now: DateTime<Utc>) -> Result<()> {
    let device = tx.reader().setting(DEVICE_SETTING)?.unwrap_or_default();
    let (ms, counter) = next_tick(tx, now)?;
    tx.put_shared_setting(&SharedRow {
        scope: scope.to_owned(),
        key: key.to_owned(),
        value: value.to_owned(),
        stamp: format!("{ms:013}.{counter:04}.{device}"),
        id: crate::actions::new_id(now),
        at: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        device: None,
    })
}

/// The clock's next tick: now, or just after the newest stamp made or
/// seen here when that is later.
fn next_tick(tx: &Tx<'_>, now: DateTime<Utc>) -> Result<(i64, i64)> {
    let last = clock(tx)?;
    let wall = now.timestamp_millis().max(0);
    let tick = if wall > last.0 {
        (wall, 0)
    } else {
        (last.0, last.1 + 1)
    };
    tx.set_setting(CLOCK_SETTING, &format!("{}.{}", tick.0, tick.1))?;
    Ok(tick)
}

/// Raises the clock to a stamp seen from another device.
fn observe(tx: &Tx<'_>, seen: (i64, i64)) -> Result<()> {
    if seen > clock(tx)? {
        tx.set_setting(CLOCK_SETTING, &format!("{}.{}", seen.0, seen.1))?;
    }
    Ok(())
}

fn clock(tx: &Tx<'_>) -> Result<(i64, i64)> {
    Ok(tx
        .reader()
        .setting(CLOCK_SETTING)?
        .and_then(|c| parse_stamp(&c))
        .unwrap_or((0, 0)))
}

/// The clock part of a stamp (`<ms>.<counter>[.<device>]`).
fn parse_stamp(stamp: &str) -> Option<(i64, i64)> {
    let mut parts = stamp.splitn(3, '.');
    let ms = parts.next()?.parse().ok()?;
    let counter = parts.next()?.parse().ok()?;
    Some((ms, counter))
}
