//! Synthetic review history for benchmarks and fault tests: real SM-2
//! answers written through the storage layer, so the collection passes
//! `notedeck check` afterwards.

use chrono::{Days, NaiveDate, TimeZone, Utc};

use crate::scheduler::{self, Grade, Schedule};
use crate::storage::{Collection, ReviewRow};
use crate::Result;

/// Appends up to `count` SM-2 answers spread over the year before `today`,
/// in one transaction, keeping every card's schedule equal to its replayed
/// log; returns how many were written. `seed` makes the history repeatable.
pub fn simulate_history(
    collection: &mut Collection,
    count: usize,
    today: NaiveDate,
    seed: u64,
) -> Result<usize> {
    let mut ids = collection.reader().active_card_ids()?;
    ids.sort_unstable();
    if ids.is_empty() || count == 0 {
        return Ok(0);
    }
    let per_card = count.div_ceil(ids.len());
    let start = today - Days::new(365);
    let mut random = Lcg(seed);
    let tx = collection.transaction()?;
    let mut written = 0;
    for id in &ids {
        let mut state = Schedule::NEW;
        let mut day = start + Days::new(random.below(30));
        for _ in 0..per_card {
            if written == count || day >= today {
                break;
            }
            let grade =
                Grade::new([1, 3, 4, 4, 4, 5][random.below(6) as usize]).unwrap_or(Grade::GOOD);
            let (after, kind) = scheduler::answer(state, grade, day, true);
            let at = day
                .and_hms_opt(10, 0, 0)
                .map(|t| Utc.from_utc_datetime(&t))
                .unwrap_or_default()
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            tx.insert_review(&ReviewRow {
                seq: 0,
                id: format!("sim-{seed}-{written:08}"),
                card_id: id.clone(),
                answered_at: at,
                day,
                grade: grade.value(),
                kind,
                before: state,
                after,
                duration_ms: Some(3000 + random.below(5000) as i64),
                session: None,
                max_interval: None,
                epoch: None,
                steps: None,
                imported: false,
            })?;
            state = after;
            written += 1;
            day = after
                .due
                .unwrap_or(day + Days::new(1))
                .min(day + Days::new(20));
        }
        tx.set_schedule(id, &state, "2026-01-01T00:00:00.000Z")?;
    }
    tx.commit()?;
    Ok(written)
}

/// A tiny deterministic random generator.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}
