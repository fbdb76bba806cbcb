//! The scheduler settings in force over time (`scheduler_epochs`) and the
//! FSRS settings kept while SM-2 is in force.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};

use super::{Collection, Reader, Tx};
use crate::scheduler::fsrs::{FsrsConfig, DEFAULT_RETENTION};
use crate::scheduler::Scheduler;
use crate::{Error, Result};

/// Setting key: FSRS's parameters (21 numbers, comma-separated).
const PARAMETERS_KEY: &str = "fsrs_parameters";
/// Setting key: FSRS's desired retention.
const RETENTION_KEY: &str = "fsrs_desired_retention";

/// Parameters as stored: each number in its shortest exact form.
fn parameters_text(parameters: &[f32]) -> String {
    parameters
        .iter()
        .map(f32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_parameters(text: &str) -> Option<Vec<f32>> {
    text.split(',').map(|p| p.trim().parse().ok()).collect()
}

/// A scheduler setting from its stored columns.
fn scheduler_of(
    name: &str,
    parameters: Option<String>,
    retention: Option<f64>,
) -> Result<Scheduler> {
    match name {
        "sm2" => Ok(Scheduler::Sm2),
        _ => {
            let config = FsrsConfig {
                parameters: parameters
                    .as_deref()
                    .and_then(parse_parameters)
                    .unwrap_or_else(|| FsrsConfig::default().parameters),
                desired_retention: retention.map_or(DEFAULT_RETENTION, |r| r as f32),
            };
            Scheduler::fsrs(&config).map_err(|e| {
                Error::BadScheduler(format!("the stored scheduler setting is not usable: {e}"))
            })
        }
    }
}

impl Tx<'_> {
    /// Keeps FSRS's settings, as part of this transaction.
    pub fn set_fsrs_config(&self, config: &FsrsConfig) -> Result<()> {
        self.set_setting(PARAMETERS_KEY, &parameters_text(&config.parameters))?;
        self.set_setting(RETENTION_KEY, &config.desired_retention.to_string())
    }

    /// Records `scheduler` as in force from now on; `rebuilt` when every
    /// logged state was re-derived under it. Returns the setting's id.
    pub fn insert_epoch(
        &self,
        scheduler: &Scheduler,
        started_at: &str,
        rebuilt: bool,
    ) -> Result<i64> {
        let (parameters, retention) = match scheduler {
            Scheduler::Sm2 => (None, None),
            Scheduler::Fsrs(fsrs) => (
                Some(parameters_text(&fsrs.config().parameters)),
                Some(f64::from(fsrs.config().desired_retention)),
            ),
        };
        self.tx
            .prepare_cached(
                "INSERT INTO scheduler_epochs (scheduler, parameters, desired_retention, started_at, rebuilt)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![scheduler.name(), parameters, retention, started_at, rebuilt])?;
        Ok(self.tx.last_insert_rowid())
    }
}

impl Reader<'_> {
    /// The scheduler in force and its setting's id (SM-2 and `None` before
    /// any setting was recorded).
    pub fn current_scheduler(&self) -> Result<(Option<i64>, Scheduler)> {
        let row: Option<(i64, String, Option<String>, Option<f64>)> = self
            .conn
            .prepare_cached(
                "SELECT id, scheduler, parameters, desired_retention FROM scheduler_epochs
                 ORDER BY id DESC LIMIT 1",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        match row {
            None => Ok((None, Scheduler::Sm2)),
            Some((id, name, parameters, retention)) => {
                Ok((Some(id), scheduler_of(&name, parameters, retention)?))
            }
        }
    }

    /// Every scheduler setting ever in force, by id.
    pub fn epochs(&self) -> Result<HashMap<i64, Scheduler>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, scheduler, parameters, desired_retention FROM scheduler_epochs ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        let mut epochs = HashMap::new();
        while let Some(r) = rows.next()? {
            let name: String = r.get(1)?;
            epochs.insert(r.get(0)?, scheduler_of(&name, r.get(2)?, r.get(3)?)?);
        }
        Ok(epochs)
    }
}

impl Collection {
    /// FSRS's settings as the learner left them (used when FSRS is chosen,
    /// and by `optimize`): the parameters fitted last (or the defaults)
    /// and the desired retention.
    pub fn fsrs_config(&self) -> Result<FsrsConfig> {
        self.reader().fsrs_config()
    }
}

impl Reader<'_> {
    /// FSRS's settings as the learner left them (see
    /// [`Collection::fsrs_config`]).
    pub fn fsrs_config(&self) -> Result<FsrsConfig> {
        let defaults = FsrsConfig::default();
        Ok(FsrsConfig {
            parameters: self
                .setting(PARAMETERS_KEY)?
                .as_deref()
                .and_then(parse_parameters)
                .filter(|p| p.len() == 21)
                .unwrap_or(defaults.parameters),
            desired_retention: self
                .setting(RETENTION_KEY)?
                .and_then(|r| r.parse().ok())
                .unwrap_or(defaults.desired_retention),
        })
    }
}

impl Collection {
    /// Keeps FSRS's settings (they take effect through a new scheduler
    /// setting, see `review::set_scheduler`).
    pub fn set_fsrs_config(&self, config: &FsrsConfig) -> Result<()> {
        self.set_setting(PARAMETERS_KEY, &parameters_text(&config.parameters))?;
        self.set_setting(RETENTION_KEY, &config.desired_retention.to_string())
    }
}
